package io.netwatch.probe.decode;

import io.netwatch.records.PacketRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Decodes a TLS ClientHello at the start of a TCP segment: server name (SNI), ALPN, the offered version, and the
 * JA3 fingerprint (salesforce/ja3: version, ciphers, extensions, groups, point formats, GREASE values left out).
 * A ClientHello cut by the segment or the snaplen keeps what was read; JA3 is then left out, being incomplete.
 */
final class TlsDecoder {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    });

    private TlsDecoder() {
    }

    static boolean isClientHello(byte[] b, int o, int n) {
        return n >= 6 && b[o] == 0x16 && b[o + 1] == 0x03 && (b[o + 2] & 0xff) <= 0x04 && b[o + 5] == 0x01;
    }

    static PacketRecord.Tls decodeClientHello(byte[] b, int o, int n) {
        int end = o + n;
        int p = o + 9; // record header (5) + handshake type (1) + length (3)
        if (p + 2 + 32 + 1 > end) {
            return new PacketRecord.Tls(null, null, null, null, null);
        }
        int legacyVersion = FrameDecoder.u16(b, p);
        p += 2 + 32;
        p += 1 + (b[p] & 0xff); // session id
        StringBuilder ciphers = new StringBuilder();
        StringBuilder extensions = new StringBuilder();
        StringBuilder groups = new StringBuilder();
        StringBuilder pointFormats = new StringBuilder();
        String sni = null;
        List<String> alpn = null;
        int maxVersion = legacyVersion;
        boolean complete = false;
        if (p + 2 <= end) {
            int cipherLen = FrameDecoder.u16(b, p);
            p += 2;
            for (int i = p; i + 1 < p + cipherLen && i + 1 < end; i += 2) {
                appendValue(ciphers, FrameDecoder.u16(b, i));
            }
            p += cipherLen;
            if (p < end) {
                p += 1 + (b[p] & 0xff); // compression methods
            }
            if (p + 2 <= end) {
                int extLen = FrameDecoder.u16(b, p);
                p += 2;
                int extEnd = p + extLen;
                complete = extEnd <= end;
                while (p + 4 <= Math.min(extEnd, end)) {
                    int type = FrameDecoder.u16(b, p);
                    int len = FrameDecoder.u16(b, p + 2);
                    int d = p + 4;
                    int dEnd = Math.min(d + len, end);
                    appendValue(extensions, type);
                    switch (type) {
                        case 0 -> sni = serverName(b, d, dEnd);
                        case 10 -> {
                            for (int i = d + 2; i + 1 < dEnd; i += 2) {
                                appendValue(groups, FrameDecoder.u16(b, i));
                            }
                        }
                        case 11 -> {
                            for (int i = d + 1; i < dEnd; i++) {
                                appendValue(pointFormats, b[i] & 0xff);
                            }
                        }
                        case 16 -> alpn = alpn(b, d, dEnd);
                        case 43 -> {
                            for (int i = d + 1; i + 1 < dEnd; i += 2) {
                                int v = FrameDecoder.u16(b, i);
                                if (!isGrease(v) && v > maxVersion && v <= 0x0304) {
                                    maxVersion = v;
                                }
                            }
                        }
                        default -> { }
                    }
                    p = d + len;
                }
            } else {
                complete = p == end; // a ClientHello without extensions
            }
        }
        String ja3 = null;
        String ja3Hash = null;
        if (complete) {
            ja3 = legacyVersion + "," + ciphers + "," + extensions + "," + groups + "," + pointFormats;
            MessageDigest md = MD5.get();
            md.reset();
            ja3Hash = HexFormat.of().formatHex(md.digest(ja3.getBytes(StandardCharsets.US_ASCII)));
        }
        return new PacketRecord.Tls(sni, versionName(maxVersion), ja3, ja3Hash, alpn);
    }

    private static String serverName(byte[] b, int d, int end) {
        int p = d + 2; // server name list length
        while (p + 3 <= end) {
            int type = b[p] & 0xff;
            int len = FrameDecoder.u16(b, p + 1);
            if (p + 3 + len > end) {
                return null;
            }
            if (type == 0) {
                return new String(b, p + 3, len, StandardCharsets.US_ASCII);
            }
            p += 3 + len;
        }
        return null;
    }

    private static List<String> alpn(byte[] b, int d, int end) {
        List<String> out = new ArrayList<>(3);
        int p = d + 2;
        while (p < end) {
            int len = b[p] & 0xff;
            if (p + 1 + len > end) {
                break;
            }
            out.add(new String(b, p + 1, len, StandardCharsets.US_ASCII));
            p += 1 + len;
        }
        return out;
    }

    /** GREASE values (RFC 8701) are 0x?A?A with equal bytes; JA3 leaves them out. */
    static boolean isGrease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >>> 8) == (v & 0xff);
    }

    private static void appendValue(StringBuilder sb, int v) {
        if (isGrease(v)) {
            return;
        }
        if (sb.length() > 0) {
            sb.append('-');
        }
        sb.append(v);
    }

    static String versionName(int v) {
        switch (v) {
            case 0x0300: return "SSL 3.0";
            case 0x0301: return "TLS 1.0";
            case 0x0302: return "TLS 1.1";
            case 0x0303: return "TLS 1.2";
            case 0x0304: return "TLS 1.3";
            default: return "0x" + Integer.toHexString(v);
        }
    }
}
