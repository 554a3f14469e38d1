package io.netwatch.records;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The wire form of netwatch.packet-batches.v1, as docs/topics.md documents it. */
class PacketBatchTest {
    private static final PacketRecord FIRST = PacketRecord.endOfRun("r", "p1", "eth0", 1_000_000L);
    private static final PacketRecord LATER = PacketRecord.endOfRun("r2", "p1", "eth0", 3_000_000L);

    @Test
    void aBatchIsItsProbeAndItsKeyedPacketsInOrder() throws Exception {
        PacketBatch b = new PacketBatch("p1", List.of(new PacketBatch.Entry("k1", LATER),
                new PacketBatch.Entry("k2", FIRST)));
        byte[] json = Topics.PACKET_BATCHES.valueSerde().serializer().serialize("t", b);
        JsonNode tree = JsonSerde.MAPPER.readTree(json);
        assertEquals("p1", tree.get("probe_id").asText());
        assertEquals("k1", tree.get("packets").get(0).get("key").asText());
        assertEquals(JsonSerde.MAPPER.readTree(Topics.PACKETS.valueSerde().serializer().serialize("t", LATER)),
                tree.get("packets").get(0).get("packet"), "each packet exactly as on netwatch.packets.v1");
        assertEquals(b, Topics.PACKET_BATCHES.valueSerde().deserializer().deserialize("t", json));
        assertEquals(3_000_000L, b.eventTimeUs(), "the latest capture time, not the last entry's");
    }

    @Test
    void aRecordThatIsNotABatchIsASerializationErrorNotACrash() {
        assertThrows(SerializationException.class, () -> Topics.PACKET_BATCHES.valueSerde().deserializer()
                .deserialize("t", "{\"probe_id\":\"p1\",\"packets\":{\"oops\"".getBytes(StandardCharsets.UTF_8)));
    }
}
