package io.netwatch.probe.control;

import io.netwatch.probe.publish.PacketPipeline;

/** One capture or replay, from start to stop: its settings, its pipeline's counters and its threads. */
abstract class Run {
    final String runId;
    final String mode;
    final String source;
    final String filter;
    final long startedAtMicros;
    final PacketPipeline pipeline;
    volatile boolean running = true;
    /** Stopped because the probe shuts down, not because the run ended or an operator stopped it. */
    volatile boolean interrupted;
    volatile String state;
    volatile String error;

    Run(String runId, String mode, String source, String filter, String state, PacketPipeline pipeline) {
        this.runId = runId;
        this.mode = mode;
        this.source = source;
        this.filter = filter;
        this.state = state;
        this.pipeline = pipeline;
        this.startedAtMicros = System.currentTimeMillis() * 1000;
    }

    abstract void start(Runnable onEnd);

    /** Asks the run to stop and waits for its threads; what was read is published first. */
    abstract void stop();

    /** Stops the run because the probe shuts down: a replay keeps its journal and resumes at the next start. */
    void interrupt() {
        interrupted = true;
        stop();
    }

    Integer snaplen() {
        return null;
    }

    Boolean promiscuous() {
        return null;
    }

    Double speed() {
        return null;
    }

    long queueDrops() {
        return 0;
    }

    /** libpcap's counters: received, kernel drops, interface drops; null for replays. */
    long[] pcapStats() {
        return null;
    }
}
