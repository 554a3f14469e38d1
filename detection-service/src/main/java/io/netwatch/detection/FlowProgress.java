package io.netwatch.detection;

import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketRecord;

/**
 * What a probe's flow update shows the connection and volume rules ({@code netwatch.detection.source=flow-updates}),
 * in place of packets. The update carries what each side sent since the flow's previous update and the history
 * letters first seen since, so it is read alone: under exactly-once each update is taken once, and no copy of the
 * flow's previous totals is kept here. What happened first is in the order of the history's letters (Zeek's: upper
 * case the originator, lower case the responder; S syn, H syn-ack, A pure ack, D data, F fin, R reset; each letter
 * once, where first seen).
 */
record FlowProgress(FlowUpdate now) {
    private static final int CORE = PacketRecord.FIN | PacketRecord.SYN | PacketRecord.RST | PacketRecord.ACK;

    /** Where a TCP handshake stands. */
    enum Handshake { PENDING, COMPLETED, FAILED }

    /** The flow's first update: what it shows happened first. */
    boolean first() {
        return FlowUpdate.START.equals(now.state());
    }

    boolean ended() {
        return FlowUpdate.END.equals(now.state());
    }

    boolean tcp() {
        return "tcp".equals(now.transport());
    }

    boolean udp() {
        return "udp".equals(now.transport());
    }

    /** Opened by a bare SYN (ECN and PSH bits aside), as the packet path's connection attempts are. */
    boolean openedBySyn() {
        return now.firstTcpFlags() != null && (now.firstTcpFlags() & CORE) == PacketRecord.SYN;
    }

    /** Opened by a SYN-ACK: no SYN was seen, so the receiver of the SYN-ACK is the flow's originator. */
    boolean openedBySynAck() {
        return now.firstTcpFlags() != null
                && (now.firstTcpFlags() & CORE) == (PacketRecord.SYN | PacketRecord.ACK);
    }

    /**
     * A handshake opened by a SYN: completed by the originator's first acknowledgement (A, or D with the ACK flag),
     * failed by a reset from either side before it, or by the flow's end without either.
     */
    Handshake handshake() {
        String h = now.history() == null ? "" : now.history();
        boolean origAcked = now.origTcpFlags() != null && (now.origTcpFlags() & PacketRecord.ACK) != 0;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == 'A' || (c == 'D' && origAcked)) {
                return Handshake.COMPLETED;
            }
            if (c == 'R' || c == 'r') {
                return Handshake.FAILED;
            }
        }
        return ended() ? Handshake.FAILED : Handshake.PENDING;
    }

    /** UDP: whether the responder has sent anything. */
    boolean answered() {
        return now.respPkts() > 0;
    }

    long origPkts() {
        return now.origPktsDelta();
    }

    long origBytes() {
        return now.origBytesDelta();
    }

    long respPkts() {
        return now.respPktsDelta();
    }

    long respBytes() {
        return now.respBytesDelta();
    }

    /**
     * SYN-ACKs in a flow that no SYN opened (backscatter, or a capture begun mid-handshake): each of the responder's
     * packets while it has sent nothing but SYN-ACKs; a flow that went on to other segments counts its first only.
     */
    long unaskedSynAcks() {
        if (!openedBySynAck()) {
            return 0;
        }
        if (responderSentOnly('h')) {
            return respPkts();
        }
        return first() ? 1 : 0;
    }

    /**
     * Datagrams from an amplifying service port nobody here asked: the originator's (it spoke first) while the
     * responder has not answered.
     */
    long unsolicitedDatagrams() {
        if (!udp() || now.srcPort() == null || !PacketInspector.AMPLIFIER_PORTS.contains(now.srcPort())) {
            return 0;
        }
        return now.respPkts() - now.respPktsDelta() > 0 ? 0 : origPkts();
    }

    /** A server on the Telnet port answered a SYN, first seen in this update. */
    boolean telnetAccepted() {
        return tcp() && Integer.valueOf(23).equals(now.dstPort()) && now.historyAdded() != null
                && now.historyAdded().indexOf('h') >= 0;
    }

    /** An ICMP or ICMPv6 echo request opened the flow. */
    boolean echoRequest() {
        Integer t = now.icmpType();
        return t != null && ("icmp".equals(now.transport()) && t == 8 || "icmpv6".equals(now.transport()) && t == 128);
    }

    /** When what this update adds happened, as well as the update tells: the flow's start for its first. */
    long ts() {
        return first() ? now.ts() : now.lastSeen();
    }

    private boolean responderSentOnly(char letter) {
        String h = now.history() == null ? "" : now.history();
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (Character.isLowerCase(c) && c != letter) {
                return false;
            }
        }
        return true;
    }
}
