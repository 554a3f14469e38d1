package io.netwatch.enrichment.intel;

import io.netwatch.records.Cidr;
import io.netwatch.records.IpAddresses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One IP/CIDR blocklist, in the plain formats lists are published in: one address or CIDR a line, comments after
 * {@code #} or {@code ;} (so Spamhaus DROP's {@code 1.10.16.0/20 ; SBL256894} keeps its SBL id as the reference),
 * blank lines ignored (FireHOL netsets, plain lists). Lookups go through one hash table per prefix length, so a
 * list of 100,000 networks costs at most 33 (IPv4) or 129 (IPv6) probes per address.
 */
public final class ThreatList {
    private final String name;
    private final int entries;
    private final List<String> rejected;
    /** prefix length -> masked network (hex) -> hit, longest prefix first. */
    private final TreeMap<Integer, Map<String, ListHit>> byLength;

    private ThreatList(String name, int entries, List<String> rejected, TreeMap<Integer, Map<String, ListHit>> t) {
        this.name = name;
        this.entries = entries;
        this.rejected = rejected;
        this.byLength = t;
    }

    public static ThreatList load(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return parse(dot > 0 ? fileName.substring(0, dot) : fileName,
                Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    public static ThreatList parse(String name, List<String> lines) {
        TreeMap<Integer, Map<String, ListHit>> table = new TreeMap<>((a, b) -> Integer.compare(b, a));
        List<String> rejected = new ArrayList<>();
        int entries = 0;
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw;
            String reference = null;
            int cut = indexOfComment(line);
            if (cut >= 0) {
                reference = line.substring(cut + 1).trim();
                line = line.substring(0, cut);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String token = line.split("\\s+")[0];
            Cidr cidr;
            try {
                cidr = Cidr.parse(token);
            } catch (IllegalArgumentException e) {
                rejected.add(name + ":" + lineNo + ": " + e.getMessage());
                continue;
            }
            String entry = IpAddresses.format(cidr.prefix(), 0, cidr.prefix().length) + "/" + cidr.bits();
            table.computeIfAbsent(cidr.bits(), k -> new HashMap<>()).put(key(cidr.prefix(), cidr.bits()),
                    new ListHit(name, entry, reference == null || reference.isEmpty() ? null : reference));
            entries++;
        }
        return new ThreatList(name, entries, List.copyOf(rejected), table);
    }

    private static int indexOfComment(String line) {
        int hash = line.indexOf('#');
        int semi = line.indexOf(';');
        if (hash < 0) {
            return semi;
        }
        return semi < 0 ? hash : Math.min(hash, semi);
    }

    /** The address bytes masked to {@code bits}, with the family's length, as a map key. */
    private static String key(byte[] a, int bits) {
        StringBuilder sb = new StringBuilder(a.length * 2 + 2).append(a.length).append(':');
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
            int v = a[i] & mask;
            sb.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
        }
        return sb.toString();
    }

    /** The most specific entry holding the address, or null. */
    public ListHit match(byte[] address) {
        for (Map.Entry<Integer, Map<String, ListHit>> e : byLength.entrySet()) {
            if (e.getKey() > address.length * 8) {
                continue;
            }
            ListHit hit = e.getValue().get(key(address, e.getKey()));
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    public String name() {
        return name;
    }

    public int entries() {
        return entries;
    }

    /** Lines that were neither an address, a CIDR, a comment nor blank, with where they were. */
    public List<String> rejected() {
        return rejected;
    }
}
