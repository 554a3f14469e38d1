package io.netwatch.probe.decode;

import io.netwatch.records.IpAddresses;
import io.netwatch.records.PacketRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a DNS message (RFC 1035): header, the first question, and the answer records' data as text (addresses,
 * names), the way Zeek's dns.log shows them. Name compression is followed with a jump limit, so a pointer loop
 * ends as an error instead of a hang.
 */
final class DnsDecoder {
    static final String E_DNS = "truncated DNS message";
    static final String E_NAME = "malformed DNS name";
    private static final int MAX_ANSWERS = 16;
    private static final int MAX_JUMPS = 32;
    private static final int MAX_NAME = 255;

    private final StringBuilder name = new StringBuilder(64);
    private int nameEnd; // offset after the name in the message, where the record continues

    void decode(byte[] b, int o, int n, DecodedFrame f) {
        if (n < 12) {
            f.error = E_DNS;
            return;
        }
        int id = FrameDecoder.u16(b, o);
        int flags = FrameDecoder.u16(b, o + 2);
        int qdcount = FrameDecoder.u16(b, o + 4);
        int ancount = FrameDecoder.u16(b, o + 6);
        boolean response = (flags & 0x8000) != 0;
        int opcode = (flags >>> 11) & 0x0f;
        int rcode = flags & 0x0f;
        String qname = null;
        Integer qtype = null;
        List<String> answers = null;
        int p = 12;
        String error = null;
        if (qdcount > 0) {
            if (readName(b, o, n, p)) {
                qname = name.toString();
                p = nameEnd;
                if (p + 4 <= n) {
                    qtype = FrameDecoder.u16(b, o + p);
                    p += 4;
                    for (int q = 1; q < qdcount && p < n; q++) { // further questions are rare; skip them
                        if (!readName(b, o, n, p) || nameEnd + 4 > n) {
                            p = n;
                            break;
                        }
                        p = nameEnd + 4;
                    }
                } else {
                    error = E_DNS;
                }
            } else {
                error = E_NAME;
            }
        }
        if (error == null && response && ancount > 0) {
            answers = new ArrayList<>(Math.min(ancount, MAX_ANSWERS));
            for (int a = 0; a < ancount && a < MAX_ANSWERS; a++) {
                if (!readName(b, o, n, p) || nameEnd + 10 > n) {
                    error = E_DNS;
                    break;
                }
                p = nameEnd;
                int type = FrameDecoder.u16(b, o + p);
                int rdlen = FrameDecoder.u16(b, o + p + 8);
                p += 10;
                if (p + rdlen > n) {
                    error = E_DNS;
                    break;
                }
                String data = rdata(b, o, n, p, type, rdlen);
                if (data != null) {
                    answers.add(data);
                }
                p += rdlen;
            }
        }
        f.dns = new PacketRecord.Dns(id, response, opcode, rcode, qname, qtype,
                qtype == null ? null : DnsTypes.name(qtype), ancount, answers);
        if (error != null) {
            f.error = error;
        }
    }

    private String rdata(byte[] b, int o, int n, int p, int type, int rdlen) {
        switch (type) {
            case 1:
                return rdlen == 4 ? IpAddresses.formatV4(b, o + p) : null;
            case 28:
                return rdlen == 16 ? IpAddresses.formatV6(b, o + p) : null;
            case 2: case 5: case 12:
                return readName(b, o, n, p) ? name.toString() : null;
            case 15:
                return rdlen > 2 && readName(b, o, n, p + 2) ? name.toString() : null;
            case 16: {
                StringBuilder txt = new StringBuilder();
                int q = p;
                while (q < p + rdlen) {
                    int len = b[o + q] & 0xff;
                    if (q + 1 + len > p + rdlen) {
                        break;
                    }
                    appendEscaped(txt, b, o + q + 1, len);
                    q += 1 + len;
                }
                return "TXT " + txt;
            }
            default:
                return DnsTypes.name(type);
        }
    }

    /** Reads a possibly compressed name at message offset p into {@link #name}; false if it is malformed. */
    private boolean readName(byte[] b, int o, int n, int p) {
        name.setLength(0);
        int jumps = 0;
        int end = -1;
        while (true) {
            if (p >= n) {
                return false;
            }
            int len = b[o + p] & 0xff;
            if (len == 0) {
                p += 1;
                break;
            }
            if ((len & 0xc0) == 0xc0) {
                if (p + 1 >= n || ++jumps > MAX_JUMPS) {
                    return false;
                }
                if (end < 0) {
                    end = p + 2;
                }
                p = ((len & 0x3f) << 8) | (b[o + p + 1] & 0xff);
                continue;
            }
            if ((len & 0xc0) != 0 || p + 1 + len > n) {
                return false; // extended label types (0x40, 0x80) are obsolete
            }
            if (name.length() > 0) {
                name.append('.');
            }
            appendEscaped(name, b, o + p + 1, len);
            if (name.length() > MAX_NAME * 4) {
                return false;
            }
            p += 1 + len;
        }
        nameEnd = end >= 0 ? end : p;
        if (name.length() == 0) {
            name.append('.');
        }
        return true;
    }

    /** Printable ASCII as is, everything else as \DDD, as dig prints it. */
    private static void appendEscaped(StringBuilder sb, byte[] b, int from, int len) {
        for (int i = from; i < from + len; i++) {
            int c = b[i] & 0xff;
            if (c > 0x20 && c < 0x7f && c != '.' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append('\\');
                if (c < 100) {
                    sb.append('0');
                }
                if (c < 10) {
                    sb.append('0');
                }
                sb.append(c);
            }
        }
    }
}
