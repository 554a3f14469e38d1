package io.netwatch.probe.control;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.netwatch.probe.capture.BpfFilter;
import io.netwatch.probe.capture.CaptureException;
import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.capture.CaptureFormatException;
import io.netwatch.probe.capture.LiveCapture;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.frames.FrameRing;
import io.netwatch.probe.publish.PacketFilter;
import io.netwatch.probe.publish.PacketFormat;
import io.netwatch.probe.publish.PacketPipeline;
import io.netwatch.probe.publish.ProducerSettings;
import io.netwatch.probe.publish.PublishedPackets;
import io.netwatch.records.FlowTimeouts;
import io.netwatch.records.NativeLz4;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The probe: runs one capture or replay at a time, publishes its packets, and publishes its status on the status
 * topic periodically and on every change. Driven by the REST API, the commands topic and the autostart setting.
 */
@ApplicationScoped
public class ProbeService {
    private static final Logger LOG = Logger.getLogger(ProbeService.class);

    @Inject
    ProbeConfig config;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int httpPort;

    private KafkaProducer<String, byte[]> packetProducer;
    private PacketFormat packetFormat;
    private PacketFilter packetFilter;
    private FrameRing frames;
    private String apiUrl;
    private KafkaProducer<String, ProbeStatus> statusProducer;
    private ScheduledExecutorService scheduler;
    private Run current;
    private volatile String controlError;

    void onStart(@Observes StartupEvent ev) throws InterruptedException {
        NativeLz4.load(); // before the packet producer's first batch
        TopicSetup.ensure(bootstrapServers, config.topics().partitions(), config.topics().replication(),
                Topics.probe());
        packetFormat = PacketFormat.of(config.packetFormat());
        packetFilter = PacketFilter.of(config.packetFilter());
        if (packetFilter != PacketFilter.ALL && !config.flowUpdates()) {
            throw new IllegalArgumentException("netwatch.probe.packet-filter=" + config.packetFilter() + " needs "
                    + "netwatch.probe.flow-updates=true: the frames it leaves out would be in no record at all");
        }
        packetProducer = ProducerSettings.packetProducer(bootstrapServers, "probe-" + config.id(),
                config.publishLinger());
        statusProducer = new KafkaProducer<>(ProducerSettings.control(bootstrapServers, "probe-status-" + config.id()),
                new StringSerializer(), Topics.PROBE_STATUS.valueSerde().serializer());
        // send rates, batch sizes, errors and buffer use of the packet producer, for Prometheus
        new KafkaClientMetrics(packetProducer).bindTo(registry);
        frames = new FrameRing(config.frameRingBytes());
        apiUrl = apiUrl();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "probe-status"));
        long every = config.statusInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::publishStatus, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("probe %s publishing to %s on %s%s", config.id(), packetFormat.topic, bootstrapServers,
                !config.flowUpdates() ? "" : ", flow updates on " + Topics.FLOW_UPDATES.name()
                        + (packetFilter == PacketFilter.RULES ? ", packet records only for per-packet rules" : ""));
        autostart();
        publishStatus();
    }

    private void autostart() {
        try {
            if (resumeInterruptedReplay() || resumeInterruptedCapture()) {
                return;
            }
            switch (config.autostart()) {
                case "live" -> startCapture(new CaptureRequest(null, null, null, null), false);
                case "replay" -> startReplay(new ReplayRequest(config.replay().file().orElseThrow(() ->
                        new CaptureException(CaptureException.Kind.BAD_REQUEST,
                                "autostart=replay needs netwatch.probe.replay.file")), null, null, null));
                case "none" -> { }
                default -> throw new CaptureException(CaptureException.Kind.BAD_REQUEST,
                        "netwatch.probe.autostart must be none, live or replay, not '" + config.autostart() + "'");
            }
        } catch (CaptureException e) {
            // The service stays up so the operator can fix the settings through the API; the status says why.
            controlError = e.getMessage();
            LOG.error("autostart failed: " + e.getMessage());
        }
    }

    /**
     * Resumes the replay a killed or stopped probe left unfinished, unless the settings now ask for something else
     * (a live capture or another file).
     *
     * @return whether a replay was resumed
     */
    private boolean resumeInterruptedReplay() throws CaptureException {
        Path dir = stateDir();
        ReplayJournal j = dir == null ? null : ReplayJournal.FILE.interrupted(dir).orElse(null);
        if (j == null) {
            return false;
        }
        boolean wanted = "none".equals(config.autostart()) || ("replay".equals(config.autostart())
                && config.replay().file().map(f -> Path.of(f).toAbsolutePath().equals(Path.of(j.path())))
                .orElse(false));
        if (!wanted || !Files.isRegularFile(Path.of(j.path())) || !j.topic().equals(packetFormat.topic)) {
            LOG.infof("not resuming the interrupted replay %s of %s: the settings ask for another run, the file is "
                    + "gone or the packet format changed", j.runId(), j.path());
            ReplayJournal.FILE.clear(dir, j.runId());
            return false;
        }
        PublishedPackets published = PublishedPackets.scan(bootstrapServers, packetFormat, j.runId(), j.lanes(),
                j.startOffsets());
        if (published.ended()) {
            ReplayJournal.FILE.clear(dir, j.runId());
            return false;
        }
        LOG.infof("resuming replay %s of %s: %d of its packets were published before the restart (up to #%d)",
                j.runId(), j.path(), published.count(), published.maxSeq());
        PacketPipeline pipeline = pipeline(j.runId(), "file:" + Path.of(j.path()).getFileName(), j.lanes());
        pipeline.resumeFrom(published);
        begin(new ReplayRun(j.runId(), Path.of(j.path()), j.speed(), j.loop(), j.filter(), config.snaplen(),
                pipeline));
        return true;
    }

    /**
     * Captures again on the interface, with the filter, of the live capture an operator started through the API and
     * that was running when the probe stopped, unless the settings start a run of their own. Packets that passed
     * while the probe was down are not seen by anyone: the status of the new run starts its counts from zero.
     *
     * @return whether a capture was started
     */
    private boolean resumeInterruptedCapture() throws CaptureException {
        Path dir = stateDir();
        CaptureJournal j = dir == null ? null : CaptureJournal.FILE.interrupted(dir).orElse(null);
        if (j == null) {
            return false;
        }
        if (!"none".equals(config.autostart())) {
            LOG.infof("not resuming the live capture on %s: the settings start a run of their own (autostart=%s)",
                    j.iface(), config.autostart());
            CaptureJournal.FILE.clear(dir, j.runId());
            return false;
        }
        LOG.infof("resuming the live capture on %s (filter %s) that run %s had when the probe stopped", j.iface(),
                j.filter() == null ? "none" : "'" + j.filter() + "'", j.runId());
        try {
            startCapture(new CaptureRequest(j.iface(), j.filter() == null ? "" : j.filter(), j.snaplen(),
                    j.promiscuous()), true);
        } catch (CaptureException e) {
            // the interface may be gone for good: say so once, and do not try it again at every start
            CaptureJournal.FILE.clear(dir, j.runId());
            throw new CaptureException(e.kind(), "cannot resume the live capture on " + j.iface() + ": "
                    + e.getMessage(), e);
        }
        return true;
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (current != null && current.running) {
            current.interrupt();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        publishStatus();
        if (statusProducer != null) {
            statusProducer.close();
        }
        if (packetProducer != null) {
            packetProducer.close();
        }
    }

    /** Starts a live capture an operator asked for: kept in the journal, so a restarted probe captures again. */
    public ProbeStatus startCapture(CaptureRequest r) throws CaptureException {
        return startCapture(r, true);
    }

    private synchronized ProbeStatus startCapture(CaptureRequest r, boolean journal) throws CaptureException {
        int snaplen = r.snaplen() != null ? r.snaplen() : config.snaplen();
        if (snaplen < 64 || snaplen > 262_144) {
            throw new CaptureException(CaptureException.Kind.BAD_REQUEST, "snaplen must be 64 to 262144, not " + snaplen);
        }
        String filter = r.filter() != null ? r.filter() : config.filter().orElse(null);
        LiveCapture.Settings settings = new LiveCapture.Settings(
                r.iface() != null ? r.iface() : config.iface().orElse(null), blankToNull(filter), snaplen,
                r.promiscuous() != null ? r.promiscuous() : config.promiscuous(), config.bufferBytes());
        LiveCapture capture = LiveCapture.open(settings); // fails before the running capture is touched
        stopCurrent();
        String runId = newRunId();
        PacketPipeline pipeline = pipeline(runId, capture.iface(), config.encoderThreads());
        pipeline.setLive(true);
        Run run = new LiveRun(runId, capture, settings, config.queueCapacity(), pipeline);
        if (journal) {
            journal(CaptureJournal.FILE, runId, () -> new CaptureJournal(runId, capture.iface(), settings.filter(),
                    settings.snaplen(), settings.promiscuous()));
        }
        begin(run);
        return status();
    }

    public synchronized ProbeStatus startReplay(ReplayRequest r) throws CaptureException {
        if (r.path() == null || r.path().isBlank()) {
            throw new CaptureException(CaptureException.Kind.BAD_REQUEST, "a replay needs the path of a capture file");
        }
        double speed = r.speed() != null ? r.speed() : config.replay().speed();
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new CaptureException(CaptureException.Kind.BAD_REQUEST,
                    "speed must be a number >= 0 (0: as fast as possible), not " + speed);
        }
        Path path = Path.of(r.path());
        if (!Files.isRegularFile(path)) {
            throw new CaptureException(CaptureException.Kind.NO_SUCH_FILE, "no capture file at " + path);
        }
        String filter = blankToNull(r.filter() != null ? r.filter() : config.filter().orElse(null));
        try (CaptureFileReader reader = CaptureFileReader.open(path)) {
            if (filter != null) {
                checkFilter(filter, reader);
            }
        } catch (CaptureFormatException e) {
            throw new CaptureException(CaptureException.Kind.NOT_A_CAPTURE, e.getMessage(), e);
        } catch (IOException e) {
            throw new CaptureException(CaptureException.Kind.NO_SUCH_FILE, "cannot read " + path + ": " + e, e);
        }
        stopCurrent();
        String runId = newRunId();
        boolean loop = r.loop() != null ? r.loop() : config.replay().loop();
        PacketPipeline pipeline = pipeline(runId, "file:" + path.getFileName(), config.encoderThreads());
        journal(ReplayJournal.FILE, runId, () -> new ReplayJournal(runId, path.toAbsolutePath().toString(), speed,
                loop, filter, packetFormat.topic, pipeline.lanes(),
                PublishedPackets.endOffsets(bootstrapServers, packetFormat.topic)));
        begin(new ReplayRun(runId, path, speed, loop, filter, config.snaplen(), pipeline));
        return status();
    }

    private void checkFilter(String filter, CaptureFileReader reader) throws CaptureException, IOException {
        int linkType = reader.linkType();
        if (linkType < 0) { // pcapng: the link type comes with the first interface block
            reader.next((ts, lt, buf, off, cap, wire) -> { });
            linkType = Math.max(reader.linkType(), 1);
        }
        BpfFilter.compile(filter, linkType, config.snaplen()).free();
    }

    public synchronized ProbeStatus stop() {
        stopCurrent();
        return status();
    }

    private void stopCurrent() {
        if (current != null && current.running) {
            current.stop();
        }
    }

    /** Saves a new run's journal; without one the run goes on, but a restarted probe does not take it up. */
    private <T extends JournalFile.Entry> void journal(JournalFile<T> file, String runId,
                                                       java.util.function.Supplier<T> entry) {
        Path dir = stateDir();
        if (dir == null) {
            return;
        }
        try {
            file.save(dir, entry.get());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot keep a journal of run %s in %s (%s): a restarted probe will not take it up",
                    runId, dir, e.toString());
        }
    }

    /** Where the journals of runs in progress are kept; null: nowhere. */
    private Path stateDir() {
        return config.stateDir().map(Path::of).orElse(null);
    }

    private void begin(Run run) {
        current = run;
        controlError = null;
        run.start(() -> {
            Path dir = stateDir();
            if (!run.interrupted && dir != null) {
                ReplayJournal.FILE.clear(dir, run.runId);
                CaptureJournal.FILE.clear(dir, run.runId);
            }
            publishStatus();
        });
        publishStatus();
    }

    private PacketPipeline pipeline(String runId, String iface, int lanes) {
        PacketPipeline pipeline = new PacketPipeline(packetProducer, runId,
                new PacketRecordFactory(config.id(), iface, config.payloadHeadBytes(), headPorts()),
                lanes, frames, packetFormat);
        if (config.flowUpdates()) {
            // the active timeout does not cut flows here (docs/topics.md), so its value is only carried along
            pipeline.exportFlows(new PacketPipeline.FlowExport(new FlowTimeouts(config.flowIdleTimeout(),
                    FlowTimeouts.defaults().activeTimeout(), config.flowCloseGrace()), config.flowUpdateInterval()));
            pipeline.setPacketFilter(packetFilter);
        }
        return pipeline;
    }

    /** Recent raw frames of every run, for PCAP export. */
    public FrameRing frames() {
        return frames;
    }

    public int snaplen() {
        return config.snaplen();
    }

    private String apiUrl() {
        if (config.apiUrl().isPresent()) {
            return config.apiUrl().get();
        }
        if (httpPort <= 0) {
            return null; // a random test port is not known here; nobody could use the URL
        }
        try {
            return "http://" + java.net.InetAddress.getLocalHost().getHostName() + ":" + httpPort;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private int[] headPorts() {
        String spec = config.payloadHeadPorts().trim();
        if (spec.equalsIgnoreCase("all")) {
            return new int[0];
        }
        return java.util.Arrays.stream(spec.split("[,\\s]+")).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    private String newRunId() {
        return config.id() + "-" + Long.toString(System.currentTimeMillis(), 36);
    }

    public ProbeStatus status() {
        Run r = current;
        long now = System.currentTimeMillis() * 1000;
        if (r == null) {
            return new ProbeStatus(config.id(), controlError == null ? ProbeStatus.IDLE : ProbeStatus.FAILED, null,
                    null, null, null, null, null, null, null, now, 0, 0, 0, 0, 0, 0, null, null, null, controlError, apiUrl, null, null, null, null);
        }
        long[] pcap = r.pcapStats();
        String error = controlError != null ? controlError : r.error != null ? r.error : r.pipeline.lastError();
        return new ProbeStatus(config.id(), r.state, r.mode, r.source, r.filter, r.snaplen(), r.promiscuous(),
                r.speed(), r.runId, r.startedAtMicros, now, r.pipeline.packets.sum(), r.pipeline.bytes.sum(),
                r.pipeline.decodeErrors.sum(), r.pipeline.published.sum(), r.pipeline.publishErrors.sum(),
                r.queueDrops(), pcap == null ? null : pcap[0], pcap == null ? null : pcap[1],
                pcap == null ? null : pcap[2], error, apiUrl,
                r.pipeline.exportsFlows() ? r.pipeline.flowUpdates.sum() : null,
                r.pipeline.exportsFlows() ? r.pipeline.flowUpdateErrors.sum() : null,
                r.pipeline.exportsFlows() ? r.pipeline.packetFilter().name().toLowerCase(java.util.Locale.ROOT) : null,
                r.pipeline.exportsFlows() ? r.pipeline.filtered.sum() : null);
    }

    void publishStatus() {
        try {
            if (statusProducer != null) {
                statusProducer.send(new ProducerRecord<>(Topics.PROBE_STATUS.name(), config.id(), status()));
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot publish the probe status: %s", e.toString());
        }
    }

    /** A control command that failed: shown in the status until the next run starts. */
    public void controlFailed(String message) {
        controlError = message;
        publishStatus();
    }

    public String probeId() {
        return config.id();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
