package io.netwatch.detection;

import io.netwatch.detection.rules.CleartextRule;
import io.netwatch.detection.rules.DnsNames;
import io.netwatch.detection.rules.HttpAttackRule;
import io.netwatch.detection.rules.InternalNetworks;
import io.netwatch.detection.rules.TcpFlagRule;
import io.netwatch.detection.rules.WindowRule;
import io.netwatch.detection.rules.WindowRules;
import io.netwatch.records.Alert;
import io.netwatch.records.DeadlineIndex;
import io.netwatch.records.DecodedStore;
import io.netwatch.records.FlowSource;
import io.netwatch.records.FlowState;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.RawInput;
import io.netwatch.records.StreamsDrain;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the packets of one partition (partitioned by flow, so both directions of a conversation meet here).
 * Per-packet rules (cleartext logins, HTTP attack signatures, suspicious DNS names) become hits at once; what
 * windowed rules count becomes observations, re-keyed by what they count per. Connection attempts are followed to
 * their outcome in the attempt store: only failed TCP handshakes and unanswered UDP count towards scans and
 * floods, so a browser opening twenty connections is not a scan. Byte and packet counts are summed per second
 * here before they leave, so the observations topic does not carry a record per packet.
 *
 * <p>With {@link FlowSource#FLOW_UPDATES} the same partition of the probes' flow updates arrives here too (keyed
 * and partitioned as the packets are), and connection attempts, reflections, ping sweeps, Telnet servers and the
 * per-second sums come from them ({@link FlowProgress}): each update carries what the flow added since the one
 * before, so only a flow whose connection attempt still waits for its outcome is kept, in the flow progress store
 * ({@link TrackedFlow}), until a later update or its deadline decides it; a flow's {@code end} update feeds the
 * rules that judge whole connections ({@link FlowInspector#inspect}). Packets then feed the per-packet rules only,
 * and the sums only for frames that make no flow.
 */
final class PacketInspector implements Processor<String, Object, String, Object> {
    private static final Logger LOG = Logger.getLogger(PacketInspector.class);
    static final String OBSERVATIONS = "observations-sink";
    static final String HITS = "hits-sink";

    /** Source ports of UDP services that reflect and amplify: DNS, NTP, SNMP, SSDP, memcached, CLDAP, ... */
    static final Set<Integer> AMPLIFIER_PORTS = Set.of(53, 123, 161, 1900, 11211, 389, 19, 17, 500, 4500, 5353,
            3702, 111, 137, 1434, 5683);

    private final DetectionSettings settings;
    private final InternalNetworks internal;
    private final Map<String, Integer> packetPartitions;
    /** Whether connection attempts and sums come from flow updates rather than packets. */
    private final boolean fromUpdates;
    private final VolumeSums.Floors floors;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Attempt> attempts;
    /** With flow updates: each open flow's latest update, which the next one is read against. */
    private DecodedStore<byte[], TrackedFlow> progress;
    private KeyValueStore<String, byte[]> progressStore;
    /**
     * Event time per probe: probes share partitions, and a replay of an old capture beside a live probe must
     * neither fail the live probe's pending handshakes nor have its own failed by the live clock.
     */
    private final Map<String, ProbeClock> clocks = new HashMap<>();
    /** The clock of the packet being inspected. */
    private ProbeClock clock;
    private long skipped;
    private final StreamsDrain drain;

    /** One probe's event time in this partition, its pending attempts' deadlines and its per-second sums. */
    private final class ProbeClock {
        /** When each attempt falls due: no scan of the store as event time moves on. */
        final DeadlineIndex deadlines = new DeadlineIndex();
        /** With flow updates: the run of the probe's latest update here. */
        String run;
        final VolumeSums sums = new VolumeSums(floors, internal);
        long streamTime = Long.MIN_VALUE;
        long tallySecond = Long.MIN_VALUE;
    }

    PacketInspector(DetectionSettings settings, Map<String, Integer> packetPartitions, StreamsDrain drain) {
        this.settings = settings;
        this.drain = drain;
        this.internal = settings.internal();
        this.packetPartitions = packetPartitions;
        this.fromUpdates = settings.source() == FlowSource.FLOW_UPDATES;
        this.floors = VolumeSums.Floors.of(settings);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        // Kafka Streams calls init again on the same instance when it revives a task (its stores wiped and
        // restored from the changelog, its input re-read from the last commit): what lives in memory starts over
        clocks.clear();
        clock = null;
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, t -> {
            if (drain.draining()) {
                flushAllTallies();
            }
        });
        if (fromUpdates) {
            progressStore = context.getStateStore(DetectionTopology.PROGRESS_STORE);
            progress = new DecodedStore<>(progressStore, TrackedFlow::fromBytes, TrackedFlow::toBytes);
            List<String> decided = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = progressStore.all()) {
                it.forEachRemaining(kv -> {
                    TrackedFlow t = TrackedFlow.fromBytes(kv.value);
                    if (t.attemptPending()) {
                        clockOf(t.last().probeId()).deadlines.put(kv.key, t.last().ts() + settings.handshakeUs());
                    } else {
                        decided.add(kv.key); // kept by versions that stored every open flow
                    }
                });
            }
            decided.forEach(k -> progressStore.put(k, null));
        } else {
            this.attempts = context.getStateStore(DetectionTopology.ATTEMPT_STORE);
            try (KeyValueIterator<String, Attempt> it = attempts.all()) {
                it.forEachRemaining(kv -> clockOf(kv.value.probeId()).deadlines.put(kv.key, deadline(kv.value)));
            }
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        handle(record);
        if (drain.draining()) {
            flushAllTallies(); // the service is closing: into this commit, not into close() (StreamsDrain)
        }
    }

    private void handle(Record<String, Object> record) {
        RawInput.release(context); // a cached store keeps what the context holds
        if (record.value() instanceof FlowUpdate u) {
            if (fromUpdates) {
                handle(record.key(), u);
            }
            return;
        }
        if (!(record.value() instanceof PacketRecord p)) {
            return;
        }
        clock = clockOf(p.probeId());
        if (p.hasMarker()) {
            // The probe's run is over: what is still pending will never be answered.
            flushTallies();
            expireAttempts(clock.deadlines.pollAll());
            // With flow updates, the flows' ends are on another topic and may come after this marker: their entries
            // stay for them (an end seen as a flow's first update would count its attempt again), and what an
            // end never comes for goes when the probe's next run reaches this partition.
            if (PacketRecord.END_OF_RUN.equals(p.marker())) {
                endOfRun(p);
            }
            return;
        }
        advance(p.ts());
        try {
            // two probes that see the same connection follow it each on its own
            inspect(p.probeId() + "|" + record.key(), record.key(), p);
        } catch (RuntimeException e) {
            skipped(e, p.id());
        }
    }

    private void handle(String flowKey, FlowUpdate u) {
        clock = clockOf(u.probeId());
        if (!u.runId().equals(clock.run)) {
            forgetEarlierRuns(u.probeId(), u.runId());
        }
        advance(u.lastSeen());
        String key = u.probeId() + "|" + flowKey;
        // only flows whose attempt waits for its outcome are stored, each with a deadline in memory: the other
        // updates skip the store
        TrackedFlow stored = clock.deadlines.contains(key) ? progress.get(key) : null;
        if (stored != null && stored.last().ts() != u.ts()) {
            // an earlier flow on these ports whose end never came: its attempt never completed either
            clock.deadlines.remove(key);
            failed(stored.attempt());
            stored = null;
        }
        boolean wasPending = stored != null;
        boolean pending = wasPending;
        try {
            pending = inspect(key, new FlowProgress(u), wasPending);
            if (FlowUpdate.END.equals(u.state())) {
                FlowInspector.inspect(FinishedFlow.of(u), settings, this::emit);
            }
        } catch (RuntimeException e) {
            skipped(e, u.probeId() + "|" + u.runId() + "|" + flowKey);
        }
        if (pending && !wasPending) {
            progress.put(key, new TrackedFlow(u, true));
        } else if (!pending && wasPending) {
            progress.delete(key);
        }
    }

    /**
     * The probe's first update of a run here: every update of its earlier runs in this partition came before it, so
     * what is still kept of them belongs to flows whose end was lost with the probe (a kill) and will not come.
     */
    private void forgetEarlierRuns(String probeId, String runId) {
        clock.run = runId;
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = progressStore.prefixScan(probeId + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (!runId.equals(TrackedFlow.fromBytes(kv.value).last().runId())) {
                    stale.add(kv.key);
                }
            }
        }
        for (String key : stale) {
            TrackedFlow t = progress.get(key);
            if (t != null && t.attemptPending()) {
                failed(t.attempt()); // as the marker of its run would have failed it
            }
            progress.delete(key);
            clock.deadlines.remove(key);
        }
    }

    /** One odd record must not stop detection for everything behind it. */
    private void skipped(RuntimeException e, String what) {
        skipped++;
        if (skipped == 1 || Long.bitCount(skipped) == 1) {
            LOG.warnf(e, "%d records skipped by the detection rules, latest %s", skipped, what);
        }
    }

    /** Moves the probe's event time here to {@code ts}: sums of earlier seconds leave, attempts due fail. */
    private void advance(long ts) {
        long second = Math.floorDiv(ts, 1_000_000);
        if (second > clock.tallySecond) {
            flushTallies();
            clock.tallySecond = second;
        }
        if (ts > clock.streamTime) {
            clock.streamTime = ts;
            // attempts that failed before this record are reported before what it shows, so that observations
            // leave roughly in event-time order
            expireAttempts(clock.deadlines.pollDue(clock.streamTime));
        }
    }

    /**
     * Tells every window partition that this packet partition has seen the end of the probe's run, after all it
     * observed of it: windows then close on that evidence, not on wall-clock quiet.
     */
    private void endOfRun(PacketRecord p) {
        RecordMetadata m = context.recordMetadata().orElse(null);
        Integer partitions = m == null ? null : packetPartitions.get(m.topic());
        if (partitions == null) {
            return; // how many partitions must report is not known: the windows wait for quiet
        }
        int partition = m.partition();
        Observation o = Observation.endOfRun(p.probeId(), p.runId(), partition, partitions, p.ts());
        context.forward(new Record<String, Object>(o.key(), o, o.ts() / 1000), OBSERVATIONS);
    }

    /**
     * Sends the per-second sums still open. Under exactly-once they do not reach the rules from here: Kafka Streams
     * 4.1 commits the task before it closes its processors, and what they forward then is aborted. The service
     * drains first ({@link StreamsDrain}), so the sums go out while the task still processes; what this still
     * sends counts where close() comes before a commit (a rebalance).
     */
    @Override
    public void close() {
        flushAllTallies();
    }

    private void flushAllTallies() {
        ProbeClock current = clock;
        for (ProbeClock c : clocks.values()) {
            clock = c;
            flushTallies();
        }
        clock = current;
    }

    private void inspect(String key, String flowKey, PacketRecord p) {
        InternalNetworks.Scope dstScope = internal.scope(p.dstIp());
        if (!fromUpdates || !FlowState.carriesFlow(flowKey, p)) {
            clock.sums.add(p, dstScope); // a flow's packets are summed from its updates
        }
        boolean ports = p.srcPort() != null && p.dstPort() != null;
        CleartextRule.Finding f = ports ? CleartextRule.inspect(p) : null;
        if (f == null && ports && !fromUpdates) {
            f = CleartextRule.telnet(p); // from flow updates: a flow's SYN-ACK on the Telnet port
        }
        if (f != null) {
            hit(f, p.ts(), p.probeId());
        }
        boolean tcp = "tcp".equals(p.transport()) && ports;
        if (tcp && p.tcpFlags() != null) {
            flagAnomaly(p);
        }
        // with flow updates, connection attempts and ping sweeps come from the flows' updates
        if (!fromUpdates) {
            if (tcp) {
                tcp(key, p);
            } else if ("udp".equals(p.transport()) && ports) {
                udp(key, p, dstScope);
            } else if (p.icmpType() != null && isEchoRequest(p) && dstScope != InternalNetworks.Scope.SPECIAL) {
                observe(WindowRules.PING_SWEEP, p.srcIp(), p, p.srcIp(), null, null, p.dstIp(), 1);
            }
        }
        if (p.dns() != null && !p.dns().response() && p.dns().qname() != null && p.srcIp() != null) {
            dns(p);
        }
        if (p.http() != null && p.http().method() != null) {
            http(p);
        }
        if (p.arp() != null) {
            arp(p);
        }
    }

    private static boolean isEchoRequest(PacketRecord p) {
        return (p.ipVersion() != null && p.ipVersion() == 4 && "icmp".equals(p.transport()) && p.icmpType() == 8)
                || ("icmpv6".equals(p.transport()) && p.icmpType() == 128);
    }

    private void tcp(String key, PacketRecord p) {
        int core = p.tcpFlags() == null ? 0 : p.tcpFlags() & (PacketRecord.FIN | PacketRecord.SYN
                | PacketRecord.RST | PacketRecord.ACK);
        // Only the segments a normal stack sends open or answer a handshake here (ECN and PSH bits aside);
        // odd combinations are reported as flag anomalies and do not count as connection attempts.
        boolean syn = core == PacketRecord.SYN;
        boolean synAck = core == (PacketRecord.SYN | PacketRecord.ACK);
        boolean rst = (core & PacketRecord.RST) != 0 && (core & PacketRecord.SYN) == 0;
        boolean ack = core == PacketRecord.ACK;
        Attempt a = attempt(key);
        if (syn) {
            if (a == null) {
                put(key, new Attempt("tcp", p.probeId(), p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort(),
                        p.ts(), p.ts(), Attempt.SENT));
                observe(WindowRules.CONNECTION_FLOOD, p.srcIp() + ">" + p.dstIp(), p, p.srcIp(), p.dstIp(),
                        p.dstPort(), null, 1);
            }
            return;
        }
        if (a == null) {
            if (synAck) {
                // A SYN-ACK for no SYN seen: backscatter, unless the capture began mid-handshake.
                observe(WindowRules.SYN_ACK_REFLECTION, p.dstIp(), p, p.srcIp(), p.dstIp(), p.dstPort(), null, 1);
            }
            return;
        }
        boolean fromInitiator = a.fromInitiator(p.srcIp(), p.srcPort());
        if (rst) {
            failed(key, a);
        } else if (synAck && !fromInitiator) {
            put(key, a.with(Attempt.SYN_ACKED, p.ts()));
        } else if (ack && fromInitiator) {
            delete(key);
        }
    }

    private void flagAnomaly(PacketRecord p) {
        String odd = TcpFlagRule.anomaly(p.tcpFlags());
        if (odd != null) {
            hit(Alert.hit(TcpFlagRule.NAME, Alert.MEDIUM, "T1046", p.ts(), p.probeId(), p.srcIp(), p.dstIp(),
                    List.of(p.dstPort()), p.srcIp() + " sent a TCP " + odd + " segment to " + p.dstIp() + ":"
                            + p.dstPort() + " (stealth scan or OS fingerprinting probe)", Map.of("flags", odd)));
        }
    }

    private void udp(String key, PacketRecord p, InternalNetworks.Scope dstScope) {
        if (dstScope == InternalNetworks.Scope.SPECIAL) {
            return;
        }
        Attempt a = attempt(key);
        boolean fromAmplifier = AMPLIFIER_PORTS.contains(p.srcPort());
        if (fromAmplifier && (a == null || (a.fromInitiator(p.srcIp(), p.srcPort()) && a.state() == Attempt.SENT))) {
            // an answer to a question nobody here asked: every datagram of it counts towards a reflection
            observe(WindowRules.UDP_REFLECTION, p.dstIp(), p, p.srcIp(), p.dstIp(), null, null, 1);
        }
        if (a == null) {
            put(key, new Attempt("udp", p.probeId(), p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort(), p.ts(),
                    p.ts(), Attempt.SENT));
        } else if (!a.fromInitiator(p.srcIp(), p.srcPort())) {
            if (a.state() != Attempt.ANSWERED || p.ts() - a.last() > 1_000_000) {
                put(key, a.with(Attempt.ANSWERED, p.ts()));
            }
        } else if (p.ts() - a.last() > 1_000_000) {
            // refreshed at most once a second: the store is changelogged
            put(key, a.with(a.state(), p.ts()));
        }
    }

    /** A TCP handshake that will not complete, or a UDP datagram nobody answered. */
    private void failed(String key, Attempt a) {
        delete(key);
        failed(a);
    }

    private void failed(Attempt a) {
        String proto = a.transport();
        if ("udp".equals(proto) && AMPLIFIER_PORTS.contains(a.srcPort())) {
            return; // counted as a reflection as it arrived, and no scan by the reflector
        }
        String port = proto + "/" + a.dstPort();
        observe(WindowRules.PORT_SCAN, a.srcIp() + ">" + a.dstIp(), a, a.srcIp(), a.dstIp(), null, port, 1);
        observe(WindowRules.HORIZONTAL_SCAN, a.srcIp() + ">" + port, a, a.srcIp(), null, a.dstPort(), a.dstIp(), 1);
        if ("tcp".equals(proto)) {
            observe(WindowRules.SYN_FLOOD, a.dstIp() + ":" + a.dstPort(), a, null, a.dstIp(), a.dstPort(), null, 1);
            observe(WindowRules.SYN_FLOOD_SOURCE, a.srcIp() + ">" + a.dstIp() + ":" + a.dstPort(), a, a.srcIp(),
                    a.dstIp(), a.dstPort(), null, 1);
        }
    }

    /**
     * Most packets belong to no pending attempt; every stored attempt has a deadline in memory, so those packets
     * skip the RocksDB lookup.
     */
    private Attempt attempt(String key) {
        return clock.deadlines.contains(key) ? attempts.get(key) : null;
    }

    private ProbeClock clockOf(String probeId) {
        return clocks.computeIfAbsent(String.valueOf(probeId), x -> new ProbeClock());
    }

    private long deadline(Attempt a) {
        return a.state() == Attempt.ANSWERED ? a.last() + settings.udpIdleUs() : a.first() + settings.handshakeUs();
    }

    private void put(String key, Attempt a) {
        attempts.put(key, a);
        clock.deadlines.put(key, deadline(a));
    }

    private void delete(String key) {
        // put(key, null) deletes without reading and decoding the old value, as delete() does to return it
        attempts.put(key, null);
        clock.deadlines.remove(key);
    }

    /** Attempts due: an answered UDP conversation is forgotten, anything else has failed. */
    private void expireAttempts(List<String> due) {
        if (fromUpdates) {
            for (String key : due) {
                TrackedFlow t = progress.get(key);
                if (t != null) {
                    failed(t.attempt());
                    progress.delete(key);
                }
            }
            return;
        }
        for (String key : due) {
            Attempt a = attempts.get(key);
            if (a == null) {
                continue;
            }
            if (a.state() == Attempt.ANSWERED) {
                attempts.put(key, null);
            } else {
                failed(key, a);
            }
        }
    }

    /**
     * What a flow update shows the connection, reflection, sweep, Telnet and volume rules.
     *
     * @param pending whether the flow's attempt waited for its outcome before this update
     * @return whether it still does
     */
    private boolean inspect(String key, FlowProgress f, boolean pending) {
        FlowUpdate u = f.now();
        InternalNetworks.Scope dstScope = internal.scope(u.dstIp());
        clock.sums.add(f, dstScope);
        if (u.srcPort() == null || u.dstPort() == null) {
            if (f.first() && f.echoRequest() && dstScope != InternalNetworks.Scope.SPECIAL) {
                observe(WindowRules.PING_SWEEP, u.srcIp(), u.probeId(), u.ts(), u.srcIp(), null, null, u.dstIp(), 1);
            }
            return false;
        }
        if (f.tcp()) {
            return tcp(key, f, pending);
        }
        return f.udp() && dstScope != InternalNetworks.Scope.SPECIAL && udp(key, f, pending);
    }

    private boolean tcp(String key, FlowProgress f, boolean pending) {
        FlowUpdate u = f.now();
        if (f.first() && f.openedBySyn()) {
            observe(WindowRules.CONNECTION_FLOOD, u.srcIp() + ">" + u.dstIp(), u.probeId(), u.ts(), u.srcIp(),
                    u.dstIp(), u.dstPort(), null, 1);
            pending = outcome(key, f, f.handshake(), true);
        } else if (pending) {
            pending = outcome(key, f, f.handshake(), false);
        }
        long synAcks = f.unaskedSynAcks();
        if (synAcks > 0) {
            // the flow's originator is the host the SYN-ACKs went to
            observe(WindowRules.SYN_ACK_REFLECTION, u.srcIp(), u.probeId(), f.ts(), u.dstIp(), u.srcIp(),
                    u.srcPort(), null, synAcks);
        }
        if (f.telnetAccepted()) {
            hit(CleartextRule.telnet(u.srcIp(), u.dstIp()), u.ts(), u.probeId());
        }
        return pending;
    }

    private boolean udp(String key, FlowProgress f, boolean pending) {
        FlowUpdate u = f.now();
        long unsolicited = f.unsolicitedDatagrams();
        if (unsolicited > 0) {
            observe(WindowRules.UDP_REFLECTION, u.dstIp(), u.probeId(), f.ts(), u.srcIp(), u.dstIp(), null, null,
                    unsolicited);
        }
        FlowProgress.Handshake h = f.answered() ? FlowProgress.Handshake.COMPLETED
                : f.ended() ? FlowProgress.Handshake.FAILED : FlowProgress.Handshake.PENDING;
        if (f.first()) {
            return h != FlowProgress.Handshake.COMPLETED && outcome(key, f, h, true);
        }
        return pending && outcome(key, f, h, false);
    }

    /**
     * An attempt's outcome as this update shows it: a failure is observed at once, a pending attempt gets (or keeps)
     * its deadline, a decided one loses it. Returns whether it is still pending.
     */
    private boolean outcome(String key, FlowProgress f, FlowProgress.Handshake h, boolean opened) {
        switch (h) {
            case PENDING -> {
                if (opened) {
                    clock.deadlines.put(key, f.now().ts() + settings.handshakeUs());
                }
                return true;
            }
            case FAILED -> failed(TrackedFlow.attemptOf(f.now()));
            case COMPLETED -> {
            }
        }
        clock.deadlines.remove(key);
        return false;
    }

    private void dns(PacketRecord p) {
        String client = p.srcIp();
        String qname = p.dns().qname();
        observe(WindowRules.DNS_QUERY_RATE, client, p, client, p.dstIp(), p.dstPort(), null, 1);
        Integer qtype = p.dns().qtype();
        if (qtype != null && (qtype == 16 || qtype == 10)) {
            observe(WindowRules.DNS_TXT_VOLUME, client, p, client, p.dstIp(), p.dstPort(), null, 1);
        }
        String domain = DnsNames.registeredDomain(qname);
        String sub = DnsNames.subdomain(qname, domain);
        if (!sub.isEmpty()) {
            observe(WindowRules.DNS_TUNNEL, client + ">" + domain, p, client, p.dstIp(), p.dstPort(), sub, 1);
        }
        String label = DnsNames.longestLabel(sub);
        double entropy = DnsNames.entropy(label);
        boolean longName = qname.length() >= settings.dnsLongName();
        boolean random = label.length() >= settings.dnsEntropyMinLength() && entropy >= settings.dnsEntropy();
        if (longName || random) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("qname", qname);
            ev.put("domain", domain);
            ev.put("length", qname.length());
            ev.put("label_entropy", Math.round(entropy * 100) / 100.0);
            ev.put("qtype", p.dns().qtypeName());
            hit(Alert.hit("dns_suspicious_name", Alert.LOW, "T1071.004", p.ts(), p.probeId(), client, p.dstIp(),
                    List.of(p.dstPort()), client + " asked for a " + (longName ? "long" : "random-looking")
                            + " name under " + domain + " (possible DNS tunnelling)", ev));
        }
    }

    private void http(PacketRecord p) {
        for (HttpAttackRule.Match m : HttpAttackRule.match(p.http().uri(), p.http().userAgent())) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("method", p.http().method());
            ev.put("host", p.http().host());
            ev.put("uri", p.http().uri());
            ev.put("matched_in", m.field());
            ev.put("pattern", m.pattern());
            HttpAttackRule.Signature s = m.signature();
            hit(Alert.hit(s.rule(), s.severity(), s.mitre(), p.ts(), p.probeId(), p.srcIp(), p.dstIp(),
                    List.of(p.dstPort()), p.srcIp() + " sent an HTTP request with a " + s.what() + " signature to "
                            + p.dstIp() + ":" + p.dstPort(), ev));
        }
    }

    private void arp(PacketRecord p) {
        PacketRecord.Arp arp = p.arp();
        if (arp.senderIp() == null || arp.senderMac() == null || "0.0.0.0".equals(arp.senderIp())) {
            return;
        }
        observe(WindowRules.ARP_SPOOFING, arp.senderIp(), p, null, arp.senderIp(), null, arp.senderMac(), 1);
        if (arp.operation() == 1 && arp.targetIp() != null && !arp.targetIp().equals(arp.senderIp())) {
            observe(WindowRules.ARP_SWEEP, arp.senderIp(), p, arp.senderIp(), null, null, arp.targetIp(), 1);
        }
        observe(WindowRules.ARP_MAC_MANY_IPS, arp.senderMac(), p, arp.senderMac(), null, null, arp.senderIp(), 1);
    }

    private void flushTallies() {
        if (!clock.sums.isEmpty()) {
            clock.sums.flush(clock.tallySecond * 1_000_000, this::emit);
        }
    }

    private void observe(WindowRule rule, String entity, PacketRecord p, String src, String dst, Integer port,
                         String value, long amount) {
        emit(new Observation(rule.name(), entity, p.ts(), p.probeId(), src, dst, port, value, amount));
    }

    private void observe(WindowRule rule, String entity, Attempt a, String src, String dst, Integer port,
                         String value, long amount) {
        observe(rule, entity, a.probeId(), a.first(), src, dst, port, value, amount);
    }

    private void observe(WindowRule rule, String entity, String probeId, long ts, String src, String dst,
                         Integer port, String value, long amount) {
        emit(new Observation(rule.name(), entity, ts, probeId, src, dst, port, value, amount));
    }

    private void emit(Observation o) {
        context.forward(new Record<String, Object>(o.key(), o, o.ts() / 1000), OBSERVATIONS);
    }

    private void hit(CleartextRule.Finding f, long ts, String probeId) {
        hit(Alert.hit(f.rule(), f.severity(), f.mitre(), ts, probeId, f.client(), f.server(), List.of(f.port()),
                f.description(), f.evidence()));
    }

    private void hit(Alert hit) {
        context.forward(new Record<String, Object>(hit.suppressionKey(), hit, hit.ts() / 1000), HITS);
    }
}
