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
                "1:abc=", "tls", 12, 1500, 900, 10, 9000, 8500, 3, 400, 2, 3000, 0x1b, 0x1b, 0x02, "SF", "ShADadFf",
                "dFf", null, null, null, null, List.of("example.com"));
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

    /** What a store kept before the deltas (format 1): read with the deltas 0 and no history added. */
    @Test
    void theFormatBeforeTheDeltasStillReads() {
        FlowUpdate u = update();
        StateBytes.Writer o = new StateBytes.Writer();
        o.writeByte(1);
        for (String t : new String[]{u.probeId(), u.runId(), u.flowKey()}) {
            o.writeOptionalUTF(t);
        }
        o.writeInt(u.updateSeq());
        o.writeOptionalUTF(u.state());
        o.writeOptionalUTF(u.endReason());
        o.writeLong(u.ts());
        o.writeLong(u.lastSeen());
        o.writeInt(u.ipProto());
        o.writeOptionalUTF(u.transport());
        o.writeInt(u.vlan());
        o.writeOptionalUTF(u.srcIp());
        o.writeOptionalInt(u.srcPort());
        o.writeOptionalUTF(u.dstIp());
        o.writeOptionalInt(u.dstPort());
        o.writeOptionalUTF(u.communityId());
        o.writeOptionalUTF(u.appProtocol());
        for (long n : new long[]{u.origPkts(), u.origBytes(), u.origPayloadBytes(), u.respPkts(), u.respBytes(),
                u.respPayloadBytes()}) {
            o.writeLong(n);
        }
        o.writeOptionalInt(u.origTcpFlags());
        o.writeOptionalInt(u.respTcpFlags());
        o.writeOptionalInt(u.firstTcpFlags());
        o.writeOptionalUTF(u.connState());
        o.writeOptionalUTF(u.history());
        o.writeOptionalInt(u.icmpType());
        o.writeOptionalInt(u.icmpCode());
        o.writeNames(List.of());
        o.writeNames(List.of());
        o.writeNames(u.tlsSni());
        FlowUpdate read = FlowUpdate.fromBytes(o.toByteArray());
        assertEquals(new FlowUpdate(u.probeId(), u.runId(), u.flowKey(), u.updateSeq(), u.state(), u.endReason(),
                u.ts(), u.lastSeen(), u.ipProto(), u.transport(), u.vlan(), u.srcIp(), u.srcPort(), u.dstIp(),
                u.dstPort(), u.communityId(), u.appProtocol(), u.origPkts(), u.origBytes(), u.origPayloadBytes(),
                u.respPkts(), u.respBytes(), u.respPayloadBytes(), 0, 0, 0, 0, u.origTcpFlags(), u.respTcpFlags(),
                u.firstTcpFlags(), u.connState(), u.history(), null, u.icmpType(), u.icmpCode(), null, null,
                u.tlsSni()), read);
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
