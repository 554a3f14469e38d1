package io.netwatch.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The running state of one flow: who initiated it, counters per direction, TCP flags and history, what the payload
 * named. The flow-service keeps it in its state store, in a compact binary form since it is read and written for
 * every packet; the probe's flow table keeps it in memory. One piece of code for both, so a flow is the same flow
 * whichever builds it.
 */
public final class FlowState {
    private static final int MAX_NAMES = 10;
    private static final String HISTORY_LETTERS = "SHADFR";

    String probeId;
    String flowKey;
    int proto;
    int vlan;
    String transport;
    String srcIp;
    int srcPort = -1;
    String dstIp;
    int dstPort = -1;
    String communityId;
    long firstSeen;
    long lastSeen;
    long origPkts;
    long origBytes;
    long origPayload;
    long respPkts;
    long respBytes;
    long respPayload;
    int origFlags;
    int respFlags;
    int historySeen;
    String history = "";
    String app;
    int icmpType = -1;
    int icmpCode = -1;
    List<String> dns = new ArrayList<>(0);
    List<String> http = new ArrayList<>(0);
    List<String> sni = new ArrayList<>(0);
    /** Event time at which both FINs or a RST were seen, else 0. */
    long closedAt;
    /** Sequence number of the originator's first SYN, or -1: a SYN with another one is a new connection. */
    long origIsn = -1;
    int updates;
    /** Flags of the flow's first TCP segment, or -1: opened by a SYN, by a SYN-ACK, or midstream. */
    int firstFlags = -1;
    /**
     * Counters and history length at the probe's last update of this flow ({@link #report}): in memory only, as
     * only the probe's flow table reports, and it rebuilds them with its flows after a restart.
     */
    private long reportedOrigPkts;
    private long reportedOrigBytes;
    private long reportedRespPkts;
    private long reportedRespBytes;
    private int reportedHistory;

    /** A new flow from its first packet; a SYN-ACK or echo reply seen first means the other end initiated it. */
    public static FlowState start(String flowKey, PacketRecord p) {
        FlowState s = new FlowState();
        s.probeId = p.probeId();
        s.flowKey = flowKey;
        s.proto = p.ipProto() == null ? -1 : p.ipProto();
        s.vlan = p.vlan() == null ? 0 : p.vlan();
        s.transport = p.transport();
        s.communityId = p.communityId();
        boolean reversed = p.hasTcpFlag(PacketRecord.SYN) && p.hasTcpFlag(PacketRecord.ACK)
                || p.icmpType() != null && (p.icmpType() == 0 && s.proto == 1 || p.icmpType() == 129 && s.proto == 58);
        if (reversed) {
            s.srcIp = p.dstIp();
            s.srcPort = p.dstPort() == null ? -1 : p.dstPort();
            s.dstIp = p.srcIp();
            s.dstPort = p.srcPort() == null ? -1 : p.srcPort();
        } else {
            s.srcIp = p.srcIp();
            s.srcPort = p.srcPort() == null ? -1 : p.srcPort();
            s.dstIp = p.dstIp();
            s.dstPort = p.dstPort() == null ? -1 : p.dstPort();
        }
        s.firstSeen = p.ts();
        s.lastSeen = p.ts();
        if (p.tcpFlags() != null) {
            s.firstFlags = p.tcpFlags();
        }
        if (p.icmpType() != null) {
            s.icmpType = p.icmpType();
            s.icmpCode = p.icmpCode() == null ? 0 : p.icmpCode();
        }
        return s;
    }

    boolean fromOriginator(PacketRecord p) {
        if (!srcIp.equals(p.srcIp())) {
            return false;
        }
        // same address at both ends (a host talking to itself): the ports tell
        return !srcIp.equals(dstIp) || p.srcPort() == null || p.srcPort() == srcPort;
    }

    public void add(PacketRecord p) {
        boolean orig = fromOriginator(p);
        int payload = p.payloadLen() == null ? 0 : p.payloadLen();
        if (orig) {
            origPkts++;
            origBytes += p.wireLen();
            origPayload += payload;
        } else {
            respPkts++;
            respBytes += p.wireLen();
            respPayload += payload;
        }
        firstSeen = Math.min(firstSeen, p.ts());
        lastSeen = Math.max(lastSeen, p.ts());
        if (p.tcpFlags() != null) {
            int f = p.tcpFlags();
            if (orig) {
                origFlags |= f;
            } else {
                respFlags |= f;
            }
            boolean syn = (f & PacketRecord.SYN) != 0;
            boolean ack = (f & PacketRecord.ACK) != 0;
            boolean fin = (f & PacketRecord.FIN) != 0;
            boolean rst = (f & PacketRecord.RST) != 0;
            if (syn && !ack) {
                mark(0, orig);
                if (orig && origIsn < 0 && p.tcpSeq() != null) {
                    origIsn = p.tcpSeq();
                }
            }
            if (syn && ack) {
                mark(1, orig);
            }
            if (ack && !syn && !fin && !rst && payload == 0) {
                mark(2, orig);
            }
            if (payload > 0) {
                mark(3, orig);
            }
            if (fin) {
                mark(4, orig);
            }
            if (rst) {
                mark(5, orig);
            }
            if (closedAt == 0 && (rst || (origFlags & respFlags & PacketRecord.FIN) != 0)) {
                closedAt = p.ts();
            }
        }
        if (p.dns() != null && p.dns().qname() != null) {
            app = "dns";
            addName(dns, p.dns().qname());
        }
        if (p.http() != null) {
            app = "http";
            if (p.http().host() != null) {
                addName(http, p.http().host());
            }
        }
        if (p.tls() != null) {
            app = "tls";
            if (p.tls().sni() != null) {
                addName(sni, p.tls().sni());
            }
        }
    }

    private void mark(int letter, boolean orig) {
        int bit = 1 << (letter + (orig ? 0 : 6));
        if ((historySeen & bit) == 0) {
            historySeen |= bit;
            char c = HISTORY_LETTERS.charAt(letter);
            history = history + (orig ? c : Character.toLowerCase(c));
        }
    }

    private static void addName(List<String> names, String name) {
        if (names.size() < MAX_NAMES && !names.contains(name)) {
            names.add(name);
        }
    }

    /**
     * Whether this packet opens a new connection on the ports of this one: a SYN after the flow closed, or the
     * originator's SYN with another initial sequence number (ports reused, as by scanners), as tshark splits them.
     */
    public boolean reusedBy(PacketRecord p) {
        if (!p.hasTcpFlag(PacketRecord.SYN) || p.hasTcpFlag(PacketRecord.ACK)) {
            return false;
        }
        if (closedAt > 0 && p.ts() > closedAt) {
            return true;
        }
        return origIsn >= 0 && p.tcpSeq() != null && p.tcpSeq() != origIsn && fromOriginator(p);
    }

    /**
     * IP packets with a canonical flow key make flows; ARP and other link-layer frames do not, nor do later IP
     * fragments, whose ports are unknown.
     */
    public static boolean carriesFlow(String key, PacketRecord p) {
        if (key == null || key.isEmpty() || !Character.isDigit(key.charAt(0)) || p.srcIp() == null) {
            return false;
        }
        Integer proto = p.ipProto();
        boolean ported = proto != null && (proto == 6 || proto == 17 || proto == 132);
        return !ported || p.srcPort() != null;
    }

    /** Event time at which this flow next needs attention: its end, or its next active-timeout update. */
    public long deadline(FlowTimeouts t) {
        return Math.min(endDeadline(t), firstSeen + t.activeUs() * (updates + 1));
    }

    /** Event time at which this flow ends unless another packet comes: idle timeout, or the grace after closing. */
    public long endDeadline(FlowTimeouts t) {
        long d = lastSeen + t.idleUs();
        return closedAt > 0 ? Math.min(d, closedAt + t.graceUs()) : d;
    }

    /** Why the flow has ended by {@code nowUs} ({@link FlowRecord#END_OF_FLOW}, {@link FlowRecord#IDLE_TIMEOUT}), or null. */
    public String endReasonAt(long nowUs, FlowTimeouts t) {
        if (closedAt > 0 && closedAt + t.graceUs() <= nowUs) {
            return FlowRecord.END_OF_FLOW;
        }
        return lastSeen + t.idleUs() <= nowUs ? FlowRecord.IDLE_TIMEOUT : null;
    }

    /** Whether the next active-timeout update is due by {@code nowUs}. */
    public boolean activeUpdateDue(long nowUs, FlowTimeouts t) {
        return firstSeen + t.activeUs() * (updates + 1) <= nowUs;
    }

    /** Counts an active-timeout update sent. */
    public void updated() {
        updates++;
    }

    public String probeId() {
        return probeId;
    }

    public String flowKey() {
        return flowKey;
    }

    public long lastSeen() {
        return lastSeen;
    }

    /**
     * The flow as the probe's flow table publishes it on netwatch.flow-updates.v1, with what it added since the
     * last report (all of it in the first); the next report counts from here.
     */
    public FlowUpdate report(String runId, int seq, String state, String endReason) {
        FlowUpdate u = toUpdate(runId, seq, state, endReason, origPkts - reportedOrigPkts,
                origBytes - reportedOrigBytes, respPkts - reportedRespPkts, respBytes - reportedRespBytes,
                history.substring(reportedHistory));
        reportedOrigPkts = origPkts;
        reportedOrigBytes = origBytes;
        reportedRespPkts = respPkts;
        reportedRespBytes = respBytes;
        reportedHistory = history.length();
        return u;
    }

    private FlowUpdate toUpdate(String runId, int seq, String state, String endReason, long origPktsDelta,
                                long origBytesDelta, long respPktsDelta, long respBytesDelta, String historyAdded) {
        boolean tcp = proto == 6;
        return new FlowUpdate(probeId, runId, flowKey, seq, state, endReason, firstSeen, lastSeen, proto, transport,
                vlan, srcIp, srcPort < 0 ? null : srcPort, dstIp, dstPort < 0 ? null : dstPort, communityId,
                appProtocol(), origPkts, origBytes, origPayload, respPkts, respBytes, respPayload, origPktsDelta,
                origBytesDelta, respPktsDelta, respBytesDelta, tcp ? origFlags : null, tcp ? respFlags : null,
                firstFlags < 0 ? null : firstFlags, TcpConnState.connState(this), tcp ? history : null,
                tcp ? historyAdded : null, icmpType < 0 ? null : icmpType, icmpType < 0 ? null : icmpCode,
                names(dns), names(http), names(sni));
    }

    private String appProtocol() {
        return app != null ? app : AppProtocols.guess(dstPort < 0 ? null : dstPort, srcPort < 0 ? null : srcPort);
    }

    private static List<String> names(List<String> l) {
        return l.isEmpty() ? null : List.copyOf(l);
    }

    public FlowRecord toRecord(String recordType, String endReason) {
        return toUpdate(null, 0, null, null, origPkts, origBytes, respPkts, respBytes, history)
                .toRecord(recordType, endReason, updates);
    }

    public String flowId() {
        return flowId(probeId, flowKey, firstSeen);
    }

    /**
     * Stable id of a flow (probe, key, first packet time): the same traffic processed again gets the same id, so
     * sinks can upsert. Zeek-uid-like: "F" and 16 base64url characters of a SHA-1.
     */
    static String flowId(String probeId, String flowKey, long firstSeen) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(probeId.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(flowKey.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Long.toString(firstSeen).getBytes(StandardCharsets.US_ASCII));
            return "F" + Base64.getUrlEncoder().withoutPadding().encodeToString(md.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] toBytes() {
        StateBytes.Writer o = new StateBytes.Writer();
        o.writeByte(2); // format version: 2 added the first segment's flags
        o.writeOptionalUTF(probeId);
        o.writeOptionalUTF(flowKey);
        o.writeInt(proto);
        o.writeInt(vlan);
        o.writeOptionalUTF(transport);
        o.writeOptionalUTF(srcIp);
        o.writeInt(srcPort);
        o.writeOptionalUTF(dstIp);
        o.writeInt(dstPort);
        o.writeOptionalUTF(communityId);
        o.writeLong(firstSeen);
        o.writeLong(lastSeen);
        o.writeLong(origPkts);
        o.writeLong(origBytes);
        o.writeLong(origPayload);
        o.writeLong(respPkts);
        o.writeLong(respBytes);
        o.writeLong(respPayload);
        o.writeInt(origFlags);
        o.writeInt(respFlags);
        o.writeInt(historySeen);
        o.writeOptionalUTF(history);
        o.writeOptionalUTF(app);
        o.writeInt(icmpType);
        o.writeInt(icmpCode);
        o.writeNames(dns);
        o.writeNames(http);
        o.writeNames(sni);
        o.writeLong(closedAt);
        o.writeInt(updates);
        o.writeLong(origIsn);
        o.writeInt(firstFlags);
        return o.toByteArray();
    }

    public static FlowState fromBytes(byte[] b) {
        StateBytes.Reader i = new StateBytes.Reader(b);
        int version = i.readByte();
        if (version != 1 && version != 2) {
            throw new IllegalStateException("flow state of unknown format version " + version);
        }
        FlowState s = new FlowState();
        s.probeId = i.readOptionalUTF();
        s.flowKey = i.readOptionalUTF();
        s.proto = i.readInt();
        s.vlan = i.readInt();
        s.transport = i.readOptionalUTF();
        s.srcIp = i.readOptionalUTF();
        s.srcPort = i.readInt();
        s.dstIp = i.readOptionalUTF();
        s.dstPort = i.readInt();
        s.communityId = i.readOptionalUTF();
        s.firstSeen = i.readLong();
        s.lastSeen = i.readLong();
        s.origPkts = i.readLong();
        s.origBytes = i.readLong();
        s.origPayload = i.readLong();
        s.respPkts = i.readLong();
        s.respBytes = i.readLong();
        s.respPayload = i.readLong();
        s.origFlags = i.readInt();
        s.respFlags = i.readInt();
        s.historySeen = i.readInt();
        s.history = i.readOptionalUTF();
        s.app = i.readOptionalUTF();
        s.icmpType = i.readInt();
        s.icmpCode = i.readInt();
        s.dns = i.readNames();
        s.http = i.readNames();
        s.sni = i.readNames();
        s.closedAt = i.readLong();
        s.updates = i.readInt();
        s.origIsn = i.readLong();
        if (version >= 2) {
            s.firstFlags = i.readInt();
        }
        return s;
    }
}
