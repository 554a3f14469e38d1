package io.netwatch.records;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which store keys fall due when, to the second of event time: a stream processor finds the entries to expire as
 * time moves on without scanning its state store. Lives in memory; a processor rebuilds it from its store at start.
 */
public final class DeadlineIndex {
    /** deadline second -> keys, and each key's second. */
    private final TreeMap<Long, Set<String>> byDeadline = new TreeMap<>();
    private final Map<String, Long> deadlineOf = new HashMap<>();

    /** Sets (or moves) the key's deadline, rounded up to the second. */
    public void put(String key, long deadlineUs) {
        long second = secondOf(deadlineUs);
        Long old = deadlineOf.get(key);
        if (old != null && old == second) {
            return;
        }
        remove(key);
        deadlineOf.put(key, second);
        byDeadline.computeIfAbsent(second, x -> new HashSet<>()).add(key);
    }

    /** The second a deadline is kept under: rounded up, so a key is never looked at before it is due. */
    public static long secondOf(long deadlineUs) {
        return Math.floorDiv(deadlineUs + 999_999, 1_000_000L);
    }

    public void remove(String key) {
        Long old = deadlineOf.remove(key);
        Set<String> bucket = old == null ? null : byDeadline.get(old);
        if (bucket != null) {
            bucket.remove(key);
            if (bucket.isEmpty()) {
                byDeadline.remove(old);
            }
        }
    }

    /** Whether the key has a deadline: a processor that gives every stored key one can skip the store's lookup. */
    public boolean contains(String key) {
        return deadlineOf.containsKey(key);
    }

    /** Whether any key is due at or before {@code nowUs}: cheap enough to ask for every record. */
    public boolean anyDue(long nowUs) {
        return !byDeadline.isEmpty() && byDeadline.firstKey() * 1_000_000 <= nowUs;
    }

    public boolean isEmpty() {
        return byDeadline.isEmpty();
    }

    /** Removes and returns the keys due at or before {@code nowUs}. */
    public List<String> pollDue(long nowUs) {
        List<String> due = new ArrayList<>();
        while (anyDue(nowUs)) {
            for (String k : byDeadline.pollFirstEntry().getValue()) {
                deadlineOf.remove(k);
                due.add(k);
            }
        }
        return due;
    }

    /** Removes and returns every key. */
    public List<String> pollAll() {
        return pollDue(Long.MAX_VALUE / 2);
    }
}
