package io.netwatch.enrichment.intel;

import io.netwatch.records.IpAddresses;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local threat-intel lists given in configuration, reloaded when a file changes (its modification time or
 * size): {@link #reloadIfChanged()} is called periodically; a list that fails to load keeps its previous
 * contents and the failure is logged, so a half-written download never empties a list. Lookups are thread-safe.
 */
public final class ThreatLists {
    private static final Logger LOG = Logger.getLogger(ThreatLists.class);

    private record Loaded(ThreatList list, FileTime modified, long size) {
    }

    private final List<Path> files;
    private volatile Map<Path, Loaded> loaded = Map.of();

    public ThreatLists(List<Path> files) {
        this.files = List.copyOf(files);
        reloadIfChanged();
    }

    /** @return the names of the lists (re)loaded */
    public synchronized List<String> reloadIfChanged() {
        Map<Path, Loaded> next = new HashMap<>(loaded);
        List<String> changed = new ArrayList<>();
        for (Path f : files) {
            try {
                FileTime modified = Files.getLastModifiedTime(f);
                long size = Files.size(f);
                Loaded was = next.get(f);
                if (was != null && was.modified().equals(modified) && was.size() == size) {
                    continue;
                }
                ThreatList list = ThreatList.load(f);
                next.put(f, new Loaded(list, modified, size));
                changed.add(list.name());
                LOG.infof("threat-intel list %s: %d entries from %s%s", list.name(), list.entries(), f,
                        list.rejected().isEmpty() ? "" : ", " + list.rejected().size() + " lines rejected, first: "
                                + list.rejected().get(0));
            } catch (IOException | RuntimeException e) {
                LOG.warnf("threat-intel list %s not (re)loaded, keeping what was loaded before: %s", f, e.toString());
            }
        }
        loaded = Map.copyOf(next);
        return changed;
    }

    /** Every list holding the address, most specific entry each. */
    public List<ListHit> match(String ip) {
        byte[] a = IpAddresses.parse(ip);
        List<ListHit> hits = new ArrayList<>();
        for (Loaded l : loaded.values()) {
            ListHit h = l.list().match(a);
            if (h != null) {
                hits.add(h);
            }
        }
        hits.sort(java.util.Comparator.comparing(ListHit::list));
        return hits;
    }

    public int lists() {
        return loaded.size();
    }
}
