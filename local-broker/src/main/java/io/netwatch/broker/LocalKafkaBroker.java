package io.netwatch.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A single-node KRaft Kafka broker (broker and controller in one), from the org.apache.kafka jars the build
 * already uses: real Kafka for tests and for the local run, no Docker.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final KafkaRaftServer server;

    private LocalKafkaBroker(Path dir, int port, KafkaRaftServer server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /** Formats {@code dir} if it is new and starts a broker in this JVM on 127.0.0.1:port (0: any free port). */
    public static LocalKafkaBroker start(Path dir, int port) throws IOException {
        return startFixed(dir, port == 0 ? freePort() : port, freePort());
    }

    /** A broker on fixed ports, as the local run needs: its clients and its restarts find it at one address. */
    public static LocalKafkaBroker startFixed(Path dir, int port, int controllerPort) throws IOException {
        Properties props = config(dir, port, controllerPort);
        Path propsFile = writeConfig(dir, props);
        format(propsFile, dir);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        return new LocalKafkaBroker(dir, port, server);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    /** Broker settings for one node on loopback; replication factors of internal topics must be 1 here. */
    public static Properties config(Path dir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toAbsolutePath().toString());
        p.put("num.partitions", "3");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // Big enough for batches of packet records; the local run keeps a day of data at most.
        p.put("message.max.bytes", String.valueOf(8 * 1024 * 1024));
        p.put("log.retention.hours", "24");
        p.put("log.segment.bytes", String.valueOf(256 * 1024 * 1024));
        return p;
    }

    static Path writeConfig(Path dir, Properties props) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "netwatch local single-node KRaft broker");
        }
        return file;
    }

    static void format(Path propsFile, Path dir) throws IOException {
        if (Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            return; // already formatted: a restart keeps its data
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            // execute(), not main(): main() calls System.exit.
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                    propsFile.toString()}, ps);
            if (rc != 0) {
                throw new IOException("formatting Kafka storage failed: " + out.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("formatting Kafka storage failed: " + out.toString(StandardCharsets.UTF_8), e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Stops the broker and deletes its data: for throwaway test brokers. */
    public void closeAndDelete() throws IOException {
        close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /**
     * The local run's broker as its own process: {@code LocalKafkaBroker DIR PORT [CONTROLLER_PORT]} (the
     * controller on PORT + 1 unless given). It formats DIR on first use and keeps the data across restarts.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: LocalKafkaBroker DATA_DIR PORT [CONTROLLER_PORT]");
            System.exit(2);
        }
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        java.util.logging.Logger.getLogger("kafka").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        int port = Integer.parseInt(args[1]);
        int controllerPort = args.length == 3 ? Integer.parseInt(args[2]) : port + 1;
        LocalKafkaBroker broker = startFixed(Path.of(args[0]), port, controllerPort);
        System.out.println("netwatch local Kafka broker ready on " + broker.bootstrapServers());
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        Thread.currentThread().join();
    }
}
