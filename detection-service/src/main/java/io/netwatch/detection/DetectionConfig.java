package io.netwatch.detection;

import io.netwatch.detection.rules.BeaconRule;
import io.netwatch.detection.rules.InternalNetworks;
import io.netwatch.detection.rules.TrafficSpikeRule;
import io.netwatch.detection.rules.WindowRule;
import io.netwatch.records.FlowSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The detection-service's settings (application.properties; each also an environment variable). Window rules are
 * tuned per rule name: {@code netwatch.detection.rules.port_scan.threshold=30},
 * {@code netwatch.detection.rules.port_scan.window=2m}, {@code ...enabled=false}.
 */
@ConfigMapping(prefix = "netwatch.detection")
public interface DetectionConfig {
    /** Per window rule overrides, by rule name. */
    Map<String, RuleConfig> rules();

    interface RuleConfig {
        Optional<Long> threshold();

        Optional<Duration> window();

        @WithDefault("true")
        boolean enabled();
    }

    @WithDefault("10s")
    Duration windowGrace();

    @WithDefault("5s")
    Duration handshakeTimeout();

    @WithDefault("60s")
    Duration udpIdle();

    @WithDefault("10m")
    Duration suppression();

    @WithDefault("10s")
    Duration alertFlush();

    @WithDefault("15s")
    Duration quietFlush();

    @WithDefault("21,22,23,25,110,143,465,587,993,995,1433,3306,3389,5432,5900")
    Set<Integer> loginPorts();

    @WithDefault("30s")
    Duration shortLogin();

    @WithDefault(InternalNetworks.DEFAULT)
    String internalNetworks();

    @WithDefault("100")
    int dnsLongName();

    @WithDefault("4.2")
    double dnsEntropy();

    @WithDefault("24")
    int dnsEntropyMinLength();

    @WithDefault("0.02")
    double spikeAlpha();

    @WithDefault("6.0")
    double spikeZ();

    @WithDefault("300")
    long spikeWarmupSeconds();

    @WithDefault("1000000")
    long spikeMinBytesPerSecond();

    @WithDefault("10")
    int beaconConnections();

    @WithDefault("0.2")
    double beaconMaxVariation();

    @WithDefault("5s")
    Duration beaconMinInterval();

    @WithDefault("1h")
    Duration beaconMaxInterval();

    /**
     * What connection attempts and traffic volumes are read from: packets (every packet record) or flow-updates (the
     * flow tables of probes run with flow-updates=true, netwatch.flow-updates.v1, beside the packet records they
     * still publish for the per-packet rules).
     */
    @WithDefault("packets")
    String source();

    /**
     * A partition's per-second sum for one host below this fraction of what a volume rule needs per second is not
     * sent to it (DetectionSettings#volumeFloor).
     */
    @WithDefault("0.01")
    double volumeFloor();

    @WithDefault("3")
    int partitions();

    @WithDefault("1")
    short replication();

    default DetectionSettings settings() {
        DetectionSettings d = DetectionSettings.defaults();
        Map<String, WindowRule> rules = new LinkedHashMap<>();
        for (WindowRule r : d.windowRules().values()) {
            RuleConfig c = rules().get(r.name());
            if (c == null) {
                rules.put(r.name(), r);
            } else if (c.enabled()) {
                rules.put(r.name(), r.with(c.threshold().orElse(r.threshold()), c.window().orElse(r.window())));
            }
        }
        for (String name : rules().keySet()) {
            if (!d.windowRules().containsKey(name)) {
                throw new IllegalArgumentException("netwatch.detection.rules." + name + ": no such window rule; "
                        + "known: " + d.windowRules().keySet());
            }
        }
        return new DetectionSettings(rules, windowGrace(), handshakeTimeout(), udpIdle(), suppression(), alertFlush(), loginPorts(),
                shortLogin(), InternalNetworks.of(internalNetworks()), dnsLongName(), dnsEntropy(),
                dnsEntropyMinLength(), new TrafficSpikeRule(spikeAlpha(), spikeZ(), spikeWarmupSeconds(),
                spikeMinBytesPerSecond()), new BeaconRule(beaconConnections(), beaconMaxVariation(),
                beaconMinInterval(), beaconMaxInterval()), quietFlush(),
                FlowSource.of("netwatch.detection.source", source()), volumeFloor());
    }
}
