package io.netwatch.broker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A packaged netwatch service run as its own process, as users run it, so a test can kill it the hard way
 * (SIGKILL: no shutdown hook, no commit, no close) and start it again.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final int httpPort;
    private final Path log;

    private ServiceProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * @param jar   the service's {@code quarkus-run.jar}
     * @param env   environment variables (the services' documented settings)
     * @param props system properties (pass-through client settings such as {@code kafka-streams.*})
     * @param log   where its output goes, appended across restarts
     */
    public static ServiceProcess start(Path jar, int httpPort, Map<String, String> env, Map<String, String> props,
                                       Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first (mvn package)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseParallelGC")); // as ./netwatch up, the image and the manifests run them
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new ServiceProcess(pb.start(), httpPort, log);
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the end of the log if the process dies. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service was not ready within " + timeout + ":\n" + tail());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as the OOM killer or a lost node does it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Stops it as a shutdown does (SIGTERM), waiting for it to finish. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * One service started again and again with the same environment, state folder and log, as a fault test's
     * restarts need.
     */
    public record Launcher(Path jar, int httpPort, Map<String, String> env, Path log) {
        /** Starts it with these system properties and waits until it is ready. */
        public ServiceProcess start(Map<String, String> props) throws IOException, InterruptedException {
            ServiceProcess p = ServiceProcess.start(jar, httpPort, env, props, log);
            p.awaitReady(Duration.ofSeconds(90));
            return p;
        }
    }
}
