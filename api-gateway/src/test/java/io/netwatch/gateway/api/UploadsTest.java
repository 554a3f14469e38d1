package io.netwatch.gateway.api;

import io.netwatch.probe.SharedPcaps;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UploadsTest {

    @Test
    void capturesAreKnownByTheirMagicNumber() throws Exception {
        assertEquals("pcap", format("basic/web-tls-dns-1998pkts.pcap"));
        assertEquals("pcapng", format("scans/nmap-syn-scan.pcapng"));
        assertEquals("pcap", format("attacks/udp-snmp-amplification.pcapng"), "named .pcapng, written as pcap: the "
                + "bytes decide, not the name");
        assertNull(Uploads.format("GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII)), "not a capture");
        assertNull(Uploads.format(new byte[]{(byte) 0xd4, (byte) 0xc3}), "too short to tell");
    }

    private static String format(String capture) throws Exception {
        try (InputStream in = Files.newInputStream(SharedPcaps.file(capture))) {
            return Uploads.format(in.readNBytes(4));
        }
    }
}
