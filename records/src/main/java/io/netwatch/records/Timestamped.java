package io.netwatch.records;

/** A record that carries its own event time: when what it describes happened, in epoch microseconds. */
public interface Timestamped {
    long eventTimeUs();
}
