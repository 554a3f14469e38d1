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
        PacketRecord full = SamplePackets.FULL;
        String json = JsonSerde.MAPPER.writeValueAsString(full);
        assertEquals(full, fast(json));
        assertEquals(generic(json), fast(json));
        String sparse = JsonSerde.MAPPER.writeValueAsString(SamplePackets.SPARSE);
        assertEquals(SamplePackets.SPARSE, fast(sparse));
        assertEquals(generic(sparse), fast(sparse));
    }

    @Test
    void unknownFieldsNullsAndQuotedNumbersAreReadAsTheGenericDeserializerReadsThem() throws Exception {
        for (String json : List.of(
                "{\"id\":\"a\",\"ts\":5,\"future_field\":{\"x\":[1,{\"ts\":9}]},\"src_port\":80,\"later\":[1,2]}",
                "{\"id\":null,\"ts\":null,\"wire_len\":null,\"src_ip\":null,\"dns\":null,\"fragment\":null}",
                "{\"ts\":\"17\",\"src_port\":\"443\",\"tcp_seq\":\"4000000000\",\"fragment\":\"true\",\"id\":42}",
                "{}",
                "{\"dns\":{\"id\":7,\"response\":true,\"qname\":\"a.example\",\"qtype\":16,\"ancount\":2,"
                        + "\"answers\":[\"x\",null,3],\"extra\":{\"deep\":[1]}}}",
                "{\"dns\":{\"id\":null,\"response\":\"true\",\"rcode\":\"3\",\"answers\":null},\"http\":{}}",
                "{\"dns\":{},\"tls\":{\"sni\":\"b.example\",\"alpn\":[\"h2\",\"http/1.1\"],\"ja3\":null}}",
                "{\"http\":{\"method\":\"GET\",\"uri\":\"/?q=%27\",\"status\":\"200\",\"user_agent\":\"curl\","
                        + "\"auth_scheme\":\"Basic\",\"unknown\":[]}}",
                "{\"arp\":{\"operation\":2,\"sender_mac\":\"00:11:22:33:44:55\",\"sender_ip\":\"10.0.0.1\","
                        + "\"target_mac\":null,\"target_ip\":\"10.0.0.2\"}}",
                "{\"icmp_quoted\":{\"ip_proto\":17,\"src_ip\":\"10.0.0.1\",\"src_port\":\"53\",\"dst_ip\":\"10.0.0.2\"}}",
                "{\"tls\":{\"alpn\":[]},\"arp\":null,\"icmp_quoted\":null,\"http\":null}")) {
            assertEquals(generic(json), fast(json), json);
        }
    }

    @Test
    void wrongTypesFailAsTheyDoForTheGenericDeserializer() {
        for (String json : List.of("{\"src_ip\":{\"a\":1}}", "{\"ts\":\"soon\"}", "{\"src_port\":[80]}",
                "{\"wire_len\":99999999999}", "[1,2]", "{\"dns\":\"a.example\"}", "{\"dns\":{\"qname\":[1]}}",
                "{\"tls\":{\"alpn\":\"h2\"}}", "{\"http\":[]}", "{\"dns\":{\"answers\":[{\"a\":1}]}}")) {
            assertThrows(Exception.class, () -> generic(json), json);
            assertThrows(Exception.class, () -> fast(json), json);
        }
    }
}
