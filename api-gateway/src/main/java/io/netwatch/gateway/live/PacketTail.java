package io.netwatch.gateway.live;

import io.netwatch.records.PacketRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The most recent packets, newest first on reading: a fixed number, so memory stays bounded at any rate. */
public final class PacketTail {
    private final int capacity;
    private final ArrayDeque<PacketRecord> packets;

    public PacketTail(int capacity) {
        this.capacity = capacity;
        this.packets = new ArrayDeque<>(capacity);
    }

    public int capacity() {
        return capacity;
    }

    public synchronized void add(PacketRecord p) {
        if (packets.size() == capacity) {
            packets.removeFirst();
        }
        packets.addLast(p);
    }

    public synchronized List<PacketRecord> latest(int limit, Predicate<PacketRecord> filter) {
        List<PacketRecord> out = new ArrayList<>(Math.min(limit, packets.size()));
        for (Iterator<PacketRecord> it = packets.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            PacketRecord p = it.next();
            if (filter.test(p)) {
                out.add(p);
            }
        }
        return out;
    }

    public synchronized Optional<PacketRecord> byId(String id) {
        for (Iterator<PacketRecord> it = packets.descendingIterator(); it.hasNext(); ) {
            PacketRecord p = it.next();
            if (p.id().equals(id)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
