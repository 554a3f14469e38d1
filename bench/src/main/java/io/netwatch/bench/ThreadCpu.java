package io.netwatch.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of a process's threads by kind, from /proc/PID/task: what a service spends on its own work (stream
 * threads, the probe's decoder and encoders), on the JIT compiler, on garbage collection, on the producer's I/O.
 * The JVM names its threads (/proc shows the first 15 characters), so the kinds are read from the names. Java
 * samplers (JFR) see only Java frames, and missed that the compiler and the collector were a third of the stack.
 */
final class ThreadCpu {
    static final String JIT = "JIT compiler";
    static final String GC = "garbage collector";
    static final String ENDED = "threads that ended";
    /** PostgreSQL's backends: processes of their own, children of the one in the pid file. */
    static final String CHILDREN = "child processes";
    /** Kinds in the order they are reported; the rest is "other". */
    static final List<String> KINDS = List.of("stream threads", "probe decode + encode", "broker request handling",
            JIT, GC, "producer I/O", "RocksDB", "HTTP, WebSocket, feeds", "other", CHILDREN, ENDED);

    private ThreadCpu() {
    }

    /**
     * A snapshot: thread id to name and clock ticks (1/100 s), plus the process total (children included) under id
     * -1 and its children's under -2.
     */
    record Snapshot(Map<Integer, String> names, Map<Integer, Long> ticks) {
        static final Snapshot NONE = new Snapshot(Map.of(), Map.of());
    }

    static Snapshot of(Path pidFile) {
        Map<Integer, String> names = new LinkedHashMap<>();
        Map<Integer, Long> ticks = new LinkedHashMap<>();
        try {
            String pid = PipelineSampler.pidOf(pidFile);
            Map<String, Long> liveChildren = PipelineSampler.liveChildTicks();
            ticks.put(-1, PipelineSampler.cpuTicks(pidFile, liveChildren));
            ticks.put(-2, PipelineSampler.childTicks(pid, liveChildren));
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
                for (Path t : tasks) {
                    try {
                        int tid = Integer.parseInt(t.getFileName().toString());
                        names.put(tid, Files.readString(t.resolve("comm")).trim());
                        ticks.put(tid, PipelineSampler.ticksOf(Files.readString(t.resolve("stat"))));
                    } catch (IOException | RuntimeException e) {
                        // the thread ended while we looked: its time is in the process total
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Snapshot.NONE;
        }
        return new Snapshot(names, ticks);
    }

    /** Ticks by kind between two snapshots; what threads that ended used is the process's rest. */
    static Map<String, Long> byKind(Snapshot before, Snapshot after) {
        Map<String, Long> out = new LinkedHashMap<>();
        KINDS.forEach(k -> out.put(k, 0L));
        long threads = 0;
        for (Map.Entry<Integer, Long> e : after.ticks().entrySet()) {
            if (e.getKey() < 0) {
                continue;
            }
            long d = Math.max(0, e.getValue() - before.ticks().getOrDefault(e.getKey(), 0L));
            out.merge(kind(after.names().get(e.getKey())), d, Long::sum);
            threads += d;
        }
        long total = after.ticks().getOrDefault(-1, 0L) - before.ticks().getOrDefault(-1, 0L);
        long children = Math.max(0, after.ticks().getOrDefault(-2, 0L) - before.ticks().getOrDefault(-2, 0L));
        out.put(CHILDREN, children);
        out.put(ENDED, Math.max(0, total - threads - children));
        return out;
    }

    static String kind(String name) {
        if (name == null) {
            return "other";
        }
        if (name.contains("CompilerThre") || name.startsWith("C1 ") || name.startsWith("C2 ")) {
            return JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
            return GC;
        }
        if (name.startsWith("netwatch-")) { // a stream thread's name begins with the application id
            return "stream threads";
        }
        if (name.startsWith("decode-") || name.startsWith("encode-") || name.startsWith("replay")
                || name.startsWith("capture-")) {
            return "probe decode + encode";
        }
        if (name.startsWith("data-plane") || name.startsWith("kafka-request") || name.startsWith("kafka-network")) {
            return "broker request handling";
        }
        if (name.startsWith("kafka-producer")) {
            return "producer I/O";
        }
        if (name.startsWith("rocksdb")) {
            return "RocksDB";
        }
        if (name.startsWith("vert.x") || name.startsWith("executor-thread") || name.startsWith("feed-")) {
            return "HTTP, WebSocket, feeds";
        }
        return "other";
    }
}
