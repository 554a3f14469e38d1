package io.netwatch.gateway.live;

import io.netwatch.gateway.GatewayConfig;
import io.netwatch.gateway.feed.TopicFeed;
import io.netwatch.gateway.ws.LiveChannel;
import io.netwatch.records.Alert;
import io.netwatch.records.EnrichedAlert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.IpIntel;
import io.netwatch.records.PacketBatch;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.Topics;
import io.netwatch.records.TrafficMetrics;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is happening now, in memory and bounded: probes, recent traffic, active flows, recent packets and the
 * latest intel per address, kept from the topics and pushed to the WebSocket clients as it arrives.
 */
@ApplicationScoped
public class LiveView {
    public static final String METRICS = "metrics";
    public static final String ALERTS = "alerts";
    public static final String FLOWS = "flows";
    public static final String PACKETS = "packets";
    private static final int FLOWS_PER_SNAPSHOT = 200;

    private final Map<String, ProbeStatus> probes = new ConcurrentHashMap<>();
    private final TrafficHistory traffic = new TrafficHistory(600);
    private final ActiveFlows activeFlows = new ActiveFlows(100_000, 600_000_000L);
    private final PacketTail packets;
    private final IntelCache intel;
    private final Map<String, LiveChannel> channels = new LinkedHashMap<>();
    private TopicFeed liveFeed;
    private TopicFeed packetFeed;
    private TopicFeed tableFeed;

    @Inject
    public LiveView(GatewayConfig config) {
        GatewayConfig.Live live = config.live();
        this.packets = new PacketTail(live.packets());
        this.intel = new IntelCache(live.intel());
        for (String name : List.of(METRICS, FLOWS)) {
            channels.put(name, new LiveChannel(name, live.maxPending(), live.maxDropped(), 0));
        }
        channels.put(ALERTS, new LiveChannel(ALERTS, live.alertMaxPending(), live.maxDropped(), 0));
        channels.put(PACKETS, new LiveChannel(PACKETS, live.maxPending(), live.maxDropped(), live.packetSampleRate()));
    }

    /**
     * The topics read from now on (live views), the packet topics read as a tail (only the newest, as many as the
     * recent-packets view keeps), and the compacted ones read from the start (tables).
     */
    public static List<String> liveTopics() {
        return List.of(Topics.METRICS.name(), Topics.FLOWS.name(), Topics.ALERTS.name(),
                Topics.ALERTS_ENRICHED.name());
    }

    public static List<String> packetTopics() {
        return List.of(Topics.PACKETS.name(), Topics.PACKET_BATCHES.name());
    }

    /** Records of a packet topic the tail reads per refresh at most: the packets it keeps. */
    public int packetRecordsKept(String topic) {
        int kept = packets.capacity();
        return topic.equals(Topics.PACKET_BATCHES.name()) ? (kept + PacketBatch.MAX_PACKETS - 1)
                / PacketBatch.MAX_PACKETS : kept;
    }

    public static List<String> tableTopics() {
        return List.of(Topics.PROBE_STATUS.name(), Topics.IP_INTEL.name());
    }

    public void attach(TopicFeed liveFeed, TopicFeed packetFeed, TopicFeed tableFeed) {
        this.liveFeed = liveFeed;
        this.packetFeed = packetFeed;
        this.tableFeed = tableFeed;
    }

    private void packet(PacketRecord p) {
        if (p != null && !p.hasMarker()) {
            packets.add(p);
            channels.get(PACKETS).send(Map.of("type", "packet", "packet", p), f -> f.matches(p));
        }
    }

    public void handlePackets(List<ConsumerRecord<String, byte[]>> batch) {
        for (ConsumerRecord<String, byte[]> r : batch) {
            if (r.topic().equals(Topics.PACKET_BATCHES.name())) {
                PacketBatch b = packetFeed.read(Topics.PACKET_BATCHES, r);
                if (b != null && b.packets() != null) {
                    for (PacketBatch.Entry e : b.packets()) {
                        packet(e == null ? null : e.packet());
                    }
                }
            } else if (r.topic().equals(Topics.PACKETS.name())) {
                packet(packetFeed.read(Topics.PACKETS, r));
            }
        }
    }

    public void handleLive(List<ConsumerRecord<String, byte[]>> batch) {
        for (ConsumerRecord<String, byte[]> r : batch) {
            String topic = r.topic();
            if (topic.equals(Topics.METRICS.name())) {
                TrafficMetrics m = liveFeed.read(Topics.METRICS, r);
                if (m != null) {
                    traffic.add(m);
                    if (TrafficMetrics.SECOND.equals(m.resolution())) {
                        channels.get(METRICS).send(Map.of("type", "metrics", "metrics", m,
                                "active_flows", activeFlows.size()), f -> f.matchesProbe(m.probeId()));
                    }
                }
            } else if (topic.equals(Topics.FLOWS.name())) {
                FlowRecord f = liveFeed.read(Topics.FLOWS, r);
                if (f != null) {
                    activeFlows.update(f);
                }
            } else if (topic.equals(Topics.ALERTS.name())) {
                Alert a = liveFeed.read(Topics.ALERTS, r);
                if (a != null) {
                    publishAlert(a, null, null);
                }
            } else if (topic.equals(Topics.ALERTS_ENRICHED.name())) {
                EnrichedAlert e = liveFeed.read(Topics.ALERTS_ENRICHED, r);
                if (e != null && e.alert() != null) {
                    publishAlert(e.alert(), e.srcIntel(), e.dstIntel());
                }
            }
        }
    }

    private void publishAlert(Alert a, IpIntel src, IpIntel dst) {
        Map<String, Object> message = new HashMap<>();
        message.put("type", "alert");
        message.put("alert", a);
        if (src != null) {
            message.put("src_intel", src);
        }
        if (dst != null) {
            message.put("dst_intel", dst);
        }
        channels.get(ALERTS).send(message, f -> f.matches(a));
    }

    public void handleTables(List<ConsumerRecord<String, byte[]>> batch) {
        for (ConsumerRecord<String, byte[]> r : batch) {
            if (r.topic().equals(Topics.PROBE_STATUS.name())) {
                ProbeStatus s = tableFeed.read(Topics.PROBE_STATUS, r);
                if (s != null) {
                    probes.merge(s.probeId(), s, (a, b) -> b.updatedAt() >= a.updatedAt() ? b : a);
                }
            } else if (r.topic().equals(Topics.IP_INTEL.name())) {
                IpIntel i = tableFeed.read(Topics.IP_INTEL, r);
                if (i != null) {
                    intel.put(i);
                }
            }
        }
    }

    /** Every 2 s: the biggest active flows, chosen per client by its filter. */
    public void pushFlows() {
        activeFlows.expire();
        int active = activeFlows.size();
        channels.get(FLOWS).sendEach(filter -> Map.of("type", "flows", "active", active,
                "flows", activeFlows.top(FLOWS_PER_SNAPSHOT, filter::matches)));
    }

    /** What a client gets on connecting, so a view is not empty until the next event. */
    public void welcome(LiveChannel channel, WebSocketConnection c) {
        if (channel.name().equals(METRICS)) {
            for (TrafficMetrics m : traffic.latestSeconds()) {
                channel.reply(c, Map.of("type", "metrics", "metrics", m, "active_flows", activeFlows.size()));
            }
        } else if (channel.name().equals(FLOWS)) {
            channel.reply(c, Map.of("type", "flows", "active", activeFlows.size(),
                    "flows", activeFlows.top(FLOWS_PER_SNAPSHOT, f -> true)));
        }
    }

    public LiveChannel channel(String name) {
        return name == null ? null : channels.get(name);
    }

    public Collection<String> channelNames() {
        return channels.keySet();
    }

    public Collection<LiveChannel> channels() {
        return channels.values();
    }

    public Map<String, ProbeStatus> probes() {
        return probes;
    }

    public TrafficHistory traffic() {
        return traffic;
    }

    public ActiveFlows activeFlows() {
        return activeFlows;
    }

    public PacketTail packets() {
        return packets;
    }

    public IntelCache intel() {
        return intel;
    }

    public List<TopicFeed> feeds() {
        List<TopicFeed> out = new ArrayList<>();
        if (liveFeed != null) {
            out.add(liveFeed);
        }
        if (packetFeed != null) {
            out.add(packetFeed);
        }
        if (tableFeed != null) {
            out.add(tableFeed);
        }
        return out;
    }
}
