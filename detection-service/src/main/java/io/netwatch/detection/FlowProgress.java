package io.netwatch.detection;

import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketRecord;

/**
 * A probe's flow update read against the one before it (null for the flow's first update here): what the
 * connection and volume rules take from flow updates in place of packets ({@code netwatch.detection.source=
 * flow-updates}). Updates carry totals since the flow began, so what each side sent in between is a difference, and
 * what happened first is in the order of the history's letters (Zeek's: upper case the originator, lower case the
 * responder; S syn, H syn-ack, A pure ack, D data, F fin, R reset; each letter once, where first seen).
 */
record FlowProgress(FlowUpdate now, FlowUpdate before) {
    private static final int CORE = PacketRecord.FIN | PacketRecord.SYN | PacketRecord.RST | PacketRecord.ACK;

    /** Where a TCP handshake stands. */
    enum Handshake { PENDING, COMPLETED, FAILED }

    boolean first() {
        return before == null;
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
        return grown(now.origPkts(), before == null ? 0 : before.origPkts());
    }

    long origBytes() {
        return grown(now.origBytes(), before == null ? 0 : before.origBytes());
    }

    long respPkts() {
        return grown(now.respPkts(), before == null ? 0 : before.respPkts());
    }

    long respBytes() {
        return grown(now.respBytes(), before == null ? 0 : before.respBytes());
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
        return before != null && before.respPkts() > 0 ? 0 : origPkts();
    }

    /** A server on the Telnet port answered a SYN, first seen in this update. */
    boolean telnetAccepted() {
        return tcp() && Integer.valueOf(23).equals(now.dstPort()) && synAcked(now)
                && (before == null || !synAcked(before));
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

    private static boolean synAcked(FlowUpdate u) {
        return u.history() != null && u.history().indexOf('h') >= 0;
    }

    private static long grown(long now, long before) {
        return Math.max(0, now - before);
    }
}
