package io.netwatch.bench;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.detection.DetectionSettings;
import io.netwatch.detection.DetectionTopology;
import io.netwatch.flow.FlowSettings;
import io.netwatch.flow.FlowTopology;
import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.publish.PacketFilter;
import io.netwatch.probe.publish.PacketFormat;
import io.netwatch.probe.publish.PacketPipeline;
import io.netwatch.probe.publish.ProducerSettings;
import io.netwatch.records.FlowSource;
import io.netwatch.records.InputWatch;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A stream service's topology, timed as the service runs it: exactly-once, RocksDB stores, one stream thread, a
 * real local broker. The packets are published first (by the probe's pipeline, from a synthetic capture), then the
 * topology is started and timed until it has committed the last packet offset.
 *
 * <p>{@code ./netwatch bench-flows [--packets N] [--partitions P] [--threads T]} for the flow topology,
 * {@code ./netwatch bench-detections [...]} (= {@code --topology detections}) for the detection topology; for
 * experiments,
 * {@code -Dguarantee=at_least_once}, {@code -Dcommit.ms=N}, {@code -DinMemory=true} (in-memory stores) and
 * {@code -Dstreams.KEY=VALUE} (any Kafka Streams setting) change one thing at a time; {@code --format batches}
 * publishes batches (netwatch.packet-batches.v1) instead of one record per packet; {@code --source flow-updates}
 * has the probe publish flow updates too (netwatch.flow-updates.v1) and the topology read them beside the packets;
 * {@code --packet-filter rules} publishes only the frames the probe's rules filter keeps. Figures are per packet of
 * the capture, whatever the records.
 */
public final class TopologyBench {
    /** What is measured: its topology, the topics it needs, the output counted, and its service's commit interval. */
    private record Target(String name, String applicationId, java.util.List<Topic<?, ?>> topics,
                          java.util.function.BiFunction<Boolean, FlowSource, Topology> topology, String output,
                          String outputLabel, int commitMs) {
    }

    private static final Map<String, Target> TARGETS = Map.of(
            "flows", new Target("flow topology", "flow-bench", FlowTopology.topics(),
                    (persistent, source) -> FlowTopology.build(FlowSettings.defaults(), persistent,
                            FlowTopology.Names.CONTRACT, InputWatch.NONE, source), Topics.FLOWS.name(),
                    "flow records", 200),
            "detections", new Target("detection topology", "detection-bench", DetectionTopology.topics(),
                    (persistent, source) -> DetectionTopology.build(DetectionSettings.defaults().withSource(source),
                            persistent, DetectionTopology.Names.CONTRACT), Topics.ALERTS.name(), "alert records",
                    100));

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        long packets = 500_000;
        int partitions = 3;
        int threads = 1;
        Target target = TARGETS.get("flows");
        PacketFormat format = PacketFormat.PACKETS;
        FlowSource source = FlowSource.PACKETS;
        PacketFilter filter = PacketFilter.ALL;
        SyntheticCapture.Mix mix = SyntheticCapture.Mix.SHORT_FLOWS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--packets" -> packets = Long.parseLong(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--topology" -> target = TARGETS.get(args[++i]);
                case "--format" -> format = PacketFormat.of(args[++i]);
                case "--packet-filter" -> filter = PacketFilter.of(args[++i]);
                case "--source" -> source = FlowSource.of("--source", args[++i]);
                case "--mix" -> mix = SyntheticCapture.Mix.of(args[++i]);
                default -> {
                    System.err.println("usage: TopologyBench [--topology flows|detections] [--packets N] "
                            + "[--partitions P] [--threads T] [--format batches|packets] "
                            + "[--source packets|flow-updates] [--packet-filter all|rules] [--mix short-flows|campus]");
                    System.exit(2);
                }
            }
        }
        if (target == null) {
            System.err.println("--topology: flows or detections");
            System.exit(2);
        }
        java.util.List<String> inputs = source == FlowSource.FLOW_UPDATES
                ? java.util.List.of(format.topic, Topics.FLOW_UPDATES.name()) : java.util.List.of(format.topic);
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "netwatch-bench"));
        Path file = dir.resolve("bench-" + packets + "-" + mix.label + ".pcap");
        SyntheticCapture.write(file, packets, SyntheticCapture.DEFAULT_START_MICROS, 0,
                SyntheticCapture.DEFAULT_RATE_PPS, mix);
        Path brokerDir = Files.createTempDirectory(dir, "broker-");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(brokerDir, 0)) {
            String bootstrap = broker.bootstrapServers();
            TopicSetup.ensure(bootstrap, partitions, (short) 1, target.topics());
            // the probe writes its flow updates whatever the topology reads
            TopicSetup.ensure(bootstrap, partitions, (short) 1, java.util.List.of(Topics.FLOW_UPDATES));
            long sent;
            try (KafkaProducer<String, byte[]> producer = ProducerSettings.packetProducer(bootstrap, "bench");
                 CaptureFileReader reader = CaptureFileReader.open(file)) {
                PacketPipeline p = new PacketPipeline(producer, "bench", new PacketRecordFactory("bench", "file", 96), 1,
                        format);
                if (source == FlowSource.FLOW_UPDATES || filter != PacketFilter.ALL) {
                    p.exportFlows(new PacketPipeline.FlowExport(FlowSettings.defaults().timeouts(),
                            Duration.ofSeconds(1)));
                }
                p.setPacketFilter(filter);
                reader.readAll(p);
                p.close();
                sent = p.packets.sum();
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (String input : inputs) {
                ends.putAll(endOffsets(bootstrap, input));
            }
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            // offsets count records (a batch holds many packets, a flow update stands for a flow's packets): the
            // figures are per packet of the capture
            double packetsPerRecord = sent / (double) total;
            System.err.printf(Locale.ROOT, "published %d packets in %d records on %s (with end-of-run markers; "
                    + "packet filter %s); starting the topology%n", sent, total, inputs, filter);

            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, target.applicationId());
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(dir, "state-").toString());
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, System.getProperty("guarantee", StreamsConfig.EXACTLY_ONCE_V2));
            props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.getInteger("commit.ms", target.commitMs()));
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
            props.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
            props.put(StreamsConfig.producerPrefix("linger.ms"), props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
            // as the services run (their application.properties): a bounded input buffer of batches
            props.put("buffered.records.per.partition", 64);
            props.put(StreamsConfig.consumerPrefix("max.poll.records"), 200);
            // -Dstreams.KEY=VALUE sets any Kafka Streams (or prefixed client) setting, for one-at-a-time experiments
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("streams."))
                    .forEach(k -> props.put(k.substring("streams.".length()), System.getProperty(k)));
            long start = System.nanoTime();
            try (KafkaStreams streams = new KafkaStreams(target.topology().apply(!Boolean.getBoolean("inMemory"),
                    source), props);
                 Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                streams.start();
                long done;
                long firstCommitAt = 0;
                long firstCommitted = 0;
                do {
                    Thread.sleep(50);
                    done = committed(admin, target.applicationId(), ends.keySet());
                    if (firstCommitAt == 0 && done > 0) {
                        firstCommitAt = System.nanoTime();
                        firstCommitted = done;
                    }
                } while (done < total && System.nanoTime() - start < Duration.ofMinutes(20).toNanos());
                long end = System.nanoTime();
                double seconds = (end - start) / 1e9;
                System.err.printf(Locale.ROOT, "start to first commit: %.1f s; then %.0f packets/s%n",
                        (firstCommitAt - start) / 1e9,
                        (done - firstCommitted) * packetsPerRecord / ((end - firstCommitAt) / 1e9));
                long out = endOffsets(admin, target.output()).values().stream().mapToLong(Long::longValue).sum();
                // CPU time of the stream threads themselves: what a packet costs whether or not the thread waited
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpuNanos = 0;
                for (java.lang.management.ThreadInfo ti : mx.dumpAllThreads(false, false)) {
                    if (ti.getThreadName().matches(".*-StreamThread-\\d+$")) {
                        cpuNanos += Math.max(0, mx.getThreadCpuTime(ti.getThreadId()));
                    }
                }
                System.err.printf(Locale.ROOT, "stream threads' CPU time: %.1f s, %.1f µs per packet%n", cpuNanos / 1e9,
                        cpuNanos / 1e3 / (done * packetsPerRecord));
                writtenPerTopic(admin, inputs, done * packetsPerRecord);
                System.out.printf(Locale.ROOT, "| %s, %d stream thread(s), %s, %s stores, %s%s | %,.0f packets/s in | "
                                + "%,.0f %s/s out (%d) |%n", target.name(), threads,
                        props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                        Boolean.getBoolean("inMemory") ? "in-memory" : "RocksDB", String.join(" + ", inputs),
                        filter == PacketFilter.ALL ? "" : ", packet-filter=rules",
                        done * packetsPerRecord / seconds, out / seconds,
                        target.outputLabel(), out);
            }
        }
        System.exit(0);
    }

    /**
     * What the topology wrote to the broker, per packet and topic: unlike the timings this does not move with the
     * machine's speed. Under exactly-once, offsets also count one transaction marker per partition and commit.
     */
    private static void writtenPerTopic(Admin admin, java.util.List<String> inputs, double packets)
            throws Exception {
        long all = 0;
        for (String topic : new java.util.TreeSet<>(admin.listTopics().names().get())) {
            if (inputs.contains(topic)) {
                continue;
            }
            long n = endOffsets(admin, topic).values().stream().mapToLong(Long::longValue).sum();
            all += n;
            System.err.printf(Locale.ROOT, "  written to %s: %,d offsets, %.3f per packet%n", topic, n, n / packets);
        }
        System.err.printf(Locale.ROOT, "written to the broker: %,d offsets, %.3f per packet%n", all, all / packets);
    }

    private static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return endOffsets(admin, topic);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int n = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        for (int i = 0; i < n; i++) {
            req.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        return admin.listOffsets(req).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static long committed(Admin admin, String group, java.util.Set<TopicPartition> parts)
            throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> parts.contains(e.getKey()) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }
}
