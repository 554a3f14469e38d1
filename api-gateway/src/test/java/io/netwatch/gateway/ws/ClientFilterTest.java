package io.netwatch.gateway.ws;

import io.netwatch.records.Alert;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientFilterTest {

    @Test
    void aFilterMessageIsParsedAndAnEmptyOneClearsIt() {
        ClientFilter f = ClientFilter.parse("{\"ip\":\" 10.0.0.5 \",\"port\":443,\"protocol\":\"TCP\","
                + "\"min_severity\":\"high\",\"rule\":\"port_scan\",\"probe\":\"node-1\"}");
        assertEquals(new ClientFilter("10.0.0.5", 443, "tcp", "node-1", "high", "port_scan"), f);
        assertEquals(ClientFilter.ALL, ClientFilter.parse("{}"));
        assertEquals(ClientFilter.ALL, ClientFilter.parse("{\"ip\":null,\"rule\":\"  \"}"));
    }

    @Test
    void garbageGetsAMessageSayingWhatIsWrong() {
        assertTrue(message("not json").contains("JSON object"));
        assertTrue(message("[1,2]").contains("JSON object"));
        assertTrue(message("{\"host\":\"x\"}").contains("unknown filter field 'host'"));
        assertTrue(message("{\"port\":70000}").contains("0 to 65535"));
        assertTrue(message("{\"port\":\"https\"}").contains("0 to 65535"));
        assertTrue(message("{\"min_severity\":\"urgent\"}").contains("min_severity must be one of"));
    }

    @Test
    void alertsPassBySeverityRankRuleAndAddress() {
        ClientFilter high = new ClientFilter(null, null, null, null, "high", null);
        assertTrue(high.matches(alert("critical", "port_scan", "10.0.0.1")));
        assertTrue(high.matches(alert("high", "port_scan", "10.0.0.1")));
        assertFalse(high.matches(alert("medium", "port_scan", "10.0.0.1")));
        ClientFilter scansOf = new ClientFilter("10.0.0.1", null, null, null, null, "port_scan");
        assertTrue(scansOf.matches(alert("low", "port_scan", "10.0.0.1")));
        assertFalse(scansOf.matches(alert("low", "syn_flood", "10.0.0.1")));
        assertFalse(scansOf.matches(alert("low", "port_scan", "10.0.0.2")));
    }

    private static String message(String json) {
        return assertThrows(IllegalArgumentException.class, () -> ClientFilter.parse(json)).getMessage();
    }

    private static Alert alert(String severity, String rule, String src) {
        return Alert.hit(rule, severity, null, 1_000_000L, "probe-a", src, "192.0.2.1", List.of(80),
                "test alert", Map.of());
    }
}
