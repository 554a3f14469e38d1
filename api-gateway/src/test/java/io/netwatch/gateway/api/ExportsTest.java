package io.netwatch.gateway.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportsTest {

    @Test
    void csvFieldsAreQuotedAsRfc4180Says() {
        assertEquals("a,1,,x\r\n", Exports.csvLine("a", 1, null, "x"));
        assertEquals("\"GET /a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n",
                Exports.csvLine("GET /a,b", "say \"hi\"", "two\nlines"));
    }

    @Test
    void theFormatIsCsvOrJson() {
        assertTrue(Exports.csv(null));
        assertTrue(Exports.csv("CSV"));
        assertEquals(false, Exports.csv("json"));
        ApiException e = assertThrows(ApiException.class, () -> Exports.csv("xml"));
        assertEquals(400, e.status());
    }
}
