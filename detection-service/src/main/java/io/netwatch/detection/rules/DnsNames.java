package io.netwatch.detection.rules;

import java.util.Set;

/**
 * What DNS tunnelling rules read from a query name: its registered domain (the part a tunnel's operator owns),
 * the subdomain part the tunnel encodes data into, and that part's character entropy.
 */
public final class DnsNames {
    private DnsNames() {
    }

    /** Second-level labels under which registries sell third-level names (co.uk, com.au, ...). */
    private static final Set<String> SECOND_LEVEL = Set.of("co", "com", "net", "org", "gov", "edu", "ac", "or",
            "ne", "go", "gob", "mil");

    /**
     * The registered domain by a short rule instead of the public suffix list: the last two labels, or three when
     * the second-to-last is a generic second level under a two-letter country code (example.co.uk).
     */
    public static String registeredDomain(String qname) {
        String name = trimDot(qname);
        String[] labels = name.split("\\.");
        if (labels.length <= 2) {
            return name;
        }
        int n = labels.length;
        boolean ccSecondLevel = labels[n - 1].length() == 2 && SECOND_LEVEL.contains(labels[n - 2]);
        int keep = ccSecondLevel ? 3 : 2;
        if (labels.length <= keep) {
            return name;
        }
        return String.join(".", java.util.Arrays.copyOfRange(labels, n - keep, n));
    }

    /** The labels before {@code registeredDomain} (as {@link #registeredDomain} gave it), or "". */
    public static String subdomain(String qname, String registeredDomain) {
        String name = trimDot(qname);
        return name.length() > registeredDomain.length()
                ? name.substring(0, name.length() - registeredDomain.length() - 1) : "";
    }

    /** The longest label of a name: where a tunnel puts its encoded data. */
    public static String longestLabel(String name) {
        String longest = "";
        for (String label : name.split("\\.")) {
            if (label.length() > longest.length()) {
                longest = label;
            }
        }
        return longest;
    }

    /** Shannon entropy in bits per character, ignoring dots. */
    public static double entropy(String s) {
        int[] counts = new int[128];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if (c == '.') {
                continue;
            }
            counts[c & 0x7f]++;
            n++;
        }
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return h;
    }

    private static String trimDot(String qname) {
        String s = qname.toLowerCase(java.util.Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
