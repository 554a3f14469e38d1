package io.netwatch.probe.decode;

import io.netwatch.records.PacketRecord;

import java.nio.charset.StandardCharsets;

/**
 * Decodes the start of an HTTP/1.x message in one TCP segment: the request line with the Host, User-Agent and
 * Authorization (scheme only: credentials never leave the probe) headers, or the status line of a response.
 */
final class HttpDecoder {
    private static final String[] METHODS = {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ",
            "CONNECT ", "TRACE ", "PROPFIND "};
    private static final int MAX_SCAN = 8192;

    private HttpDecoder() {
    }

    static boolean looksLikeHttp(byte[] b, int o, int n) {
        if (n < 8) {
            return false;
        }
        int c = b[o];
        if (c == 'H' && startsWith(b, o, n, "HTTP/1.")) {
            return true;
        }
        if (c < 'C' || c > 'T') {
            return false;
        }
        for (String m : METHODS) {
            if (startsWith(b, o, n, m)) {
                return true;
            }
        }
        return false;
    }

    static PacketRecord.Http decode(byte[] b, int o, int n) {
        int limit = o + Math.min(n, MAX_SCAN);
        int lineEnd = indexOfCrlf(b, o, limit);
        if (lineEnd < 0) {
            lineEnd = limit;
        }
        String line = new String(b, o, lineEnd - o, StandardCharsets.ISO_8859_1);
        if (line.startsWith("HTTP/1.")) {
            int sp = line.indexOf(' ');
            Integer status = null;
            if (sp > 0 && line.length() >= sp + 4) {
                try {
                    status = Integer.parseInt(line.substring(sp + 1, sp + 4));
                } catch (NumberFormatException e) {
                    status = null; // not a status code: leave it out
                }
            }
            return new PacketRecord.Http(null, null, sp > 0 ? line.substring(5, sp) : null, null, null, status, null);
        }
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        String method = line.substring(0, sp1);
        String uri;
        String version = null;
        if (sp2 > sp1 && line.startsWith("HTTP/", sp2 + 1)) {
            uri = line.substring(sp1 + 1, sp2);
            version = line.substring(sp2 + 6);
        } else {
            uri = line.substring(sp1 + 1); // request line cut by the snaplen or the segment
        }
        String host = null;
        String userAgent = null;
        String authScheme = null;
        int p = lineEnd + 2;
        while (p < limit) {
            int e = indexOfCrlf(b, p, limit);
            if (e < 0) {
                e = limit;
            }
            if (e == p) {
                break; // end of headers
            }
            int colon = indexOf(b, p, e, (byte) ':');
            if (colon > p) {
                if (host == null && headerIs(b, p, colon, "host")) {
                    host = value(b, colon, e);
                } else if (userAgent == null && headerIs(b, p, colon, "user-agent")) {
                    userAgent = value(b, colon, e);
                } else if (authScheme == null && headerIs(b, p, colon, "authorization")) {
                    String v = value(b, colon, e);
                    int s = v.indexOf(' ');
                    authScheme = s > 0 ? v.substring(0, s) : v;
                }
            }
            p = e + 2;
        }
        return new PacketRecord.Http(method, uri, version, host, userAgent, null, authScheme);
    }

    private static String value(byte[] b, int colon, int e) {
        return new String(b, colon + 1, e - colon - 1, StandardCharsets.ISO_8859_1).trim();
    }

    private static boolean headerIs(byte[] b, int from, int to, String lowerName) {
        if (to - from != lowerName.length()) {
            return false;
        }
        for (int i = 0; i < lowerName.length(); i++) {
            if (Character.toLowerCase((char) (b[from + i] & 0xff)) != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int o, int n, String s) {
        if (n < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[o + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfCrlf(byte[] b, int from, int limit) {
        for (int i = from; i + 1 < limit; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
