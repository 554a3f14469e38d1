package io.netwatch.detection;

import io.netwatch.probe.SharedPcaps;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every shared capture raises the same alerts from what a probe with flow updates publishes (its flow updates, and
 * the packets {@code packet-filter=rules} keeps) as from every packet record: the same rules, sources and targets,
 * each with the same number of hits, and the same final measure (distinct ports, datagrams, ...) but where pinned
 * below with the reason.
 */
class DetectionSourcesTest {

    /** Alerts whose final measure differs by design, per capture, with why. */
    private static final Map<String, String> MEASURE_DIFFERS = Map.of(
            "attacks/dns-rrsig-amplification-fragmented.pcap|udp_reflection 45.179.193.111 -> 10.10.10.10",
            "the datagrams an update adds count at its last packet's time, each packet at its own: the 4 sent "
                    + "just before the 10 s window ended came in updates whose last packet lies past its end, so "
                    + "the window counts 380, not 384",
            "tcp-flags/two_way_all_flags.pcap|port_scan 10.0.0.80 -> 10.0.0.10",
            "a crafted capture of every flag combination: from packets, a bare SYN in the middle of an exchange opens "
                    + "another attempt (236 ports, some of them the client's); from flows, only a flow's opening "
                    + "SYN does (124)");

    @TestFactory
    Stream<DynamicTest> flowUpdatesRaiseTheAlertsOfThePackets() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : SharedPcaps.reference().keySet()) {
            tests.add(DynamicTest.dynamicTest(file, () -> {
                Map<String, long[]> fromPackets = byAlert(CaptureAlerts.of(file, DetectionSettings.defaults()));
                Map<String, long[]> fromUpdates = byAlert(CaptureAlerts.of(file,
                        DetectionSettings.defaults().withSource(FlowSource.FLOW_UPDATES)));
                assertEquals(fromPackets.keySet(), fromUpdates.keySet(), file + ": the same alerts");
                for (Map.Entry<String, long[]> e : fromPackets.entrySet()) {
                    long[] a = e.getValue();
                    long[] b = fromUpdates.get(e.getKey());
                    assertEquals(a[0], b[0], file + " " + e.getKey() + ": hits");
                    if (!MEASURE_DIFFERS.containsKey(file + "|" + e.getKey())) {
                        assertEquals(a[1], b[1], file + " " + e.getKey() + ": final measure");
                    }
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("every pinned difference is still there", () -> {
            for (String pinned : MEASURE_DIFFERS.keySet()) {
                String file = pinned.substring(0, pinned.indexOf('|'));
                String alert = pinned.substring(pinned.indexOf('|') + 1);
                long[] a = byAlert(CaptureAlerts.of(file, DetectionSettings.defaults())).get(alert);
                long[] b = byAlert(CaptureAlerts.of(file,
                        DetectionSettings.defaults().withSource(FlowSource.FLOW_UPDATES))).get(alert);
                org.junit.jupiter.api.Assertions.assertNotEquals(a[1], b[1], pinned + " is pinned as different: "
                        + "remove it from MEASURE_DIFFERS");
            }
        }));
        return tests.stream();
    }

    /** "rule src -> dst" -> {hits, final measure}, over every alert of that rule, source and target. */
    private static Map<String, long[]> byAlert(List<Alert> alerts) {
        Map<String, long[]> m = new TreeMap<>();
        for (Alert a : alerts) {
            long[] v = m.computeIfAbsent(a.rule() + " " + a.srcIp() + " -> " + a.dstIp(), x -> new long[2]);
            v[0] += a.count();
            v[1] += measure(a);
        }
        return m;
    }

    private static long measure(Alert a) {
        if (a.evidence() == null) {
            return 0;
        }
        for (String k : List.of("distinct", "count", "sum", "bytes_per_s")) {
            if (a.evidence().get(k) instanceof Number n) {
                return n.longValue();
            }
        }
        return 0;
    }
}
