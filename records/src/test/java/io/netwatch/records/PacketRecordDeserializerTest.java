package io.netwatch.records;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The hand-written packet deserializer reads what the generic record deserializer reads. Every record of every
 * shared capture goes through it in the probe's MalformedCapturesTest round trip; here the inputs a producer
 * other than ours might send: unknown fields, explicit nulls, quoted numbers, wrong types.
 */
class PacketRecordDeserializerTest {
    /** The service mapper's settings, minus @JsonDeserialize(using=...): what the annotations alone would read. */
    private static final ObjectMapper GENERIC = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Object findDeserializer(Annotated a) {
                    return a.getRawType() == PacketRecord.class ? null : super.findDeserializer(a);
                }
            });

    private static PacketRecord fast(String json) {
        return Topics.PACKETS.valueSerde().deserializer().deserialize("t", json.getBytes());
    }

    private static PacketRecord generic(String json) throws Exception {
        return GENERIC.readValue(json, PacketRecord.class);
    }

    @Test
    void readsEveryFieldAsTheGenericDeserializerDoes() throws Exception {
        PacketRecord full = new PacketRecord("p-1:7", 1_700_000_000_123_456L, "node-1", "eth0", "ether", 1514, 96,
                "02:42:0a:00:00:02", "ff:ff:ff:ff:ff:ff", 2048, 100, 200, 4, "10.0.0.2", "8.8.8.8", 64, 17, "udp",
                true, 53000, 53, 18, 4_000_000_000L, 1L, 512, 40, 3, 3, 77,
                new PacketRecord.Quoted(17, "8.8.8.8", 53, "10.0.0.2", 53000),
                new PacketRecord.Arp(1, "02:42:0a:00:00:02", "10.0.0.2", "00:00:00:00:00:00", "10.0.0.1"),
                new PacketRecord.Dns(4660, true, 0, 3, "example.com", 1, "A", 1, List.of("93.184.216.34")),
                new PacketRecord.Http("GET", "/a?b=\"c\"", "1.1", "example.com", "curl/8", 200, "Basic"),
                new PacketRecord.Tls("example.com", "TLS 1.3", "771,1-2,0,29,0", "abc", List.of("h2")),
                "aGVsbG8=", "1:abc=", "truncated TCP header", "end_of_run");
        String json = JsonSerde.MAPPER.writeValueAsString(full);
        assertEquals(full, fast(json));
        assertEquals(generic(json), fast(json));
    }

    @Test
    void unknownFieldsNullsAndQuotedNumbersAreReadAsTheGenericDeserializerReadsThem() throws Exception {
        for (String json : List.of(
                "{\"id\":\"a\",\"ts\":5,\"future_field\":{\"x\":[1,{\"ts\":9}]},\"src_port\":80,\"later\":[1,2]}",
                "{\"id\":null,\"ts\":null,\"wire_len\":null,\"src_ip\":null,\"dns\":null,\"fragment\":null}",
                "{\"ts\":\"17\",\"src_port\":\"443\",\"tcp_seq\":\"4000000000\",\"fragment\":\"true\",\"id\":42}",
                "{}")) {
            assertEquals(generic(json), fast(json), json);
        }
    }

    @Test
    void wrongTypesFailAsTheyDoForTheGenericDeserializer() {
        for (String json : List.of("{\"src_ip\":{\"a\":1}}", "{\"ts\":\"soon\"}", "{\"src_port\":[80]}",
                "{\"wire_len\":99999999999}", "[1,2]")) {
            assertThrows(Exception.class, () -> generic(json), json);
            assertThrows(Exception.class, () -> fast(json), json);
        }
    }
}
