package io.netwatch.detection.rules;

import io.netwatch.records.Alert;
import io.netwatch.records.PacketRecord;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Protocols that carry logins in the clear: a Telnet server accepting a connection, FTP USER and PASS commands,
 * HTTP Basic authorization, SNMP v1/v2c community strings. Reads the decoded HTTP fields and the payload head the
 * probe keeps on cleartext ports. Evidence names the user or community, never a password.
 */
public final class CleartextRule {
    public static final String TELNET = "cleartext_telnet";
    public static final String FTP_LOGIN = "cleartext_ftp_login";
    public static final String HTTP_BASIC = "cleartext_http_basic_auth";
    public static final String SNMP = "cleartext_snmp_community";

    /** What one packet showed: the rule, who is the client and who the server, and the evidence. */
    public record Finding(String rule, String severity, String mitre, String client, String server, int port,
                          String description, Map<String, Object> evidence) {
    }

    private CleartextRule() {
    }

    /** What a packet's payload or HTTP request shows (the Telnet rule reads the handshake: {@link #telnet}). */
    public static Finding inspect(PacketRecord p) {
        if ("tcp".equals(p.transport())) {
            if (p.dstPort() == 21 && p.payloadHead() != null) {
                return ftp(p);
            }
            if (p.http() != null && p.http().method() != null
                    && "basic".equalsIgnoreCase(p.http().authScheme())) {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("host", p.http().host());
                ev.put("uri", p.http().uri());
                return new Finding(HTTP_BASIC, Alert.MEDIUM, "T1552", p.srcIp(), p.dstIp(), p.dstPort(),
                        p.srcIp() + " sent HTTP Basic credentials in cleartext to " + p.dstIp() + ":" + p.dstPort(),
                        ev);
            }
        } else if ("udp".equals(p.transport()) && (p.dstPort() == 161 || p.dstPort() == 162)
                && p.payloadHead() != null) {
            return snmp(p);
        }
        return null;
    }

    /** A Telnet server's SYN-ACK, or null. */
    public static Finding telnet(PacketRecord p) {
        if ("tcp".equals(p.transport()) && p.srcPort() == 23 && p.hasTcpFlag(PacketRecord.SYN)
                && p.hasTcpFlag(PacketRecord.ACK)) {
            return telnet(p.dstIp(), p.srcIp());
        }
        return null;
    }

    /** A Telnet server that accepted a connection (from a flow: its responder answered a SYN on port 23). */
    public static Finding telnet(String client, String server) {
        return new Finding(TELNET, Alert.LOW, null, client, server, 23, "Telnet server " + server
                + " accepted a connection from " + client + " (logins and sessions in cleartext)", Map.of());
    }

    private static Finding ftp(PacketRecord p) {
        String line = new String(Base64.getDecoder().decode(p.payloadHead()), StandardCharsets.ISO_8859_1);
        String upper = line.toUpperCase(Locale.ROOT);
        Map<String, Object> ev = new LinkedHashMap<>();
        if (upper.startsWith("USER ")) {
            ev.put("command", "USER");
            ev.put("user", firstLine(line.substring(5)));
        } else if (upper.startsWith("PASS ")) {
            ev.put("command", "PASS");
        } else {
            return null;
        }
        return new Finding(FTP_LOGIN, Alert.MEDIUM, "T1552", p.srcIp(), p.dstIp(), 21,
                p.srcIp() + " sent an FTP login (" + ev.get("command") + ") in cleartext to " + p.dstIp(), ev);
    }

    private static Finding snmp(PacketRecord p) {
        byte[] b = Base64.getDecoder().decode(p.payloadHead());
        // SEQUENCE { INTEGER version, OCTET STRING community, ... }
        int i = 0;
        if (b.length < 7 || b[i++] != 0x30) {
            return null;
        }
        i = skipLength(b, i);
        if (i < 0 || i + 3 > b.length || b[i] != 0x02 || b[i + 1] != 1) {
            return null;
        }
        int version = b[i + 2];
        i += 3;
        if ((version != 0 && version != 1) || i >= b.length || b[i++] != 0x04 || i >= b.length) {
            return null;
        }
        int len = b[i++] & 0xff;
        if (len > 0x7f || i + len > b.length) {
            return null;
        }
        String community = new String(b, i, len, StandardCharsets.ISO_8859_1);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("snmp_version", version == 0 ? "v1" : "v2c");
        ev.put("community", mask(community));
        ev.put("default_community", community.equals("public") || community.equals("private"));
        return new Finding(SNMP, Alert.MEDIUM, "T1552", p.srcIp(), p.dstIp(), p.dstPort(),
                p.srcIp() + " sent an SNMP " + ev.get("snmp_version") + " community string in cleartext to "
                        + p.dstIp(), ev);
    }

    private static int skipLength(byte[] b, int i) {
        if (i >= b.length) {
            return -1;
        }
        int first = b[i] & 0xff;
        return first < 0x80 ? i + 1 : i + 1 + (first & 0x7f);
    }

    /** Well-known defaults as they are; others by first letter and length, so the alert does not leak them. */
    static String mask(String community) {
        if (community.equals("public") || community.equals("private") || community.isEmpty()) {
            return community;
        }
        return community.charAt(0) + "*".repeat(community.length() - 1);
    }

    private static String firstLine(String s) {
        int end = s.indexOf('\r');
        if (end < 0) {
            end = s.indexOf('\n');
        }
        return end < 0 ? s : s.substring(0, end);
    }
}
