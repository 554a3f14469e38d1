package io.netwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netwatch.records.Topics;

import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The whole pipeline measured as users run it: {@code ./netwatch bench-pipeline} starts the local stack (broker,
 * PostgreSQL, the five services) with an idle probe, then runs this against it. Each phase replays a synthetic
 * capture through the probe's REST API and follows it at the outputs: what the flow- and detection-service
 * committed on the packets topic, the flows and alerts they wrote, the lag of every consumer, each process's
 * memory, and when each of the capture's alert-raising packets reached a WebSocket client of the gateway as an
 * alert. A phase at full speed gives the sustained throughput; a paced phase gives the alert latency, on a
 * capture written at its rate and replayed at speed 1, so event time keeps live traffic's pace ({@code
 * --latency-capture slowed}: the 100,000 packets/s capture replayed slower, as before 2026-12-03).
 *
 * <pre>
 * PipelineBench --kafka HOST:PORT --probe URL --gateway URL --token T --pids DIR --out DIR
 *               [--service NAME=HTTP_PORT ...] [--packets N] [--latency-rate PPS[,PPS...]]
 *               [--latency-seconds S] [--alert-every CONVERSATIONS] [--drain-timeout SECONDS]
 *               [--latency-capture live|slowed] [--mix short-flows|campus]
 * </pre>
 */
public final class PipelineBench {
    /**
     * Where the stack's probe publishes: the packets topic, or the batch topic when the stack was started with
     * NETWATCH_PROBE_PACKET_FORMAT=batches. Figures are in packets either way.
     */
    private static final String PACKET_TOPIC = "batches".equalsIgnoreCase(System.getenv("NETWATCH_PROBE_PACKET_FORMAT"))
            ? Topics.PACKET_BATCHES.name() : Topics.PACKETS.name();

    /**
     * Whether the stack was started with {@code --packet-records rules}: the probe publishes flow updates and packet
     * records only for per-packet rules, and the stream services read both topics. Figures stay in packets: the
     * capture's, not the records'.
     */
    private static final boolean FLOW_UPDATES = "rules".equals(System.getenv("NETWATCH_PACKET_RECORDS"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALERT_RULE = "tcp_flag_anomaly";

    /**
     * What one phase replays: its capture (its packets per second of capture time), the replay speed (0: as fast
     * as possible) and its alert packets.
     */
    private record Phase(String name, Path capture, long packets, double captureRatePps, double speed,
                         long alertPackets, long startMicros) {
        double ratePps() {
            return speed * captureRatePps;
        }

        /** Capture time from the first packet to the last. */
        double captureMicros() {
            return packets * 1_000_000.0 / captureRatePps;
        }
    }

    private final Map<String, String> opts;
    private final List<String[]> serviceArgs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringBuilder report = new StringBuilder();
    private PipelineSampler.Sample lastPrinted;

    private PipelineBench(Map<String, String> opts, List<String[]> serviceArgs) {
        this.opts = opts;
        this.serviceArgs = serviceArgs;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Map<String, String> opts = new LinkedHashMap<>(Map.of("packets", "1000000", "latency-seconds", "30",
                "latency-rate", "100000,5000", "alert-every", "100", "drain-timeout", "900",
                "latency-capture", "live", "mix", "short-flows", "keep-captures", "false"));
        List<String[]> services = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            if (args[i].equals("--service")) {
                services.add(args[i + 1].split("=", 2));
            } else {
                opts.put(args[i].substring(2), args[i + 1]);
            }
        }
        for (String required : List.of("kafka", "probe", "gateway", "token", "pids", "out")) {
            if (!opts.containsKey(required)) {
                usage();
            }
        }
        new PipelineBench(opts, services).run();
        System.exit(0);
    }

    private static void usage() {
        System.err.println("usage: PipelineBench --kafka HOST:PORT --probe URL --gateway URL --token T --pids DIR "
                + "--out DIR [--service NAME=PORT ...] [--packets N] [--latency-rate PPS[,PPS...]] [--latency-seconds S] "
                + "[--alert-every N] [--drain-timeout S] [--latency-capture live|slowed] [--mix short-flows|campus] [--keep-captures true]");
        System.exit(2);
    }

    private void run() throws Exception {
        Path out = Files.createDirectories(Path.of(opts.get("out")));
        int alertEvery = Integer.parseInt(opts.get("alert-every"));
        long day = 86_400_000_000L;
        List<Phase> phases = new ArrayList<>();
        long n = Long.parseLong(opts.get("packets"));
        if (n > 0) {
            phases.add(phase("full-speed", out, n, SyntheticCapture.DEFAULT_RATE_PPS, 0, alertEvery,
                    SyntheticCapture.DEFAULT_START_MICROS));
        }
        long seconds = Long.parseLong(opts.get("latency-seconds"));
        // "slowed": the paced phases' captures at 100,000 packets/s replayed slower, as the bench did until
        // 2026-12-03; kept so the two can be set side by side
        boolean slowed = switch (opts.get("latency-capture")) {
            case "live" -> false;
            case "slowed" -> true;
            default -> {
                usage();
                yield false;
            }
        };
        int k = 1;
        Map<String, Integer> timesGiven = new HashMap<>();
        for (String rate : opts.get("latency-rate").split(",")) {
            double pps = Double.parseDouble(rate.trim());
            if (pps > 0 && seconds > 0) {
                // each paced phase has a day of capture time and a capture file of its own, so its alerts are told
                // apart; a rate given again (a longer warm-up) is named by its repetition. Its capture is written
                // at its own rate and replayed at speed 1, so event time runs with the wall clock as it does live:
                // a slowed replay of a faster capture would stretch every window, timeout and expiry sweep.
                String name = "paced-" + (long) pps;
                int repetition = timesGiven.merge(name, 1, Integer::sum);
                double captureRate = slowed ? SyntheticCapture.DEFAULT_RATE_PPS : pps;
                phases.add(phase(repetition == 1 ? name : name + "-" + repetition, out, (long) (pps * seconds),
                        captureRate, pps / captureRate, alertEvery,
                        SyntheticCapture.DEFAULT_START_MICROS + k++ * day));
            }
        }
        List<PipelineSampler.Consumer> consumers = new ArrayList<>(List.of(
                new PipelineSampler.Consumer("flow-service", "netwatch-flow-service", PACKET_TOPIC),
                new PipelineSampler.Consumer("detection-service", "netwatch-detection-service",
                        PACKET_TOPIC),
                new PipelineSampler.Consumer("enrichment-service", "netwatch-enrichment-service",
                        Topics.FLOWS.name()),
                new PipelineSampler.Consumer("gateway-postgres", "netwatch-gateway-postgres", Topics.FLOWS.name())));
        if (FLOW_UPDATES) {
            consumers.add(new PipelineSampler.Consumer("flow-service updates", "netwatch-flow-service",
                    Topics.FLOW_UPDATES.name()));
            consumers.add(new PipelineSampler.Consumer("detection-service updates", "netwatch-detection-service",
                    Topics.FLOW_UPDATES.name()));
        }
        List<PipelineSampler.Service> services = new ArrayList<>();
        Path pids = Path.of(opts.get("pids"));
        services.add(new PipelineSampler.Service("kafka", pids.resolve("kafka"), null));
        // the server itself, not the launcher's pid: pg_ctl detaches it, so its backends are not the launcher's children
        Path postmaster = pids.resolveSibling("postgres").resolve("postmaster.pid");
        services.add(new PipelineSampler.Service("postgres", Files.exists(postmaster) ? postmaster
                : pids.resolve("postgres"), null));
        for (String[] s : serviceArgs) {
            services.add(new PipelineSampler.Service(s[0], pids.resolve(s[0]),
                    "http://127.0.0.1:" + s[1] + "/q/metrics"));
        }
        machine();
        try (AlertLatencyClient ws = AlertLatencyClient.connect(opts.get("gateway"), opts.get("token"));
             BrokerRequests broker = BrokerRequests.attach(pids.resolve("kafka"))) {
            for (Phase p : phases) {
                measure(p, consumers, services, ws, broker, out);
            }
        }
        reference(phases.get(0));
        if (!Boolean.parseBoolean(opts.get("keep-captures"))) {
            // a run's captures are gigabytes (16 GiB for four phases at 200,000 packets/s): a few runs filled a disk
            for (Phase p : phases) {
                Files.deleteIfExists(p.capture());
            }
        }
        Files.writeString(out.resolve("summary.md"), report);
        System.out.println();
        System.out.print(report);
    }

    private Phase phase(String name, Path out, long packets, double captureRatePps, double speed, int alertEvery,
                        long start) throws IOException {
        SyntheticCapture.Mix mix = SyntheticCapture.Mix.of(opts.get("mix"));
        Path file = out.resolve("pipeline-" + name + "-" + packets + "-" + mix.label + ".pcap");
        System.err.printf(Locale.ROOT, "writing %s (%,d packets, %,.0f packets/s of capture time, %s mix) ...%n",
                file, packets, captureRatePps, mix.label);
        long alerts = SyntheticCapture.write(file, packets, start, alertEvery, captureRatePps, mix);
        return new Phase(name, file, packets, captureRatePps, speed, alerts, start);
    }

    private void machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        line("Machine: %d cores (%s), %.0f GiB; Java %s; every process of the stack on this machine; packets on %s%s; "
                        + "traffic: the %s mix.", Runtime.getRuntime().availableProcessors(), cpu, memKb / 1048576.0,
                System.getProperty("java.version"), PACKET_TOPIC, FLOW_UPDATES
                        ? " (only those per-packet rules read) and flow updates on " + Topics.FLOW_UPDATES.name() : "",
                opts.get("mix"));
    }

    private void measure(Phase p, List<PipelineSampler.Consumer> consumers, List<PipelineSampler.Service> services,
                         AlertLatencyClient ws, BrokerRequests broker, Path out) throws Exception {
        System.err.printf(Locale.ROOT, "phase %s: replaying %s at %s ...%n", p.name(), p.capture().getFileName(),
                p.speed() == 0 ? "full speed" : String.format(Locale.ROOT, "%,.0f packets/s", p.ratePps()));
        List<String> topics = new ArrayList<>(List.of(PACKET_TOPIC, Topics.FLOWS.name(), Topics.ALERTS.name()));
        if (FLOW_UPDATES) {
            topics.add(Topics.FLOW_UPDATES.name());
        }
        // the stream services' inputs: the phase is through once they have committed the end of each
        List<PipelineSampler.Consumer> streams = consumers.stream().filter(c -> !c.topic().equals(Topics.FLOWS.name()))
                .toList();
        try (PipelineSampler sampler = new PipelineSampler(opts.get("kafka"), topics, consumers, services,
                PACKET_TOPIC.equals(Topics.PACKET_BATCHES.name()) ? PACKET_TOPIC : null)) {
            PipelineSampler.Sample before = sampler.sample();
            Map<String, ThreadCpu.Snapshot> threadsBefore = threadSnapshots(sampler);
            sampler.start();
            Map<String, Long> requestsAtStart = broker == null ? Map.of() : broker.counts();
            long t0 = System.currentTimeMillis();
            String runId = post(opts.get("probe") + "/api/probe/replay", Map.of("path", p.capture().toString(),
                    "speed", p.speed(), "loop", false)).path("run_id").asText();
            JsonNode status;
            do {
                // the replay's end to a tenth of a second: at 200,000 packets/s half a second is 3 % of a phase
                Thread.sleep(100);
                status = get(opts.get("probe") + "/api/probe/status");
                progress(sampler, before, t0);
            } while (runId.equals(status.path("run_id").asText())
                    && "replaying".equals(status.path("state").asText()));
            long replayEnd = System.currentTimeMillis();
            Map<String, Long> requestsAtEnd = broker == null ? Map.of() : broker.counts();
            // what the broker holds once the probe's producer has flushed, not the status's count, which trails
            // the producer's acknowledgements
            Map<String, Long> targets = sampler.sample().topicEnds();
            for (Map<String, Long> prev = Map.of(); !targets.equals(prev); ) {
                Thread.sleep(1000);
                prev = targets;
                targets = sampler.sample().topicEnds();
            }
            long published = targets.get(PACKET_TOPIC) - before.topicEnds().get(PACKET_TOPIC);
            long deadline = replayEnd + Long.parseLong(opts.get("drain-timeout")) * 1000;
            long drained = -1;
            while (System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                PipelineSampler.Sample s = sampler.sample();
                progress(sampler, before, t0);
                Map<String, Long> ends = targets;
                if (streams.stream().allMatch(c -> s.committed().get(c.label()) >= ends.get(c.topic()))) {
                    drained = s.atMs();
                    break;
                }
            }
            // the last alerts pass the suppressor's flush, the enrichment and the gateway after the last packet
            long alertsDeadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < alertsDeadline && alertsOf(ws, p) < p.alertPackets()) {
                Thread.sleep(500);
            }
            Thread.sleep(2000);
            PipelineSampler.Sample after = sampler.sample();
            Map<String, ThreadCpu.Snapshot> threadsAfter = threadSnapshots(sampler);
            status = get(opts.get("probe") + "/api/probe/status");
            sampler.close();
            sampler.writeCsv(out.resolve("samples-" + p.name() + ".csv"), t0);
            writeAlertCsv(p, ws, t0, out.resolve("alerts-" + p.name() + ".csv"));
            plot(p, sampler, t0, out);
            summarise(p, sampler, before, after, t0, replayEnd, drained, published, status, ws);
            line("| broker requests a second while replaying (Kafka's RequestsPerSec by type) | %s |",
                    BrokerRequests.rates(requestsAtStart, requestsAtEnd, (replayEnd - t0) / 1000.0, 6));
            summariseThreads(sampler, threadsBefore, threadsAfter, p.packets());
        }
    }

    private void progress(PipelineSampler sampler, PipelineSampler.Sample before, long t0) {
        List<PipelineSampler.Sample> s = sampler.samples();
        if (s.isEmpty()) {
            return;
        }
        PipelineSampler.Sample last = s.get(s.size() - 1);
        if ((last.atMs() - t0) / 1000 % 5 != 0 || last == lastPrinted) {
            return;
        }
        lastPrinted = last;
        String pk = PACKET_TOPIC;
        System.err.printf(Locale.ROOT, "  %4.0f s: published %,d; committed flow %,d (lag %,d), detection %,d "
                        + "(lag %,d); flows %,d, alerts %,d%n", (last.atMs() - t0) / 1000.0,
                last.topicEnds().get(pk) - before.topicEnds().get(pk),
                last.committed().get("flow-service") - before.committed().get("flow-service"),
                last.lag(sampler.consumers().get(0)),
                last.committed().get("detection-service") - before.committed().get("detection-service"),
                last.lag(sampler.consumers().get(1)),
                last.topicEnds().get(Topics.FLOWS.name()) - before.topicEnds().get(Topics.FLOWS.name()),
                last.topicEnds().get(Topics.ALERTS.name()) - before.topicEnds().get(Topics.ALERTS.name()));
    }

    private static long alertsOf(AlertLatencyClient ws, Phase p) {
        return ws.arrivals().values().stream().filter(a -> isPhaseAlert(a, p)).count();
    }

    private static boolean isPhaseAlert(AlertLatencyClient.Arrival a, Phase p) {
        // the capture's own alert packets come from 100.64.0.0/10, within the phase's day of capture time
        return ALERT_RULE.equals(a.rule()) && a.srcIp().startsWith("100.") && a.tsMicros() >= p.startMicros()
                && a.tsMicros() < p.startMicros() + 86_400_000_000L;
    }

    private void summarise(Phase p, PipelineSampler sampler, PipelineSampler.Sample before,
                           PipelineSampler.Sample after, long t0, long replayEnd, long drained, long published,
                           JsonNode status, AlertLatencyClient ws) {
        String pk = PACKET_TOPIC;
        List<PipelineSampler.Sample> samples = sampler.samples();
        long firstPacketAt = samples.stream().filter(s -> s.topicEnds().get(pk) > before.topicEnds().get(pk))
                .mapToLong(PipelineSampler.Sample::atMs).findFirst().orElse(t0);
        double replaySeconds = (replayEnd - t0) / 1000.0;
        line("");
        line("### Phase `%s`: %,d packets at %s", p.name(), p.packets(),
                p.speed() == 0 ? "full speed" : String.format(Locale.ROOT,
                        "%,.0f packets/s (a capture of %,.0f packets/s replayed at speed %.2f)",
                        p.ratePps(), p.captureRatePps(), p.speed()));
        line("");
        line("| measure | figure |");
        line("|---|---|");
        long packets = p.packets();
        if (FLOW_UPDATES) {
            long updates = after.topicEnds().get(Topics.FLOW_UPDATES.name())
                    - before.topicEnds().get(Topics.FLOW_UPDATES.name());
            line("| probe: read, decoded, published | %,d packets in %.1f s: %,.0f packets/s; %,d packet records "
                    + "(%.3f a packet, with an end-of-run marker per partition) and %,d flow updates (%.3f a packet) |",
                    packets, replaySeconds, packets / replaySeconds, published, published / (double) packets,
                    updates, updates / (double) packets);
        } else {
            line("| probe: read, decoded, published | %,d packet records (%,d packets and an end-of-run marker per "
                    + "partition) in %.1f s: %,.0f packets/s |", published, packets, replaySeconds,
                    packets / replaySeconds);
        }
        line("| probe: decode errors, publish errors, queue drops | %d, %d, %d |",
                status.path("decode_errors").asLong(), status.path("publish_errors").asLong(),
                status.path("queue_drops").asLong());
        if (drained > 0) {
            double e2e = (drained - t0) / 1000.0;
            line("| end to end: flow- and detection-service committed every %s | %.1f s after the replay "
                    + "started: **%,.0f packets/s sustained** |", FLOW_UPDATES ? "packet record and flow update"
                    : "packet", e2e, packets / e2e);
        } else {
            line("| end to end | **not drained** within %s s of the replay's end |", opts.get("drain-timeout"));
        }
        // whether the stream services kept pace while the probe replayed; the replay's last 1.5 s are left out:
        // they hold the end-of-run updates of every flow still open, sent at once, which live capture never does
        List<PipelineSampler.Consumer> streams = sampler.consumers().stream()
                .filter(c -> !c.topic().equals(Topics.FLOWS.name())).toList();
        List<LagTrend> trends = streams.stream()
                .map(c -> LagTrend.of(samples, c, firstPacketAt, replayEnd - 1500)).toList();
        if (trends.stream().allMatch(Objects::nonNull)) {
            boolean kept = trends.stream().allMatch(LagTrend::keptPace);
            line("| while replaying: flow- and detection-service | %s |", kept
                    ? String.format(Locale.ROOT, "kept pace with the replay: **%,.0f packets/s sustained, lag not "
                    + "growing**", packets / replaySeconds)
                    : "fell behind the replay (below)");
            for (int i = 0; i < streams.size(); i++) {
                line("| while replaying: %s on `%s` | %s |", streams.get(i).label(), streams.get(i).topic(),
                        trends.get(i));
            }
        }
        for (PipelineSampler.Consumer c : sampler.consumers()) {
            long done = after.committed().get(c.label()) - before.committed().get(c.label());
            long maxLag = samples.stream().mapToLong(s -> s.lag(c)).max().orElse(0);
            long lagAtReplayEnd = samples.stream().filter(s -> s.atMs() >= replayEnd).findFirst()
                    .map(s -> s.lag(c)).orElse(-1L);
            line("| %s on `%s` | %,d records; lag max %,d, at the replay's end %,d; %s |", c.label(), c.topic(),
                    done, maxLag, lagAtReplayEnd, rateWhileBusy(samples, c, firstPacketAt));
        }
        long flows = after.topicEnds().get(Topics.FLOWS.name()) - before.topicEnds().get(Topics.FLOWS.name());
        long alerts = after.topicEnds().get(Topics.ALERTS.name()) - before.topicEnds().get(Topics.ALERTS.name());
        line("| records out | %,d flow records, %,d alert records |", flows, alerts);
        List<AlertLatencyClient.Arrival> arrivals = ws.arrivals().values().stream().filter(a -> isPhaseAlert(a, p))
                .toList();
        line("| alert-raising packets in the capture, their alerts on the WebSocket | %,d, %,d |", p.alertPackets(),
                arrivals.size());
        if (p.speed() > 0 && !arrivals.isEmpty()) {
            // a packet is due at the replay's start plus its offset in the capture over the speed; the replay
            // starts after our request was sent, so this overstates latency by the request's own time
            double[] ms = latencies(arrivals, p, t0, 0);
            line("| alert latency, packet due to alert on the WebSocket | p50 %.0f ms, p99 %.0f ms, max %.0f ms |",
                    pct(ms, 50), pct(ms, 99), ms[ms.length - 1]);
            // a phase starts a day after the previous one in event time, which closes all of that one's windows
            // at once; the second half shows the steady state
            double half = p.captureMicros() / 2.0;
            double[] steady = latencies(arrivals, p, t0, half);
            if (steady.length > 0) {
                line("| the same, alerts of the phase's second half | p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d "
                        + "alerts) |", pct(steady, 50), pct(steady, 99), steady[steady.length - 1], steady.length);
            }
        }
        Map<String, Long> cpuTicks = new LinkedHashMap<>();
        sampler.services().forEach(s -> cpuTicks.put(s.name(),
                Math.max(0, after.cpuTicks().get(s.name()) - before.cpuTicks().get(s.name()))));
        long ticks = cpuTicks.values().stream().mapToLong(Long::longValue).sum();
        int cores = Runtime.getRuntime().availableProcessors();
        line("| CPU time of the whole stack | %.1f s: %.1f µs per packet (%d cores give %d s of CPU per s) |",
                ticks / 100.0, ticks * 10_000.0 / packets, cores, cores);
        for (PipelineSampler.Service s : sampler.services()) {
            long rss = samples.stream().mapToLong(x -> x.rssBytes().getOrDefault(s.name(), -1L)).max().orElse(-1);
            long heap = samples.stream().mapToLong(x -> x.heapBytes().getOrDefault(s.name(), -1L)).max()
                    .orElse(-1);
            long cpu = cpuTicks.get(s.name());
            line("| %s | CPU %.1f s (%.1f µs per packet, %.0f %%); RSS max %d MiB%s |", s.name(), cpu / 100.0,
                    cpu * 10_000.0 / packets, 100.0 * cpu / Math.max(1, ticks), PipelineSampler.mib(rss),
                    heap >= 0 ? String.format(Locale.ROOT, ", heap in use max %d MiB", PipelineSampler.mib(heap))
                            : "");
        }
    }

    private static Map<String, ThreadCpu.Snapshot> threadSnapshots(PipelineSampler sampler) {
        Map<String, ThreadCpu.Snapshot> out = new LinkedHashMap<>();
        sampler.services().forEach(s -> out.put(s.name(), ThreadCpu.of(s.pidFile())));
        return out;
    }

    /** The phase's CPU per packet by process and kind of thread (ThreadCpu). */
    private void summariseThreads(PipelineSampler sampler, Map<String, ThreadCpu.Snapshot> before,
                                  Map<String, ThreadCpu.Snapshot> after, long packets) {
        Map<String, Map<String, Long>> rows = new LinkedHashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        ThreadCpu.KINDS.forEach(k -> totals.put(k, 0L));
        for (PipelineSampler.Service s : sampler.services()) {
            Map<String, Long> kinds = ThreadCpu.byKind(before.get(s.name()), after.get(s.name()));
            rows.put(s.name(), kinds);
            kinds.forEach((k, v) -> totals.merge(k, v, Long::sum));
        }
        List<String> shown = ThreadCpu.KINDS.stream().filter(k -> totals.get(k) > 0).toList();
        long all = totals.values().stream().mapToLong(Long::longValue).sum();
        line("");
        line("CPU per packet by kind of thread (µs; from /proc/PID/task, the phase's start to its drain):");
        line("");
        line("| process | %s |", String.join(" | ", shown));
        line("|---|%s", "---|".repeat(shown.size()));
        rows.forEach((name, kinds) -> line("| %s | %s |", name, String.join(" | ", shown.stream()
                .map(k -> String.format(Locale.ROOT, "%.1f", kinds.get(k) * 10_000.0 / packets)).toList())));
        line("| **all** | %s |", String.join(" | ", shown.stream().map(k -> String.format(Locale.ROOT,
                "**%.1f** (%.0f %%)", totals.get(k) * 10_000.0 / packets, 100.0 * totals.get(k) / Math.max(1, all)))
                .toList()));
    }

    /** Records per second while a consumer made progress: from the sample before its first to its last step. */
    private static String rateWhileBusy(List<PipelineSampler.Sample> samples, PipelineSampler.Consumer c,
                                        long firstPacketAt) {
        int from = -1;
        int to = -1;
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).atMs() >= firstPacketAt
                    && samples.get(i).committed().get(c.label()) > samples.get(i - 1).committed().get(c.label())) {
                if (from < 0) {
                    from = i - 1;
                }
                to = i;
            }
        }
        if (from < 0) {
            return "no progress sampled";
        }
        PipelineSampler.Sample a = samples.get(from);
        PipelineSampler.Sample b = samples.get(to);
        return String.format(Locale.ROOT, "%,.0f records/s over the %.0f s it was busy",
                (b.committed().get(c.label()) - a.committed().get(c.label())) / ((b.atMs() - a.atMs()) / 1000.0),
                (b.atMs() - a.atMs()) / 1000.0);
    }

    /** Sorted latencies (ms) of the alerts whose packet came at least {@code fromMicros} into the capture. */
    private static double[] latencies(List<AlertLatencyClient.Arrival> arrivals, Phase p, long t0,
                                      double fromMicros) {
        return arrivals.stream().filter(a -> a.tsMicros() - p.startMicros() >= fromMicros)
                .mapToDouble(a -> latencyMs(a, p, t0)).sorted().toArray();
    }

    private static double latencyMs(AlertLatencyClient.Arrival a, Phase p, long t0) {
        return a.arrivedAtMs() - dueAtMs(a, p, t0);
    }

    private static double dueAtMs(AlertLatencyClient.Arrival a, Phase p, long t0) {
        return t0 + (a.tsMicros() - p.startMicros()) / 1000.0 / p.speed();
    }

    /**
     * Each alert of a paced phase, in the order its packet was due, so a slow one can be set beside the samples'
     * lag (same time axis: seconds since the replay was asked for) and a service's collector log.
     */
    private static void writeAlertCsv(Phase p, AlertLatencyClient ws, long t0, Path file) throws IOException {
        if (p.speed() <= 0) {
            return;
        }
        StringBuilder csv = new StringBuilder("due_s,latency_ms,rule,src_ip\n");
        ws.arrivals().values().stream().filter(a -> isPhaseAlert(a, p))
                .sorted(Comparator.comparingLong(AlertLatencyClient.Arrival::tsMicros))
                .forEach(a -> csv.append(String.format(Locale.ROOT, "%.3f,%.0f,%s,%s%n",
                        (dueAtMs(a, p, t0) - t0) / 1000.0, latencyMs(a, p, t0), a.rule(), a.srcIp())));
        Files.writeString(file, csv);
    }

    private static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private void plot(Phase p, PipelineSampler sampler, long t0, Path out) throws IOException {
        List<PipelineSampler.Sample> s = sampler.samples();
        if (s.size() < 2) {
            return;
        }
        int n = s.size() - 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = (s.get(i + 1).atMs() - t0) / 1000.0;
        }
        Color[] colours = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
                new Color(148, 103, 189), new Color(127, 127, 127), new Color(23, 190, 207),
                new Color(255, 127, 14)};
        List<PipelinePlot.Series> rates = new ArrayList<>();
        rates.add(new PipelinePlot.Series(FLOW_UPDATES ? "probe: packet records" : "probe published",
                colours[4], t, rate(s, x -> x.topicEnds().get(PACKET_TOPIC))));
        if (FLOW_UPDATES) {
            rates.add(new PipelinePlot.Series("probe: flow updates", new Color(188, 189, 34), t,
                    rate(s, x -> x.topicEnds().get(Topics.FLOW_UPDATES.name()))));
        }
        List<PipelinePlot.Series> lags = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            PipelineSampler.Consumer consumer = sampler.consumers().get(c);
            rates.add(new PipelinePlot.Series(consumer.label(), colours[c], t,
                    rate(s, x -> x.committed().get(consumer.label()))));
        }
        for (int c = 0; c < sampler.consumers().size(); c++) {
            PipelineSampler.Consumer consumer = sampler.consumers().get(c);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = s.get(i + 1).lag(consumer);
            }
            lags.add(new PipelinePlot.Series(consumer.label() + " (" + consumer.topic().replace("netwatch.", "")
                    + ")", colours[c < 4 ? c : c + 1], t, y));
        }
        String title = String.format(Locale.ROOT, "netwatch pipeline, phase %s: %,d packets at %s", p.name(),
                p.packets(), p.speed() == 0 ? "full speed" : String.format(Locale.ROOT, "%,.0f packets/s",
                        p.ratePps()));
        if (FLOW_UPDATES) {
            // records of two topics: each stream service's progress on its flow updates too
            for (int c = 4; c < sampler.consumers().size(); c++) {
                PipelineSampler.Consumer consumer = sampler.consumers().get(c);
                rates.add(new PipelinePlot.Series(consumer.label(), colours[c + 1], t,
                        rate(s, x -> x.committed().get(consumer.label()))));
            }
            PipelinePlot.write(out.resolve("pipeline-" + p.name() + ".png"), title,
                    "records/s (packet records and flow updates committed by each consumer; published by the probe)",
                    rates, "lag (records behind the end of its input topic)", lags);
        } else {
            PipelinePlot.write(out.resolve("pipeline-" + p.name() + ".png"), title, rates, lags);
        }

        Color[] serviceColours = {new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207),
                colours[0], colours[1], colours[2], colours[3], new Color(255, 127, 14)};
        List<PipelinePlot.Series> heap = new ArrayList<>();
        List<PipelinePlot.Series> rss = new ArrayList<>();
        for (int v = 0; v < sampler.services().size(); v++) {
            String name = sampler.services().get(v).name();
            double[] h = new double[n];
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                h[i] = Math.max(0, PipelineSampler.mib(s.get(i + 1).heapBytes().getOrDefault(name, -1L)));
                r[i] = Math.max(0, PipelineSampler.mib(s.get(i + 1).rssBytes().getOrDefault(name, -1L)));
            }
            Color c = serviceColours[v % serviceColours.length];
            if (sampler.services().get(v).metricsUrl() != null) {
                heap.add(new PipelinePlot.Series(name, c, t, h));
            }
            rss.add(new PipelinePlot.Series(name, c, t, r));
        }
        PipelinePlot.write(out.resolve("memory-" + p.name() + ".png"), title.replace("pipeline", "memory"),
                "heap in use (MiB; each service runs with -Xmx512m unless NETWATCH_JAVA_OPTS says otherwise)", heap,
                "resident memory (MiB)", rss);
    }

    private static double[] rate(List<PipelineSampler.Sample> s, java.util.function.ToLongFunction<PipelineSampler.Sample> f) {
        double[] y = new double[s.size() - 1];
        for (int i = 1; i < s.size(); i++) {
            double secs = Math.max(0.001, (s.get(i).atMs() - s.get(i - 1).atMs()) / 1000.0);
            y[i - 1] = Math.max(0, f.applyAsLong(s.get(i)) - f.applyAsLong(s.get(i - 1))) / secs;
        }
        return y;
    }

    /** tshark's conversation analysis of the full-speed capture, timed in the same run, as the reference. */
    private void reference(Phase p) throws Exception {
        long start = System.nanoTime();
        Process tshark;
        try {
            tshark = new ProcessBuilder("tshark", "-n", "-r", p.capture().toString(), "-q", "-z", "conv,tcp", "-z",
                    "conv,udp").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            line("");
            line("tshark not found: no reference figure (apt-get install tshark).");
            return;
        }
        int rc = tshark.waitFor();
        double secs = (System.nanoTime() - start) / 1e9;
        line("");
        line("| reference: `tshark -n -r FILE -q -z conv,tcp -z conv,udp` on the `%s` capture, while the stack idles"
                + " | %.1f s: %,.0f packets/s%s |", p.name(), secs, p.packets() / secs, rc == 0 ? "" : " (exit " + rc + ")");
    }

    private JsonNode post(String url, Map<String, Object> body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
