package io.netwatch.records;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The hand-written flow update deserializer reads what the generic record deserializer reads. Every update of
 * every shared capture goes through it in FlowUpdateEquivalenceTest's round trip; here the inputs another
 * producer might send: unknown fields, explicit nulls, quoted numbers, wrong types.
 */
class FlowUpdateDeserializerTest {
    /** The service mapper's settings, minus @JsonDeserialize(using=...): what the annotations alone would read. */
    private static final ObjectMapper GENERIC = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Object findDeserializer(Annotated a) {
                    return a.getRawType() == FlowUpdate.class ? null : super.findDeserializer(a);
                }
            });

    static final FlowUpdate FULL = new FlowUpdate("probe-a", "run-1", "6|0|10.0.0.1|40000|10.0.0.2|80", 3,
            FlowUpdate.END, FlowRecord.END_OF_FLOW, 1_700_000_000_000_000L, 1_700_000_005_000_000L, 6, "tcp", 10,
            "10.0.0.1", 40000, "10.0.0.2", 80, "1:abc=", "http", 5, 600, 200, 4, 3000, 2600, 1, 60, 2, 1400, 0x1b,
            0x1b, 0x02, "SF", "ShADadFf", "Ff", null, null, List.of("a.example"), List.of("a.example", "b.example"), List.of("c.example"));

    private static FlowUpdate fast(String json) {
        return Topics.FLOW_UPDATES.valueSerde().deserializer().deserialize("t", json.getBytes());
    }

    private static FlowUpdate generic(String json) throws Exception {
        return GENERIC.readValue(json, FlowUpdate.class);
    }

    @Test
    void readsEveryFieldAsTheGenericDeserializerDoes() throws Exception {
        String json = JsonSerde.MAPPER.writeValueAsString(FULL);
        assertEquals(FULL, fast(json));
        assertEquals(generic(json), fast(json));
        FlowUpdate icmp = new FlowUpdate("p", "r", "1|0|10.0.0.1|7|10.0.0.2|7", 0, FlowUpdate.START, null, 5, 5, 1,
                "icmp", 0, "10.0.0.1", null, "10.0.0.2", null, null, null, 1, 98, 56, 0, 0, 0, 1, 98, 0, 0, null, null,
                null, "S0", null, null, 8, 0, null, null, null);
        String sparse = JsonSerde.MAPPER.writeValueAsString(icmp);
        assertEquals(icmp, fast(sparse));
        assertEquals(generic(sparse), fast(sparse));
        assertEquals(FULL, FlowUpdate.fromBytes(FULL.toBytes()));
        assertEquals(icmp, FlowUpdate.fromBytes(icmp.toBytes()));
    }

    /**
     * A probe from before the deltas: its start adds what it holds, its later records nothing (their totals stay
     * right; only what a reader sums from deltas misses them).
     */
    @Test
    void recordsWithoutDeltasReadAsAStartAddingAllAndLaterRecordsAddingNothing() {
        FlowUpdate start = fast("{\"state\":\"start\",\"orig_pkts\":1,\"orig_bytes\":74,\"resp_pkts\":0,"
                + "\"history\":\"S\"}");
        assertEquals(List.of(1L, 74L, 0L, 0L), List.of(start.origPktsDelta(), start.origBytesDelta(),
                start.respPktsDelta(), start.respBytesDelta()));
        assertEquals("S", start.historyAdded());
        FlowUpdate active = fast("{\"state\":\"active\",\"orig_pkts\":9,\"orig_bytes\":900,\"resp_pkts\":8,"
                + "\"resp_bytes\":8000,\"history\":\"ShAD\"}");
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(active.origPktsDelta(), active.origBytesDelta(),
                active.respPktsDelta(), active.respBytesDelta()));
        assertNull(active.historyAdded());
    }

    @Test
    void unknownFieldsNullsAndQuotedNumbersAreReadAsTheGenericDeserializerReadsThem() throws Exception {
        for (String json : List.of(
                "{\"flow_key\":\"k\",\"ts\":5,\"future\":{\"x\":[1,{\"ts\":9}]},\"src_port\":80,\"later\":[1,2]}",
                "{\"probe_id\":null,\"ts\":null,\"orig_pkts\":null,\"src_port\":null,\"dns_queries\":null}",
                "{\"ts\":\"17\",\"src_port\":\"443\",\"orig_bytes\":\"4000000000\",\"update_seq\":\"2\"}",
                "{}",
                "{\"dns_queries\":[\"a\",null],\"tls_sni\":[],\"http_hosts\":[\"h\"]}")) {
            assertEquals(generic(json), fast(json), json);
        }
    }

    @Test
    void wrongTypesFailAsTheyDoForTheGenericDeserializer() {
        for (String json : List.of("{\"src_ip\":{\"a\":1}}", "{\"ts\":\"soon\"}", "{\"src_port\":[80]}",
                "{\"vlan\":99999999999}", "[1,2]", "{\"dns_queries\":\"a.example\"}", "{\"tls_sni\":[{\"a\":1}]}")) {
            assertThrows(Exception.class, () -> generic(json), json);
            assertThrows(Exception.class, () -> fast(json), json);
        }
    }
}
