package io.netwatch.bench;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.publish.PacketFilter;
import io.netwatch.probe.publish.PacketFormat;
import io.netwatch.probe.publish.PacketPipeline;
import io.netwatch.probe.publish.ProducerSettings;
import io.netwatch.records.FlowTimeouts;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The probe's benchmark: writes a capture of N packets itself, then measures on it, in one run, (1) reading and
 * decoding on one core, (2) the same plus building and serialising records, (3) publishing to a real local broker
 * through the probe's own pipeline, every record acknowledged, and (4) tshark reading the same file as a
 * reference. Prints a Markdown table for docs/benchmarks.md.
 *
 * <p>{@code ./netwatch bench [--packets N] [--partitions P] [--passes K] [--flow-updates] [--packet-filter rules]
 * [--mix short-flows|campus]}
 */
public final class ProbeBench {
    private long packets = 1_000_000;
    private int partitions = 3;
    private int passes = 5;
    private int encoders = 1;
    private PacketFormat format = PacketFormat.PACKETS;
    private Path dir = Path.of(System.getProperty("java.io.tmpdir"), "netwatch-bench");
    private String only;
    private boolean flowUpdates;
    private PacketFilter filter = PacketFilter.ALL;
    private SyntheticCapture.Mix mix = SyntheticCapture.Mix.SHORT_FLOWS;

    public static void main(String[] args) throws Exception {
        // As in the services: JBoss LogManager at INFO. Without it, Kafka's per-record trace messages get formatted.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.LogManager.getLogManager();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        ProbeBench b = new ProbeBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--packets" -> b.packets = Long.parseLong(args[++i]);
                case "--partitions" -> b.partitions = Integer.parseInt(args[++i]);
                case "--passes" -> b.passes = Integer.parseInt(args[++i]);
                case "--encoders" -> b.encoders = Integer.parseInt(args[++i]);
                case "--format" -> b.format = PacketFormat.of(args[++i]);
                case "--dir" -> b.dir = Path.of(args[++i]);
                case "--only" -> b.only = args[++i];
                case "--flow-updates" -> b.flowUpdates = true;
                case "--packet-filter" -> b.filter = PacketFilter.of(args[++i]);
                case "--mix" -> b.mix = SyntheticCapture.Mix.of(args[++i]);
                default -> {
                    System.err.println("usage: ProbeBench [--packets N] [--partitions P] [--passes K] [--encoders E] "
                            + "[--format batches|packets] [--dir DIR] [--only publish] [--flow-updates] "
                            + "[--packet-filter all|rules] [--mix short-flows|campus]");
                    System.exit(2);
                }
            }
        }
        if (b.filter != PacketFilter.ALL) {
            b.flowUpdates = true; // what the filter leaves out is only in flow updates
        }
        b.run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("bench-" + packets + "-" + mix.label + ".pcap");
        long t0 = System.nanoTime();
        long written = SyntheticCapture.write(file, packets, SyntheticCapture.DEFAULT_START_MICROS, 0,
                SyntheticCapture.DEFAULT_RATE_PPS, mix);
        if ("publish".equals(only)) {
            List<Double> rates = publish(file, false);
            List<Double> withFlows = flowUpdates ? publish(file, true) : null;
            System.out.println();
            row("publish, all acknowledged", rates, "250,000");
            if (withFlows != null) {
                row("publish with flow-updates" + (filter == PacketFilter.RULES ? " and packet-filter=rules" : "")
                        + ", all acknowledged", withFlows, "");
            }
            return;
        }
        System.err.printf(Locale.ROOT, "wrote %s: %d packets, %.1f MB in %.1f s%n", file, written,
                Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e9);

        List<Double> decode = new ArrayList<>();
        List<Double> records = new ArrayList<>();
        for (int i = 0; i < passes; i++) {
            decode.add(decodePass(file));
            System.err.printf(Locale.ROOT, "decode pass %d: %.0f packets/s%n", i + 1, decode.get(i));
        }
        for (int i = 0; i < passes; i++) {
            records.add(recordPass(file));
            System.err.printf(Locale.ROOT, "decode+record+JSON pass %d: %.0f packets/s%n", i + 1, records.get(i));
        }
        List<Double> publish = publish(file, false);
        List<Double> withFlows = flowUpdates ? publish(file, true) : null;
        double[] tshark = tshark(file);

        String cpu = cpuModel();
        System.out.println();
        System.out.printf(Locale.ROOT, "Machine: %d cores (%s), %.0f GiB RAM, %s %s; capture %s (%s mix), %d packets, "
                        + "%.0f MB%n%n",
                Runtime.getRuntime().availableProcessors(), cpu,
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize() / 1073741824.0,
                System.getProperty("java.vm.name"), System.getProperty("java.version"), file.getFileName(), mix.label,
                written,
                Files.size(file) / 1e6);
        System.out.println("| stage | packets/s (median of passes) | best | target |");
        System.out.println("|---|---|---|---|");
        row("read + decode, one thread", decode, "1,000,000 per core");
        row("read + decode + record + JSON, one thread", records, "");
        row(String.format(Locale.ROOT, "publish to local broker (%s, %d partitions, lz4, acks=all, %d encoder threads),"
                + " all acknowledged", format.topic, partitions, encoders), publish, "250,000");
        if (withFlows != null) {
            row(String.format(Locale.ROOT, "the same with flow-updates=true (a flow table per encoder, its updates "
                    + "on %s too)%s, all acknowledged", Topics.FLOW_UPDATES.name(), filter == PacketFilter.RULES
                    ? " and packet-filter=rules (packet records only for per-packet rules)" : ""), withFlows, "");
        }
        if (tshark != null) {
            System.out.printf(Locale.ROOT, "| tshark -n -r FILE -q -z io,phs (reference, same file) | %,.0f | | |%n",
                    tshark[0]);
            System.out.printf(Locale.ROOT, "| tshark -n -r FILE -T fields -e ip.src -e tcp.srcport (reference) | %,.0f | | |%n",
                    tshark[1]);
        }
    }

    private static void row(String name, List<Double> values, String target) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %s |%n", name, sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1), target);
    }

    private static double decodePass(Path file) throws IOException {
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        long[] sink = new long[1];
        long start = System.nanoTime();
        long n;
        try (CaptureFileReader r = CaptureFileReader.open(file)) {
            n = r.readAll((ts, lt, buf, off, cap, wire) -> {
                decoder.decode(lt, buf, off, cap, wire, f);
                sink[0] += f.srcPort + f.ipProto; // keep the work observable
            });
        }
        double pps = n / ((System.nanoTime() - start) / 1e9);
        if (sink[0] == 42) {
            System.err.println();
        }
        return pps;
    }

    private static double recordPass(Path file) throws IOException {
        long[] bytes = new long[1];
        long start = System.nanoTime();
        long n = CaptureJson.readAll(file, (key, json) -> bytes[0] += json.length + key.length());
        double pps = n / ((System.nanoTime() - start) / 1e9);
        System.err.printf(Locale.ROOT, "  average record: %.0f bytes of JSON%n", bytes[0] / (double) n);
        return pps;
    }

    /**
     * Publishes the whole capture {@code passes} times through one producer into one broker, after a short warm
     * pass; each pass is a new pipeline, as a new replay is. One pass takes a few seconds, in which the JIT
     * compilers still take a large share of the two cores, so single passes varied from 190,000 to 370,000
     * packets/s: the median of several is the figure.
     */
    private List<Double> publish(Path file, boolean flows) throws Exception {
        Path brokerDir = Files.createTempDirectory(dir, "broker-");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(brokerDir, 0)) {
            TopicSetup.ensure(broker.bootstrapServers(), partitions, (short) 1, Topics.probe());
            try (KafkaProducer<String, byte[]> producer = ProducerSettings.packetProducer(broker.bootstrapServers(),
                    "bench")) {
                PacketPipeline warm = new PacketPipeline(producer, "warm", new PacketRecordFactory("bench", "file", 96),
                        encoders, format);
                try (CaptureFileReader r = CaptureFileReader.open(file)) {
                    for (int i = 0; i < 100_000 && r.next(warm); i++) {
                        // frames go to the pipeline
                    }
                }
                warm.close();
                List<Double> rates = new ArrayList<>();
                for (int pass = 1; pass <= passes; pass++) {
                    PacketPipeline p = new PacketPipeline(producer, "bench-" + pass,
                            new PacketRecordFactory("bench", "file", 96), encoders, format);
                    if (flows) {
                        p.exportFlows(new PacketPipeline.FlowExport(FlowTimeouts.defaults(), Duration.ofSeconds(1)));
                        p.setPacketFilter(filter);
                    }
                    long start = System.nanoTime();
                    long cpuStart = processCpuNanos();
                    try (CaptureFileReader r = CaptureFileReader.open(file)) {
                        r.readAll(p);
                    }
                    p.close();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long cpu = processCpuNanos() - cpuStart;
                    long n = p.packets.sum();
                    if (p.published.sum() + p.filtered.sum() != n || p.publishErrors.sum() != 0) {
                        throw new IllegalStateException("published " + p.published.sum() + " of " + n + ", errors "
                                + p.publishErrors.sum() + ": " + p.lastError());
                    }
                    if (flows && p.flowUpdateErrors.sum() != 0) {
                        throw new IllegalStateException(p.flowUpdateErrors.sum() + " flow updates refused: "
                                + p.lastError());
                    }
                    rates.add(n / seconds);
                    // the whole JVM's CPU, the broker's included: steadier than the rate, which waits for the cores
                    System.err.printf(Locale.ROOT, "publish pass %d%s: %d records acknowledged in %.2f s: %.0f "
                            + "packets/s, %.2f µs of CPU a packet (this JVM, broker included)%s%n", pass,
                            flows ? " with flow updates" : "", n, seconds, n / seconds, cpu / 1e3 / n,
                            flows ? ", " + p.flowUpdates.sum() + " flow updates, " + p.filtered.sum()
                                    + " packets only in their flows' updates" : "");
                }
                return rates;
            }
        } finally {
            deleteTree(brokerDir);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** tshark's packets/s on the same file: full dissection with a summary, and a field extraction. */
    private static double[] tshark(Path file) throws Exception {
        double phs = timeTshark(file, List.of("-q", "-z", "io,phs"));
        double fields = timeTshark(file, List.of("-T", "fields", "-e", "ip.src", "-e", "tcp.srcport"));
        if (phs < 0 || fields < 0) {
            return null;
        }
        return new double[] {phs, fields};
    }

    private static double timeTshark(Path file, List<String> extra) throws Exception {
        long n = countFrames(file);
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        cmd.addAll(extra);
        long start = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            System.err.println("tshark not found: no reference figure (apt-get install tshark)");
            return -1;
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.err.println("tshark failed on " + file);
            return -1;
        }
        double pps = n / ((System.nanoTime() - start) / 1e9);
        System.err.printf(Locale.ROOT, "tshark %s: %.0f packets/s%n", String.join(" ", extra), pps);
        return pps;
    }

    private static long countFrames(Path file) throws IOException {
        try (CaptureFileReader r = CaptureFileReader.open(file)) {
            return r.readAll((ts, lt, buf, off, cap, wire) -> { });
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: leave the model out
        }
        return "unknown CPU";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
