package io.netwatch.bench;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The broker's request counts by type (Kafka's {@code kafka.network:type=RequestMetrics,name=RequestsPerSec}), read
 * over JMX from the broker's own process: one attach for the run, two reads a phase. Much of the broker's CPU is a
 * cost per request (a produce request's appends, a fetch's response), not per record, so how many requests the
 * stack makes is what the broker's figure follows.
 */
final class BrokerRequests implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private BrokerRequests(JMXConnector connector) throws Exception {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    /** Attaches to the process in the pid file; null, with the reason printed, when it cannot. */
    static BrokerRequests attach(Path pidFile) {
        try {
            VirtualMachine vm = VirtualMachine.attach(PipelineSampler.pidOf(pidFile));
            String url;
            try {
                url = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            return new BrokerRequests(JMXConnectorFactory.connect(new JMXServiceURL(url)));
        } catch (Exception e) {
            System.err.println("broker request counts unavailable: " + e);
            return null;
        }
    }

    /** Requests handled so far, by type; empty when the broker cannot be read. */
    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        try {
            for (ObjectName n : server.queryNames(
                    new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
                // FetchConsumer and FetchFollower are kinds of Fetch, counted again under their own names
                String type = n.getKeyProperty("request");
                if (!type.equals("FetchConsumer") && !type.equals("FetchFollower")) {
                    out.merge(type, ((Number) server.getAttribute(n, "Count")).longValue(), Long::sum);
                }
            }
        } catch (Exception e) {
            System.err.println("broker request counts: " + e);
            return Map.of();
        }
        return out;
    }

    /** The busiest types a second between two reads, then all of them: "Produce 74, Fetch 76, ...; all 400". */
    static String rates(Map<String, Long> before, Map<String, Long> after, double seconds, int shown) {
        if (before.isEmpty() || after.isEmpty() || seconds <= 0) {
            return "unavailable";
        }
        List<Map.Entry<String, Long>> d = new ArrayList<>();
        after.forEach((k, v) -> d.add(Map.entry(k, Math.max(0, v - before.getOrDefault(k, 0L)))));
        d.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
        long all = d.stream().mapToLong(Map.Entry::getValue).sum();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : d.subList(0, Math.min(shown, d.size()))) {
            parts.add(String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue() / seconds));
        }
        return String.join(", ", parts) + String.format(Locale.ROOT, "; all %.0f", all / seconds);
    }

    @Override
    public void close() throws Exception {
        connector.close();
    }
}
