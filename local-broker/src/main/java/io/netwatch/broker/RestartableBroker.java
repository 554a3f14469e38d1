package io.netwatch.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A broker of a fault test's own, on fixed ports and a data folder that outlive its restarts, so the services
 * under test find it again at the same address with the same data. In this JVM it can be stopped cleanly; run as
 * a process of its own it can also be killed with SIGKILL, as a lost node or the OOM killer does it: no controlled
 * shutdown, no producer-state snapshots, its logs recovered at the next start.
 */
public final class RestartableBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final boolean ownProcess;
    private LocalKafkaBroker broker;
    private volatile Process process;

    private RestartableBroker(boolean ownProcess) throws IOException, InterruptedException {
        this.dir = Files.createTempDirectory("restartable-broker");
        this.port = LocalKafkaBroker.freePort();
        this.controllerPort = LocalKafkaBroker.freePort();
        this.ownProcess = ownProcess;
        if (ownProcess) {
            // a test JVM that is stopped before close() must not leave its broker running
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Process p = process;
                if (p != null) {
                    p.destroyForcibly();
                }
            }, "restartable-broker-stop"));
        }
        up();
    }

    /** In this JVM: {@link #restart} only. */
    public static RestartableBroker start() throws IOException {
        try {
            return new RestartableBroker(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** As a process of its own (this JVM's class path): {@link #restart} and {@link #kill}. */
    public static RestartableBroker startProcess() throws IOException, InterruptedException {
        return new RestartableBroker(true);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker cleanly, leaves its clients without one for {@code down}, and starts it again. */
    public void restart(Duration down) throws IOException, InterruptedException {
        if (ownProcess) {
            process.destroy(); // SIGTERM: the broker's shutdown hook stops it cleanly
            process.waitFor();
        } else {
            broker.close();
        }
        Thread.sleep(down.toMillis());
        up();
    }

    /** SIGKILL, {@code down} without a broker, and a start that recovers its logs. */
    public void kill(Duration down) throws IOException, InterruptedException {
        if (!ownProcess) {
            throw new IllegalStateException("a broker in the test's own JVM cannot be killed: use startProcess()");
        }
        process.destroyForcibly();
        process.waitFor();
        Thread.sleep(down.toMillis());
        up();
    }

    private void up() throws IOException, InterruptedException {
        if (!ownProcess) {
            broker = LocalKafkaBroker.startFixed(dir, port, controllerPort);
            return;
        }
        Path log = dir.resolve("broker.log");
        long from = Files.exists(log) ? Files.size(log) : 0;
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), LocalKafkaBroker.class.getName(),
                dir.resolve("broker").toString(), String.valueOf(port), String.valueOf(controllerPort));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (out.substring((int) Math.min(from, out.length())).contains("broker ready on")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("the broker exited with " + process.exitValue() + ":\n" + out);
            }
            Thread.sleep(100);
        }
        throw new IOException("the broker was not ready within " + START_TIMEOUT + ": see " + log);
    }

    /** Stops it and deletes its data. */
    @Override
    public void close() throws IOException {
        if (!ownProcess) {
            broker.closeAndDelete();
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
