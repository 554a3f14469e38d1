package io.netwatch.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the summary says of the broker's request counts between two reads. */
class BrokerRequestsTest {
    @Test
    void theBusiestTypesASecondThenAll() {
        Map<String, Long> before = Map.of("Produce", 100L, "Fetch", 50L, "EndTxn", 0L);
        Map<String, Long> after = Map.of("Produce", 300L, "Fetch", 90L, "EndTxn", 20L, "Metadata", 2L);
        assertEquals("Produce 100, Fetch 20; all 131", BrokerRequests.rates(before, after, 2.0, 2));
        assertEquals("unavailable", BrokerRequests.rates(Map.of(), after, 2.0, 2), "a broker that could not be read");
    }
}
