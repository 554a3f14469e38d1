package io.netwatch.probe.publish;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.CaptureReplay;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netwatch.records.JsonSerde;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two ways the probe publishes a capture carry the same packets: each with the same key, the same record and
 * the same partition, so a reader of either topic sees the same flows.
 */
class PacketFormatsTest {
    private static final String CAPTURE = "basic/web-tls-dns-1998pkts.pcap";

    @Test
    void batchesCarryWhatOneRecordPerPacketCarriesInTheSamePartitions() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TopicSetup.ensure(bootstrap, 3, (short) 1, Topics.probe());
        String probe = "formats-" + UUID.randomUUID().toString().substring(0, 8);
        long sentOne = CaptureReplay.capture(bootstrap, SharedPcaps.file(CAPTURE), probe + "-one", 0,
                PacketFormat.PACKETS);
        long sentBatched = CaptureReplay.capture(bootstrap, SharedPcaps.file(CAPTURE), probe + "-batched", 0,
                PacketFormat.BATCHES);
        assertEquals(1998, sentOne, "tshark counts 1998 frames; each acknowledged");
        assertEquals(1998, sentBatched);

        List<ConsumerRecord<String, PacketRecord>> one = TopicReader.read(bootstrap, Topics.PACKETS,
                r -> probe.concat("-one").equals(r.value().probeId()) && !r.value().hasMarker(), 1998,
                Duration.ofSeconds(30));
        List<ConsumerRecord<String, PacketRecord>> batched = TopicReader.readPackets(bootstrap,
                r -> probe.concat("-batched").equals(r.value().probeId()) && !r.value().hasMarker(), 1998,
                Duration.ofSeconds(30));
        assertEquals(1998, one.size());
        assertEquals(1998, batched.size(), "every packet once");

        // ids are run id + sequence: the same packet has the same sequence number in both runs
        Map<String, ConsumerRecord<String, PacketRecord>> bySeq = one.stream()
                .collect(Collectors.toMap(r -> seq(r.value()), r -> r));
        long batches = batched.stream().map(r -> r.partition() + "@" + r.offset()).distinct().count();
        assertTrue(batches < 1998 / 4, "packets travel several to a record: " + batches + " batches");
        for (ConsumerRecord<String, PacketRecord> b : batched) {
            ConsumerRecord<String, PacketRecord> o = bySeq.get(seq(b.value()));
            assertEquals(o.key(), b.key(), "same flow key");
            assertEquals(o.partition(), b.partition(), "same partition, so a flow's packets meet in one task");
            assertEquals(withoutRun(o.value()), withoutRun(b.value()), "the same record, but for run and probe");
        }
        // a flow's packets keep their order within the partition
        List<String> orderOne = one.stream().filter(r -> r.partition() == 0).map(r -> seq(r.value())).toList();
        List<String> orderBatched = batched.stream().filter(r -> r.partition() == 0).map(r -> seq(r.value())).toList();
        assertEquals(orderOne, orderBatched);
    }

    private static JsonNode withoutRun(PacketRecord p) {
        ObjectNode n = JsonSerde.MAPPER.valueToTree(p);
        n.remove("id");
        n.remove("probe_id");
        return n;
    }

    private static String seq(PacketRecord p) {
        return p.id().substring(p.id().lastIndexOf(':') + 1);
    }
}
