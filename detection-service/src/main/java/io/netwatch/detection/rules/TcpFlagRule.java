package io.netwatch.detection.rules;

import io.netwatch.records.PacketRecord;

/**
 * TCP flag combinations no ordinary stack sends: the probes of stealth scans and OS fingerprinting (nmap's NULL,
 * FIN, Xmas and SYN+FIN probes). Returns the probe's customary name, or null for a normal segment.
 */
public final class TcpFlagRule {
    public static final String NAME = "tcp_flag_anomaly";

    private TcpFlagRule() {
    }

    public static String anomaly(int flags) {
        int core = flags & (PacketRecord.FIN | PacketRecord.SYN | PacketRecord.RST | PacketRecord.PSH
                | PacketRecord.ACK | PacketRecord.URG);
        boolean fin = (core & PacketRecord.FIN) != 0;
        boolean syn = (core & PacketRecord.SYN) != 0;
        boolean rst = (core & PacketRecord.RST) != 0;
        boolean ack = (core & PacketRecord.ACK) != 0;
        if (core == 0) {
            return "NULL";
        }
        if (syn && fin) {
            return "SYN+FIN";
        }
        if (syn && rst) {
            return "SYN+RST";
        }
        if (core == (PacketRecord.FIN | PacketRecord.PSH | PacketRecord.URG)) {
            return "Xmas";
        }
        if (fin && !ack && !rst) {
            return "FIN without ACK";
        }
        return null;
    }
}
