package io.netwatch.gateway.live;

import io.netwatch.records.IpIntel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The latest intel per address from netwatch.ip-intel.v1, bounded: the least recently used address goes first. */
public final class IntelCache {
    private final Map<String, IpIntel> byIp;

    public IntelCache(int capacity) {
        this.byIp = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, IpIntel> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void put(IpIntel intel) {
        byIp.put(intel.ip(), intel);
    }

    public synchronized Optional<IpIntel> get(String ip) {
        return Optional.ofNullable(ip == null ? null : byIp.get(ip));
    }

    public synchronized List<IpIntel> matching(Predicate<IpIntel> test) {
        List<IpIntel> out = new ArrayList<>();
        for (IpIntel i : byIp.values()) {
            if (test.test(i)) {
                out.add(i);
            }
        }
        return out;
    }

    public synchronized int size() {
        return byIp.size();
    }
}
