package io.netwatch.probe.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** The probe's settings (application.properties; each also as an environment variable, e.g. NETWATCH_PROBE_ID). */
@ConfigMapping(prefix = "netwatch.probe")
public interface ProbeConfig {
    /** The probe id: the node name in Kubernetes (downward API), else the host name. */
    String id();

    /** What to do at start: none, live (capture on {@link #iface()}) or replay ({@link Replay#file()}). */
    @WithDefault("none")
    String autostart();

    /** Interface to capture on; empty: the first up, non-loopback interface. */
    @WithName("interface")
    Optional<String> iface();

    /** BPF filter (pcap-filter(7) syntax) for live capture and replays. */
    Optional<String> filter();

    @WithDefault("65535")
    int snaplen();

    @WithDefault("true")
    boolean promiscuous();

    /** libpcap's kernel buffer; larger buffers ride out bursts. */
    @WithDefault("16777216")
    int bufferBytes();

    /** Frames the capture loop may queue ahead of decoding; beyond it frames are dropped and counted. */
    @WithDefault("65536")
    int queueCapacity();

    /** Leading payload bytes carried in each record for detections of cleartext protocols; 0 for none. */
    @WithDefault("96")
    int payloadHeadBytes();

    /**
     * Ports whose packets carry the payload head: cleartext protocols (FTP, Telnet, SMTP, POP3, IMAP, SNMP, LDAP,
     * rlogin, syslog). Set to "all" for every packet; that costs about a fifth of the publish rate.
     */
    @WithDefault("21,23,25,110,143,161,162,389,513,514")
    String payloadHeadPorts();

    /**
     * Threads that JSON-encode and send records; decoding stays on one thread. On two cores one is fastest
     * (docs/benchmarks.md): more threads contend with the decoder and the producer's I/O thread.
     */
    @WithDefault("1")
    int encoderThreads();

    /**
     * packets: one record per packet on netwatch.packets.v1; batches: the same records in batches per partition on
     * netwatch.packet-batches.v1, which costs the stream threads less per packet but did not raise the whole
     * pipeline's rate (docs/benchmarks.md). The stream services and the gateway read both topics.
     */
    @WithDefault("packets")
    String packetFormat();

    /**
     * Whether the probe also keeps a flow table per encoder lane and publishes each flow's start, progress and end
     * on netwatch.flow-updates.v1 (docs/topics.md), for consumers that need flows rather than every frame.
     */
    @WithDefault("false")
    boolean flowUpdates();

    /**
     * With flow-updates: all (every frame is also a packet record) or rules (packet records only for what the
     * detection-service's per-packet rules read, frames of no flow and decode errors; the rest reaches readers in
     * its flow's updates: docs/topics.md). rules needs a flow-service and detection-service that read flow updates.
     */
    @WithDefault("all")
    String packetFilter();

    /**
     * How long the packet producer waits to fill its batches before a request: longer means fewer, larger requests
     * (less CPU in the broker and in every consumer for each packet) and adds up to as much to the latency.
     */
    @WithDefault("50ms")
    Duration publishLinger();

    /** With flow-updates: the least event time between two updates of one flow while its packets arrive. */
    @WithDefault("1s")
    Duration flowUpdateInterval();

    /** With flow-updates: a flow with no packet for this long ends; keep it equal to the flow-service's. */
    @WithDefault("60s")
    Duration flowIdleTimeout();

    /** With flow-updates: after both FINs or a RST, late packets still count for this long before the flow ends. */
    @WithDefault("5s")
    Duration flowCloseGrace();

    /**
     * Bytes of recent raw frames kept for PCAP export of a flow, an alert or a time range (GET /api/probe/pcap);
     * 0 keeps none. At 100 Mbit/s, 64 MiB is about five seconds of traffic; at 1 Mbit/s, about nine minutes.
     */
    @WithDefault("67108864")
    long frameRingBytes();

    /**
     * The URL the gateway reaches this probe's API at, published in the probe status. Empty: derived from the host
     * name and the HTTP port. In Kubernetes: http://$(POD_IP):8081 (the probe uses the host network).
     */
    Optional<String> apiUrl();

    /**
     * Where the probe keeps the journal of a replay in progress, so that a restarted probe resumes it; empty: no
     * journal, an interrupted replay is lost.
     */
    Optional<String> stateDir();

    /** How often the status record is published while running. */
    @WithDefault("2s")
    Duration statusInterval();

    Replay replay();

    Topics topics();

    interface Replay {
        Optional<String> file();

        /** Speed multiplier: 1 is real time, 10 ten times faster, 0 as fast as possible. */
        @WithDefault("1")
        double speed();

        @WithDefault("false")
        boolean loop();
    }

    interface Topics {
        /** Partitions of topics this service creates when they are missing. */
        @WithDefault("3")
        int partitions();

        @WithDefault("1")
        short replication();
    }
}
