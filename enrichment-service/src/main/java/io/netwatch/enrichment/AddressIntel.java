package io.netwatch.enrichment;

import io.netwatch.enrichment.geo.AddressScope;
import io.netwatch.enrichment.geo.GeoInfo;
import io.netwatch.enrichment.geo.GeoIpLookup;
import io.netwatch.enrichment.intel.ListHit;
import io.netwatch.enrichment.intel.ThreatLists;
import io.netwatch.enrichment.reputation.Reputation;
import io.netwatch.enrichment.reputation.ReputationCheck;
import io.netwatch.enrichment.reputation.ReputationService;
import io.netwatch.records.IpIntel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The sources of intel about an address: GeoIP and the local lists answer at once (local files); reputation
 * providers answer later, asynchronously, and only for public addresses.
 *
 * @param suspiciousScore an address scoring at least this is flagged suspicious
 */
public record AddressIntel(GeoIpLookup geo, ThreatLists lists, ReputationService reputation, int suspiciousScore) {

    /** Intel from the local sources, keeping what {@code before} knew from providers. */
    public IpIntel local(String ip, IpIntel before, long eventTs, long now) {
        GeoInfo g = geo.lookup(ip);
        List<Map<String, Object>> hits = new ArrayList<>();
        for (ListHit h : lists.match(ip)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("list", h.list());
            m.put("entry", h.entry());
            if (h.reference() != null) {
                m.put("reference", h.reference());
            }
            hits.add(m);
        }
        List<Map<String, Object>> rep = before == null ? null : before.reputation();
        long first = before == null ? eventTs : Math.min(before.firstSeen(), eventTs);
        long last = before == null ? eventTs : Math.max(before.lastSeen(), eventTs);
        return scored(new IpIntel(ip, g.scope(), g.countryIso(), g.country(), g.continent(), g.city(), g.latitude(),
                g.longitude(), g.asn(), g.asOrg(), rep, hits.isEmpty() ? null : hits, null, false, first, last, now));
    }

    /** Whether providers should be asked: they are configured and the address is public. */
    public boolean wantsReputation(IpIntel intel) {
        return reputation.enabled() && AddressScope.PUBLIC.equals(intel.scope());
    }

    public CompletableFuture<ReputationCheck> askProviders(String ip) {
        return reputation.check(ip);
    }

    /** The intel with the providers' answers folded in. */
    public IpIntel withReputation(IpIntel i, ReputationCheck check, long now) {
        List<Map<String, Object>> rep = new ArrayList<>();
        for (Reputation r : check.providers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("provider", r.provider());
            if (r.score() != null) {
                m.put("score", r.score());
            }
            if (r.evidence() != null) {
                m.put("evidence", r.evidence());
            }
            if (r.error() != null) {
                m.put("error", r.error());
            }
            rep.add(m);
        }
        return scored(new IpIntel(i.ip(), i.scope(), i.countryIso(), i.country(), i.continent(), i.city(),
                i.latitude(), i.longitude(), i.asn(), i.asOrg(), rep, i.listHits(), null, false, i.firstSeen(),
                i.lastSeen(), now));
    }

    /** Score: the highest provider score; 100 when a blocklist holds the address. */
    private IpIntel scored(IpIntel i) {
        Integer score = null;
        if (i.reputation() != null) {
            for (Map<String, Object> r : i.reputation()) {
                Object s = r.get("score");
                if (s instanceof Number n && (score == null || n.intValue() > score)) {
                    score = n.intValue();
                }
            }
        }
        if (i.listHits() != null) {
            score = 100;
        }
        boolean suspicious = score != null && score >= suspiciousScore;
        return new IpIntel(i.ip(), i.scope(), i.countryIso(), i.country(), i.continent(), i.city(), i.latitude(),
                i.longitude(), i.asn(), i.asOrg(), i.reputation(), i.listHits(), score, suspicious, i.firstSeen(),
                i.lastSeen(), i.updatedAt());
    }
}
