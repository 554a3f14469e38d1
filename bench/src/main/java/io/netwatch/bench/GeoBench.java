package io.netwatch.bench;

import io.netwatch.enrichment.geo.GeoIpLookup;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * GeoIP lookups per second in the GeoLite2 City database, with and without MaxMind's node cache, on one thread:
 * uniformly random public IPv4 addresses (the worst case: every lookup in a new network), and a skewed set where
 * 1,000 addresses make up the traffic (as the external addresses of a network do).
 *
 * <p>{@code ./netwatch bench-geo [--lookups N]}
 */
public final class GeoBench {
    public static void main(String[] args) throws Exception {
        int lookups = 2_000_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--lookups")) {
                lookups = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: GeoBench [--lookups N]");
                System.exit(2);
            }
        }
        Path dir = Path.of(System.getProperty("netwatch.geoip.dir", ".netwatch/geoip"));
        String[] uniform = addresses(lookups, new Random(1), Integer.MAX_VALUE);
        String[] skewed = addresses(lookups, new Random(2), 1000);
        reference(dir.resolve("GeoLite2-City.mmdb"), uniform);
        for (boolean cache : new boolean[] {false, true}) {
            try (GeoIpLookup geo = GeoIpLookup.open(Optional.of(dir.resolve("GeoLite2-City.mmdb")), Optional.empty(),
                    Optional.empty(), cache)) {
                for (String[] set : new String[][] {uniform, skewed}) {
                    run(geo, set, Math.min(200_000, set.length)); // warm-up
                    long t = System.nanoTime();
                    long found = run(geo, set, set.length);
                    double s = (System.nanoTime() - t) / 1e9;
                    System.out.printf(Locale.ROOT, "| GeoLite2 City, %s, %s | %,.0f lookups/s | %d%% found |%n",
                            set == uniform ? "random public IPv4" : "1,000 distinct addresses",
                            cache ? "CHMCache" : "no cache", set.length / s, found * 100 / set.length);
                }
            }
        }
    }

    /** Wireshark's own GeoIP helper (tshark resolves through it) on the same addresses, if it is installed. */
    private static void reference(Path db, String[] addresses) throws Exception {
        Path helper = Path.of("/usr/bin/mmdbresolve");
        if (!java.nio.file.Files.isExecutable(helper)) {
            System.err.println("mmdbresolve (Wireshark's GeoIP helper) not installed: no reference figure");
            return;
        }
        Path in = java.nio.file.Files.createTempFile("geo-bench", ".txt");
        java.nio.file.Files.write(in, java.util.Arrays.asList(addresses));
        long t = System.nanoTime();
        Process p = new ProcessBuilder(helper.toString(), "-f", db.toString())
                .redirectInput(in.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int rc = p.waitFor();
        double s = (System.nanoTime() - t) / 1e9;
        java.nio.file.Files.delete(in);
        System.out.printf(Locale.ROOT, "| mmdbresolve (Wireshark's GeoIP helper, libmaxminddb), random public IPv4, "
                + "same addresses | %,.0f lookups/s | exit %d |%n", addresses.length / s, rc);
    }

    private static long run(GeoIpLookup geo, String[] set, int n) {
        long found = 0;
        for (int i = 0; i < n; i++) {
            if (geo.lookup(set[i]).countryIso() != null) {
                found++;
            }
        }
        return found;
    }

    /** Random public IPv4 addresses, drawn from {@code distinct} of them. */
    private static String[] addresses(int n, Random r, int distinct) {
        String[] pool = new String[Math.min(distinct, n)];
        for (int i = 0; i < pool.length; i++) {
            int first;
            do {
                first = 1 + r.nextInt(223);
            } while (first == 10 || first == 127 || first == 100 || first == 169 || first == 172 || first == 192
                    || first == 198 || first == 203);
            pool[i] = first + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = pool.length == n ? pool[i] : pool[r.nextInt(pool.length)];
        }
        return out;
    }
}
