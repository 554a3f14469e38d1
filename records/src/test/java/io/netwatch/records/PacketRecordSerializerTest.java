package io.netwatch.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.introspect.Annotated;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written packet serializer writes what the generic record serializer would, field for field. */
class PacketRecordSerializerTest {
    /** A mapper that ignores @JsonSerialize(using=...), so it shows what the annotations alone would write. */
    private static final ObjectMapper GENERIC = new ObjectMapper().setAnnotationIntrospector(
            new JacksonAnnotationIntrospector() {
                @Override
                public Object findSerializer(Annotated a) {
                    return a.getRawType() == PacketRecord.class ? null : super.findSerializer(a);
                }
            });

    @Test
    void everyFieldIsWrittenAsTheGenericSerializerWouldInTheSameOrder() throws Exception {
        PacketRecord full = SamplePackets.FULL;
        PacketRecord sparse = SamplePackets.SPARSE;
        for (PacketRecord r : List.of(full, sparse)) {
            String fast = JsonSerde.MAPPER.writeValueAsString(r);
            String generic = GENERIC.writeValueAsString(r);
            assertEquals(generic, fast);
            JsonNode tree = JsonSerde.MAPPER.readTree(fast);
            Iterator<String> names = tree.fieldNames();
            int n = 0;
            while (names.hasNext()) {
                names.next();
                n++;
            }
            assertEquals(r == full ? 38 : 7, n, "fields written");
            assertEquals(r, JsonSerde.MAPPER.readValue(fast, PacketRecord.class), "round trip");
        }
    }
}
