package io.netwatch.records;

import io.netwatch.records.PacketRecord;

/**
 * Zeek's conn_state codes from the flags each side sent, and the coarser TCP state operators filter on.
 * For UDP and ICMP, as Zeek does: S0 when only the originator spoke, SF when the other side answered.
 */
final class TcpConnState {
    private TcpConnState() {
    }

    static String connState(FlowState s) {
        if (s.proto != 6) {
            return s.respPkts > 0 ? "SF" : "S0";
        }
        int o = s.origFlags;
        int r = s.respFlags;
        boolean origSyn = (s.historySeen & 1) != 0;           // S: SYN without ACK from the originator
        boolean respSynAck = (s.historySeen & (1 << 7)) != 0; // h: SYN-ACK from the responder
        boolean origFin = (o & PacketRecord.FIN) != 0;
        boolean respFin = (r & PacketRecord.FIN) != 0;
        boolean origRst = (o & PacketRecord.RST) != 0;
        boolean respRst = (r & PacketRecord.RST) != 0;
        if (origSyn && !respSynAck) {
            if (respRst) {
                return "REJ";
            }
            if (origRst) {
                return "RSTOS0";
            }
            if (origFin) {
                return "SH";
            }
            return "S0";
        }
        if (!origSyn && respSynAck) {
            if (respRst) {
                return "RSTRH";
            }
            if (respFin) {
                return "SHR";
            }
            return "OTH";
        }
        if (!origSyn) {
            return "OTH"; // midstream: no handshake seen
        }
        if (origRst) {
            return "RSTO";
        }
        if (respRst) {
            return "RSTR";
        }
        if (origFin && respFin) {
            return "SF";
        }
        if (origFin) {
            return "S2";
        }
        if (respFin) {
            return "S3";
        }
        return "S1";
    }

    /** attempted, established, closed, reset, half_open or midstream. */
    static String tcpState(String connState) {
        switch (connState) {
            case "S0": return "attempted";
            case "S1": return "established";
            case "SF": case "S2": case "S3": return "closed";
            case "REJ": case "RSTO": case "RSTR": case "RSTOS0": case "RSTRH": return "reset";
            case "SH": case "SHR": return "half_open";
            default: return "midstream";
        }
    }
}
