package io.netwatch.enrichment.geo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lookups in the real GeoLite2 files (./netwatch test fetches them; -Dnetwatch.geoip.dir points elsewhere). */
public class GeoIpLookupTest {
    private static GeoIpLookup geo;

    public static Path database(String name) {
        Path p = Path.of(System.getProperty("netwatch.geoip.dir", ".netwatch/geoip")).resolve(name);
        if (!Files.isReadable(p)) {
            throw new IllegalStateException("no " + name + " at " + p.toAbsolutePath() + ": run the tests with "
                    + "./netwatch test (it fetches GeoLite2), or set -Dnetwatch.geoip.dir=DIR");
        }
        return p;
    }

    @BeforeAll
    static void open() {
        geo = GeoIpLookup.open(Optional.of(database("GeoLite2-City.mmdb")),
                Optional.of(database("GeoLite2-Country.mmdb")), Optional.empty(), true);
    }

    @AfterAll
    static void close() throws Exception {
        geo.close();
    }

    /** Addresses whose home is public knowledge: the operators' own networks and resolvers. */
    @ParameterizedTest(name = "{0} is in {1}")
    @CsvSource({
            "8.8.8.8, US, NA",                       // Google Public DNS
            "2001:4860:4860::8888, US, NA",          // the same over IPv6
            "193.0.6.139, NL, EU",                   // RIPE NCC, Amsterdam
            "203.178.141.194, JP, AS",               // WIDE Project
            "200.160.2.3, BR, SA",                   // NIC.br
            "2001:12ff:0:4::3, BR, SA",              // NIC.br over IPv6
            "2001:67c:2e8:22::c100:68b, CZ, EU",     // CZ.NIC
            "1.1.1.1, AU, OC"                        // APNIC's research prefix (Cloudflare's resolver since 2018)
    })
    void wellKnownPublicAddressesResolveToTheirCountry(String ip, String iso, String continent) {
        GeoInfo g = geo.lookup(ip);
        assertEquals(AddressScope.PUBLIC, g.scope());
        assertEquals(iso, g.countryIso(), ip + ": " + g);
        assertEquals(continent, g.continent());
        assertTrue(g.latitude() != null && g.longitude() != null && g.accuracyKm() != null, "located: " + g);
    }

    @Test
    void cityLevelWhereTheDatabaseHasIt() {
        GeoInfo cz = geo.lookup("2001:67c:2e8:22::c100:68b");
        assertEquals("Prague", cz.city());
        assertTrue(Math.abs(cz.latitude() - 50.1) < 1 && Math.abs(cz.longitude() - 14.4) < 1, cz.toString());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "10.1.2.3, private", "172.16.9.9, private", "192.168.1.1, private", "fd12:3456::1, private",
            "127.0.0.1, loopback", "::1, loopback", "169.254.10.1, link_local", "fe80::1, link_local",
            "224.0.0.251, multicast", "ff02::fb, multicast", "192.0.2.1, documentation", "198.51.100.7, documentation",
            "203.0.113.9, documentation", "2001:db8::1, documentation", "100.64.1.1, shared",
            "255.255.255.255, broadcast", "0.0.0.0, unspecified", "240.0.0.1, reserved"
    })
    void specialRangesAreLabelledNotLookedUp(String ip, String scope) {
        GeoInfo g = geo.lookup(ip);
        assertEquals(scope, g.scope());
        assertNull(g.countryIso(), "no place on a map: " + g);
    }

    @Test
    void countryDatabaseAloneAnswersWithCountriesAndNoCity() throws Exception {
        try (GeoIpLookup countryOnly = GeoIpLookup.open(Optional.empty(),
                Optional.of(database("GeoLite2-Country.mmdb")), Optional.empty(), false)) {
            GeoInfo g = countryOnly.lookup("193.0.6.139");
            assertEquals("NL", g.countryIso());
            assertNull(g.city());
            assertNull(g.latitude());
        }
    }

    @Test
    void badInputGetsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> geo.lookup("example.com"));
        assertTrue(e.getMessage().contains("not an IP address literal"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> GeoIpLookup.open(
                Optional.of(Path.of("/nonexistent/GeoLite2-City.mmdb")), Optional.empty(), Optional.empty(), true));
        assertTrue(missing.getMessage().contains("no readable MaxMind database"), missing.getMessage());
        IllegalArgumentException notDb = assertThrows(IllegalArgumentException.class, () -> GeoIpLookup.open(
                Optional.of(Path.of("pom.xml")), Optional.empty(), Optional.empty(), true));
        assertTrue(notDb.getMessage().contains("is not a MaxMind database"), notDb.getMessage());
    }
}
