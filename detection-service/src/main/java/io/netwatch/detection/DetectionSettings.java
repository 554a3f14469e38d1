package io.netwatch.detection;

import io.netwatch.detection.rules.BeaconRule;
import io.netwatch.detection.rules.InternalNetworks;
import io.netwatch.detection.rules.TrafficSpikeRule;
import io.netwatch.detection.rules.WindowRule;
import io.netwatch.detection.rules.WindowRules;
import io.netwatch.records.FlowSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything the detection topology is configured with. Times are event time (packet timestamps), except
 * {@code alertFlush}, so a replay at any speed yields the alerts a live capture would.
 *
 * @param windowRules      the windowed rules by name, with their thresholds and windows
 * @param windowGrace      how long after its end (in event time) a window still takes observations: they arrive
 *                         from every packet partition, and a failed handshake is known only after its timeout
 * @param handshakeTimeout a TCP handshake not completed this long after the SYN counts as failed; a UDP datagram
 *                         unanswered this long counts as an unanswered probe
 * @param udpIdle          an answered UDP conversation is forgotten after this long without packets
 * @param suppression      one alert per (rule, probe, source, target) while hits keep coming closer than this
 * @param alertFlush       wall-clock period at which alerts with hits not yet published are republished
 * @param loginPorts       services the brute-force rule watches
 * @param shortLogin       a connection to a login port that ends sooner than this counts as an attempt
 * @param internal         internal address ranges (exfiltration, per-host traffic baselines)
 * @param dnsLongName      a query name at least this long is suspicious
 * @param dnsEntropy       a subdomain part with at least this entropy (bits per character) is suspicious ...
 * @param dnsEntropyMinLength ... when it is at least this long (short names have low entropy whatever they are)
 * @param spike            the traffic spike rule
 * @param beacon           the beaconing rule
 * @param quietFlush       wall-clock quiet after which a partition's windows age with the clock, so the last
 *                         windows of traffic that stopped report their final counts (a replay's close at its end of
 *                         run already, but for those filled from flows)
 * @param source           what connection attempts and traffic volumes are read from: every packet record, or the
 *                         probes' flow updates (with the packet records they still publish for per-packet rules)
 * @param volumeFloor      a packet partition's per-second sum for one host (or host pair) is not sent to a volume
 *                         rule when it is below this fraction of what the rule needs per second on average (its
 *                         threshold over its window; for a host's traffic spike, its minimum bytes per second): a
 *                         window's sum can fall short by at most this fraction of the threshold per partition, and
 *                         the observations carry the hosts that could matter instead of every host every second
 */
public record DetectionSettings(Map<String, WindowRule> windowRules, Duration windowGrace, Duration handshakeTimeout,
                                Duration udpIdle,
                                Duration suppression, Duration alertFlush, Set<Integer> loginPorts,
                                Duration shortLogin, InternalNetworks internal, int dnsLongName, double dnsEntropy,
                                int dnsEntropyMinLength, TrafficSpikeRule spike, BeaconRule beacon,
                                Duration quietFlush, FlowSource source, double volumeFloor) {

    /** SSH, FTP, Telnet, RDP, SMTP submission and auth, IMAP(S), POP3(S), MySQL, PostgreSQL, MS SQL, VNC. */
    public static final Set<Integer> LOGIN_PORTS = Set.of(21, 22, 23, 3389, 25, 465, 587, 143, 993, 110, 995, 3306,
            5432, 1433, 5900);

    public static DetectionSettings defaults() {
        Map<String, WindowRule> rules = new LinkedHashMap<>();
        for (WindowRule r : WindowRules.ALL) {
            rules.put(r.name(), r);
        }
        return new DetectionSettings(rules, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofMinutes(10),
                Duration.ofSeconds(10), LOGIN_PORTS, Duration.ofSeconds(30), InternalNetworks.defaults(), 100, 4.2,
                24, TrafficSpikeRule.defaults(), BeaconRule.defaults(), Duration.ofSeconds(60), FlowSource.PACKETS, 0.01);
    }

    public WindowRule rule(WindowRule named) {
        WindowRule r = windowRules.get(named.name());
        return r != null ? r : named;
    }

    /** A copy with one window rule's threshold and window changed. */
    public DetectionSettings withRule(WindowRule named, long threshold, Duration window) {
        Map<String, WindowRule> rules = new LinkedHashMap<>(windowRules);
        rules.put(named.name(), rule(named).with(threshold, window));
        return new DetectionSettings(rules, windowGrace, handshakeTimeout, udpIdle, suppression, alertFlush,
                loginPorts, shortLogin, internal, dnsLongName, dnsEntropy, dnsEntropyMinLength, spike, beacon,
                quietFlush, source, volumeFloor);
    }

    public DetectionSettings withSpike(TrafficSpikeRule s) {
        return new DetectionSettings(windowRules, windowGrace, handshakeTimeout, udpIdle, suppression, alertFlush,
                loginPorts, shortLogin, internal, dnsLongName, dnsEntropy, dnsEntropyMinLength, s, beacon,
                quietFlush, source, volumeFloor);
    }

    /** A copy that reads connection attempts and volumes from {@code s}. */
    public DetectionSettings withSource(FlowSource s) {
        return new DetectionSettings(windowRules, windowGrace, handshakeTimeout, udpIdle, suppression, alertFlush,
                loginPorts, shortLogin, internal, dnsLongName, dnsEntropy, dnsEntropyMinLength, spike, beacon,
                quietFlush, s, volumeFloor);
    }

    long handshakeUs() {
        return handshakeTimeout.toNanos() / 1000;
    }

    long udpIdleUs() {
        return udpIdle.toNanos() / 1000;
    }

    long suppressionUs() {
        return suppression.toNanos() / 1000;
    }
}
