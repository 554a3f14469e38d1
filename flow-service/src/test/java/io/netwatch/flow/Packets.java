package io.netwatch.flow;

import io.netwatch.records.FlowKey;
import io.netwatch.records.PacketRecord;

/** Crafted packet records for topology tests: a packet's key is its canonical flow key, as the probe sends it. */
final class Packets {
    static final String PROBE = "probe-a";

    private Packets() {
    }

    record Keyed(String key, PacketRecord value) {
    }

    static Keyed tcp(long tsUs, String src, int sp, String dst, int dp, int flags, int payload) {
        return tcp(PROBE, 0, tsUs, src, sp, dst, dp, flags, payload);
    }

    static Keyed tcp(String probe, int vlan, long tsUs, String src, int sp, String dst, int dp, int flags,
                     int payload) {
        PacketRecord p = new PacketRecord("x", tsUs, probe, "eth0", "ether", 54 + payload, 54 + payload, null, null,
                2048, vlan == 0 ? null : vlan, null, src.contains(":") ? 6 : 4, src, dst, 64, 6, "tcp", null, sp, dp,
                flags, 1L, 1L, 1000, payload, null, null, null, null, null, null, null, null, null, null, null, null);
        return new Keyed(FlowKey.of(6, vlan, src, sp, dst, dp).wire(), p);
    }

    static Keyed udp(long tsUs, String src, int sp, String dst, int dp, int payload) {
        PacketRecord p = new PacketRecord("x", tsUs, PROBE, "eth0", "ether", 42 + payload, 42 + payload, null, null,
                2048, null, null, 4, src, dst, 64, 17, "udp", null, sp, dp, null, null, null, null, payload, null, null,
                null, null, null, null, null, null, null, null, null, null);
        return new Keyed(FlowKey.of(17, 0, src, sp, dst, dp).wire(), p);
    }

    static Keyed icmpEcho(long tsUs, String src, String dst, int type, int id) {
        PacketRecord p = new PacketRecord("x", tsUs, PROBE, "eth0", "ether", 98, 98, null, null, 2048, null, null, 4,
                src, dst, 64, 1, "icmp", null, null, null, null, null, null, null, 56, type, 0, id, null, null, null,
                null, null, null, null, null, null);
        return new Keyed(FlowKey.of(1, 0, src, id, dst, id).wire(), p);
    }

    static Keyed endOfRun(String probe, long tsUs) {
        return new Keyed("end/run", PacketRecord.endOfRun("run", probe, "eth0", tsUs));
    }
}
