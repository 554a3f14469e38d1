package io.netwatch.enrichment.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import io.netwatch.records.IpAddresses;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * GeoIP and ASN from MaxMind databases (GeoLite2 or commercial): City if given, else Country; ASN when a database
 * is given. Special-purpose addresses are labelled from {@link AddressScope} and never looked up. Thread-safe.
 */
public final class GeoIpLookup implements Closeable {
    private final DatabaseReader city;
    private final DatabaseReader country;
    private final DatabaseReader asn;

    private GeoIpLookup(DatabaseReader city, DatabaseReader country, DatabaseReader asn) {
        this.city = city;
        this.country = country;
        this.asn = asn;
    }

    /**
     * @param cache a node cache in each reader (MaxMind's CHMCache): repeated lookups of busy networks skip the
     *              decoding of their records
     */
    public static GeoIpLookup open(Optional<Path> cityDb, Optional<Path> countryDb, Optional<Path> asnDb,
                                   boolean cache) {
        if (cityDb.isEmpty() && countryDb.isEmpty()) {
            throw new IllegalArgumentException("GeoIP needs a City or a Country database (GeoLite2-City.mmdb)");
        }
        return new GeoIpLookup(reader(cityDb, cache), reader(countryDb, cache), reader(asnDb, cache));
    }

    private static DatabaseReader reader(Optional<Path> db, boolean cache) {
        if (db.isEmpty()) {
            return null;
        }
        Path p = db.get();
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException("no readable MaxMind database at " + p.toAbsolutePath()
                    + " (./netwatch fetches GeoLite2 into .netwatch/geoip; or point at your own files)");
        }
        try {
            DatabaseReader.Builder b = new DatabaseReader.Builder(p.toFile());
            if (cache) {
                b.withCache(new CHMCache());
            }
            return b.build();
        } catch (IOException e) {
            throw new IllegalArgumentException(p + " is not a MaxMind database: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException for anything but an IP address literal */
    public GeoInfo lookup(String ip) {
        byte[] bytes = IpAddresses.parse(ip);
        String scope = AddressScope.of(bytes);
        if (!AddressScope.PUBLIC.equals(scope)) {
            return GeoInfo.special(ip, scope);
        }
        try {
            InetAddress address = InetAddress.getByAddress(bytes);
            String iso = null;
            String countryName = null;
            String continent = null;
            String cityName = null;
            Double lat = null;
            Double lon = null;
            Integer accuracy = null;
            Optional<CityResponse> c = city == null ? Optional.empty() : city.tryCity(address);
            if (c.isPresent()) {
                CityResponse r = c.get();
                iso = r.country().getIsoCode();
                countryName = r.country().getName();
                continent = r.continent().code();
                cityName = r.city().getName();
                lat = r.location().latitude();
                lon = r.location().longitude();
                accuracy = r.location().accuracyRadius();
            } else if (country != null) {
                Optional<CountryResponse> k = country.tryCountry(address);
                if (k.isPresent()) {
                    iso = k.get().country().getIsoCode();
                    countryName = k.get().country().getName();
                    continent = k.get().continent().code();
                }
            }
            Long asNumber = null;
            String asOrg = null;
            Optional<AsnResponse> a = asn == null ? Optional.empty() : asn.tryAsn(address);
            if (a.isPresent()) {
                asNumber = a.get().autonomousSystemNumber();
                asOrg = a.get().autonomousSystemOrganization();
            }
            return new GeoInfo(ip, scope, iso, countryName, continent, cityName, lat, lon, accuracy, asNumber, asOrg);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the GeoIP database failed for " + ip, e);
        } catch (GeoIp2Exception e) {
            throw new IllegalStateException("GeoIP lookup failed for " + ip + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        for (DatabaseReader r : new DatabaseReader[] {city, country, asn}) {
            if (r != null) {
                r.close();
            }
        }
    }
}
