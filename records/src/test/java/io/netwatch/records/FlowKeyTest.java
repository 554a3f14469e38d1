package io.netwatch.records;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowKeyTest {
    @Test
    void bothDirectionsGiveOneKeyWithTheLowerEndFirst() {
        FlowKey ab = FlowKey.of(6, 0, "10.0.0.2", 51000, "10.0.0.10", 443);
        FlowKey ba = FlowKey.of(6, 0, "10.0.0.10", 443, "10.0.0.2", 51000);
        assertEquals(ab, ba);
        assertEquals("6/0/10.0.0.2/51000/10.0.0.10/443", ab.wire(), "10.0.0.2 < 10.0.0.10 by bytes, not text");
        assertTrue(ab.isA("10.0.0.2", 51000));
        assertEquals(ab, FlowKey.parse(ab.wire()));
    }

    @Test
    void vlanSeparatesFlowsAndIpv6KeysRoundTrip() {
        FlowKey v1 = FlowKey.of(17, 10, "2001:db8::1", 5353, "2001:db8::2", 53);
        FlowKey v2 = FlowKey.of(17, 20, "2001:db8::1", 5353, "2001:db8::2", 53);
        assertTrue(!v1.equals(v2));
        assertEquals(v1, FlowKey.parse(v1.wire()));
    }

    @Test
    void malformedWireKeysAreRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlowKey.parse("6/0/x"));
        assertTrue(e.getMessage().contains("not a flow key"));
    }

    @Test
    void ipv6IsFormattedPerRfc5952() {
        assertEquals("2001:db8::1", IpAddresses.format(IpAddresses.parse("2001:0db8:0:0:0:0:0:1"), 0, 16));
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddresses.format(IpAddresses.parse("2001:db8:0:1:1:1:1:1"), 0, 16),
                "a single zero group is not compressed");
        assertEquals("2001:0:0:1::1", IpAddresses.format(IpAddresses.parse("2001:0:0:1:0:0:0:1"), 0, 16),
                "the longest run is compressed");
        assertEquals("::", IpAddresses.format(new byte[16], 0, 16));
        assertEquals("::ffff:192.0.2.1", IpAddresses.format(IpAddresses.parse("::ffff:192.0.2.1"), 0, 16));
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse("example.com"));
    }
}
