package io.netwatch.records;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Internal records in their compact form, and what an earlier version wrote as JSON, read alike. */
class CompactSerdeTest {
    private static final CompactSerde<FlowUpdate> SERDE = new CompactSerde<>(FlowUpdate.class, FlowUpdate::toBytes,
            FlowUpdate::fromBytes);

    private static FlowUpdate update() {
        return new FlowUpdate("probe-a", "run-1", "6/0/10.0.0.1/51000/192.0.2.7/443", 3, FlowUpdate.ACTIVE, null,
                1_700_000_000_000_000L, 1_700_000_001_500_000L, 6, "tcp", 0, "10.0.0.1", 51000, "192.0.2.7", 443,
                "1:abc=", "tls", 12, 1500, 900, 10, 9000, 8500, 0x1b, 0x1b, 0x02, "SF", "ShADadFf", null, null,
                null, null, List.of("example.com"));
    }

    @Test
    void aRecordReadsBackFromItsCompactFormWhichIsNotJson() {
        byte[] b = SERDE.serialize("t", update());
        assertNotEquals('{', b[0]);
        assertEquals(update(), SERDE.deserialize("t", b));
    }

    @Test
    void jsonWrittenBeforeStillReads() {
        byte[] json = Topics.FLOW_UPDATES.valueSerde().serializer().serialize("t", update());
        assertEquals('{', (char) json[0]);
        assertEquals(update(), SERDE.deserialize("t", json));
    }

    @Test
    void anUnknownFormatVersionIsRefusedWithWhatItIs() {
        byte[] b = SERDE.serialize("t", update());
        b[0] = 9;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SERDE.deserialize("t", b));
        assertEquals("flow update of unknown format version 9", e.getMessage());
        assertEquals(null, SERDE.deserialize("t", null));
        assertThrows(RuntimeException.class, () -> SERDE.deserialize("t", "{nope".getBytes(StandardCharsets.UTF_8)));
    }
}
