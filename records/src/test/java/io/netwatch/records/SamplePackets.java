package io.netwatch.records;

import java.util.List;

/** Packet records for the serde tests: one with every field set, one with only what every frame has. */
final class SamplePackets {
    static final PacketRecord FULL = new PacketRecord("p-1:7", 1_700_000_000_123_456L, "node-1", "eth0", "ether",
            1514, 96, "02:42:0a:00:00:02", "ff:ff:ff:ff:ff:ff", 2048, 100, 200, 4, "10.0.0.2", "8.8.8.8", 64, 17,
            "udp", true, 53000, 53, 18, 4_000_000_000L, 1L, 512, 40, 3, 3, 77,
            new PacketRecord.Quoted(17, "8.8.8.8", 53, "10.0.0.2", 53000),
            new PacketRecord.Arp(1, "02:42:0a:00:00:02", "10.0.0.2", "00:00:00:00:00:00", "10.0.0.1"),
            new PacketRecord.Dns(4660, true, 0, 3, "example.com", 1, "A", 1, List.of("93.184.216.34")),
            new PacketRecord.Http("GET", "/a?b=\"c\"", "1.1", "example.com", "curl/8", 200, "Basic"),
            new PacketRecord.Tls("example.com", "TLS 1.3", "771,1-2,0,29,0", "abc", List.of("h2")),
            "aGVsbG8=", "1:abc=", "truncated TCP header", "end_of_run");

    static final PacketRecord SPARSE = new PacketRecord("p-1:8", 1L, "node-1", "lo", "ether", 60, 60, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null);

    private SamplePackets() {
    }
}
