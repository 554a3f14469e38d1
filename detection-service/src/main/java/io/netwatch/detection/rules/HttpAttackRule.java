package io.netwatch.detection.rules;

import io.netwatch.records.Alert;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Attack signatures in HTTP request targets (and, for header-borne exploits, the User-Agent), matched after URL
 * decoding twice (attackers double-encode) and lower-casing. Each request is matched at most once per rule. The
 * pattern set is small and documented in docs/detections.md; it aims at the classic probes scanners and exploit
 * kits send, not at evasive, hand-crafted payloads.
 */
public final class HttpAttackRule {
    /** One signature rule: its name, alert fields and patterns. */
    public record Signature(String rule, String severity, String mitre, String what, List<Pattern> patterns) {
    }

    public static final List<Signature> SIGNATURES = List.of(
            new Signature("http_sql_injection", Alert.HIGH, "T1190", "SQL injection", patterns(
                    "union(\\s|/\\*.*?\\*/)+(all\\s+)?select\\b",
                    "'\\s*(or|and)\\s+'?\\w+'?\\s*(=|like)\\s*'?\\w*",
                    "\\b(or|and)\\s+\\d+\\s*=\\s*\\d+",
                    ";\\s*(drop|insert|delete|update|shutdown|exec)\\s",
                    "\\b(sleep|benchmark|pg_sleep)\\s*\\(",
                    "information_schema|\\bxp_cmdshell\\b|@@version\\b",
                    "'\\s*(--|#)")),
            new Signature("http_xss", Alert.HIGH, "T1189", "cross-site scripting", patterns(
                    "<\\s*script\\b",
                    "javascript\\s*:",
                    "<[^>]+\\bon(error|load|mouseover|focus|click)\\s*=",
                    "<\\s*(svg|iframe|img|body)\\b[^>]*>",
                    "document\\.(cookie|location)|\\balert\\s*\\(")),
            new Signature("http_path_traversal", Alert.HIGH, "T1190", "path traversal", patterns(
                    "(\\.\\./|\\.\\.\\\\){2,}",
                    "/etc/(passwd|shadow|hosts)\\b",
                    "(c:|/)(windows|winnt)[/\\\\](win\\.ini|system32)",
                    "\\bboot\\.ini\\b")),
            new Signature("http_command_injection", Alert.HIGH, "T1190", "command injection", patterns(
                    "[;|&`]\\s*(cat|ls|id|whoami|uname|wget|curl|nc|ncat|bash|sh|ping|nslookup)\\b",
                    "\\$\\((cat|id|whoami|uname|wget|curl)\\b",
                    "\\(\\)\\s*\\{\\s*:?\\s*;\\s*\\}\\s*;",
                    "\\$\\{jndi:")),
            new Signature("http_scanner", Alert.MEDIUM, "T1595.002", "vulnerability scanner", patterns(
                    "nmap scripting engine|\\bnikto\\b|\\bsqlmap\\b|\\bmasscan\\b|\\bzgrab|\\bnuclei\\b|dirbuster",
                    "\\bgobuster\\b|\\bwpscan\\b|acunetix|\\bnessus|\\bopenvas\\b|\\bw3af\\b",
                    "/nice ports,/trinity\\.txt\\.bak")));

    private HttpAttackRule() {
    }

    private static List<Pattern> patterns(String... regexes) {
        List<Pattern> out = new ArrayList<>();
        for (String r : regexes) {
            out.add(Pattern.compile(r));
        }
        return out;
    }

    /** A signature that matched, with the decoded text and the pattern that matched it. */
    public record Match(Signature signature, String field, String decoded, String pattern) {
    }

    /** Every signature the request matches, once each. */
    public static List<Match> match(String uri, String userAgent) {
        List<Match> out = new ArrayList<>();
        String decodedUri = uri == null ? null : normalise(uri);
        String decodedUa = userAgent == null ? null : normalise(userAgent);
        for (Signature s : SIGNATURES) {
            Match m = first(s, "uri", decodedUri);
            if (m == null) {
                m = first(s, "user_agent", decodedUa);
            }
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    private static Match first(Signature s, String field, String text) {
        if (text == null) {
            return null;
        }
        for (Pattern p : s.patterns()) {
            if (p.matcher(text).find()) {
                return new Match(s, field, text, p.pattern());
            }
        }
        return null;
    }

    /** Percent-decoding twice, '+' as space, lower case; malformed escapes stay as written. */
    public static String normalise(String s) {
        return percentDecode(percentDecode(s)).toLowerCase(Locale.ROOT);
    }

    static String percentDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else if (b == '+') {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }
}
