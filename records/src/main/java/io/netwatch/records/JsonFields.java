package io.netwatch.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The field readers of netwatch's hand-written deserializers ({@link PacketRecordDeserializer},
 * {@link FlowUpdateDeserializer}), for records every stream service reads at the full rate.
 */
final class JsonFields {
    private JsonFields() {
    }

    /** A list of strings; anything but an array of strings and nulls takes Jackson's own path. */
    static List<String> texts(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            return t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, STRING_LIST);
        }
        List<String> out = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            out.add(text(p, e, ctxt));
        }
        return out;
    }

    static final com.fasterxml.jackson.databind.JavaType STRING_LIST = com.fasterxml.jackson.databind.type
            .TypeFactory.defaultInstance().constructCollectionType(List.class, String.class);

    // Scalars of the expected JSON type are read directly; anything else (null, a quoted number, a wrong type)
    // takes Jackson's own path, so coercions and errors are the generic deserializer's.

    static String text(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        return t == JsonToken.VALUE_STRING ? p.getText() : t == JsonToken.VALUE_NULL ? null
                : ctxt.readValue(p, String.class);
    }

    static Integer integer(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        return t == JsonToken.VALUE_NUMBER_INT ? Integer.valueOf(p.getIntValue()) : t == JsonToken.VALUE_NULL ? null
                : ctxt.readValue(p, Integer.class);
    }

    static Long longObject(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        return t == JsonToken.VALUE_NUMBER_INT ? Long.valueOf(p.getLongValue()) : t == JsonToken.VALUE_NULL ? null
                : ctxt.readValue(p, Long.class);
    }

    static long primitiveLong(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        Long v = t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Long.class);
        return v == null ? 0 : v;
    }

    static int primitiveInt(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        Integer v = t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Integer.class);
        return v == null ? 0 : v;
    }

    static Boolean bool(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE
                : t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Boolean.class);
    }

}
