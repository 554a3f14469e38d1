package io.netwatch.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Once a second, what the running pipeline has done: the end offsets of its topics, each consumer's committed
 * offsets on its input (so its lag), and each process's resident memory and heap in use. Offsets are read from
 * the broker, so rates are what the services committed, not what they were sent. On the batch topic, offsets are
 * read as the packets before them ({@link BatchPacketCounts}), so every figure is in packets either way.
 */
final class PipelineSampler implements AutoCloseable {
    /** A consumer group whose progress on one topic is followed. */
    record Consumer(String label, String group, String topic) {
    }

    /** A process whose memory is followed: its pid file, and its metrics URL (null for the broker and database). */
    record Service(String name, Path pidFile, String metricsUrl) {
    }

    /** One second's reading. */
    record Sample(long atMs, Map<String, Long> topicEnds, Map<String, Long> committed, Map<String, Long> rssBytes,
                  Map<String, Long> heapBytes, Map<String, Long> cpuTicks) {
        long lag(Consumer c) {
            return Math.max(0, topicEnds.getOrDefault(c.topic(), 0L) - committed.getOrDefault(c.label(), 0L));
        }
    }

    /**
     * Heap is read every fifth sample and carried in between: a service renders all of its Prometheus metrics for
     * each scrape (Kafka Streams has hundreds), which at one a second cost each service 1-3 % of a core in the
     * bench, where Prometheus would scrape every 15-30 s.
     */
    private static final int HEAP_EVERY = 5;

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)$",
            Pattern.MULTILINE);

    private final Admin admin;
    /** Counts packets on the batch topic, whose offsets count batches; null when packets travel one per record. */
    private final BatchPacketCounts batchCounts;
    private final String batchTopic;
    private final List<String> topics;
    private final List<Consumer> consumers;
    private final List<Service> services;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final Map<String, Long> lastHeap = new LinkedHashMap<>();
    private long sampled;

    /**
     * @param batchTopic a topic of packet batches whose offsets are read as the packets before them (its ends and
     *                   its consumers' committed offsets are then in packets), or null
     */
    PipelineSampler(String bootstrap, List<String> topics, List<Consumer> consumers, List<Service> services,
                    String batchTopic) {
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 5000,
                "default.api.timeout.ms", 10000));
        this.batchTopic = batchTopic;
        this.batchCounts = batchTopic == null ? null : new BatchPacketCounts(bootstrap, batchTopic).start();
        this.topics = topics;
        this.consumers = consumers;
        this.services = services;
        this.thread = new Thread(this::run, "pipeline-sampler");
        this.thread.setDaemon(true);
    }

    PipelineSampler start() {
        thread.start();
        return this;
    }

    List<Sample> samples() {
        return samples;
    }

    List<Consumer> consumers() {
        return consumers;
    }

    List<Service> services() {
        return services;
    }

    /** A reading now, outside the once-a-second loop. */
    Sample sample() throws Exception {
        long at = System.currentTimeMillis();
        Map<String, Long> ends = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> req = new LinkedHashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                .forEach(p -> req.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> endOffsets = new LinkedHashMap<>();
        admin.listOffsets(req).all().get().forEach((tp, o) -> endOffsets.put(tp, o.offset()));
        if (batchCounts != null) {
            // the end of the batch topic in packets needs the batches up to it counted
            Map<TopicPartition, Long> batchEnds = new LinkedHashMap<>(endOffsets);
            batchEnds.keySet().removeIf(tp -> !tp.topic().equals(batchTopic));
            batchCounts.awaitCounted(batchEnds, Duration.ofSeconds(30));
        }
        endOffsets.forEach((tp, o) -> ends.merge(tp.topic(), packets(tp, o), Long::sum));
        Map<String, Long> committed = new LinkedHashMap<>();
        for (Consumer c : consumers) {
            long sum = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : admin.listConsumerGroupOffsets(c.group())
                    .partitionsToOffsetAndMetadata().get().entrySet()) {
                if (e.getKey().topic().equals(c.topic()) && e.getValue() != null) {
                    sum += packets(e.getKey(), e.getValue().offset());
                }
            }
            committed.put(c.label(), sum);
        }
        Map<String, Long> rss = new LinkedHashMap<>();
        Map<String, Long> cpu = new LinkedHashMap<>();
        boolean readHeap = sampled++ % HEAP_EVERY == 0;
        Map<String, Long> liveChildren = liveChildTicks();
        for (Service s : services) {
            rss.put(s.name(), rssBytes(s.pidFile()));
            cpu.put(s.name(), cpuTicks(s.pidFile(), liveChildren));
            if (s.metricsUrl() != null && (readHeap || !lastHeap.containsKey(s.name()))) {
                lastHeap.put(s.name(), heapBytes(s.metricsUrl()));
            }
        }
        Map<String, Long> heap = new LinkedHashMap<>(lastHeap);
        return new Sample(at, ends, committed, rss, heap, cpu);
    }

    /** An offset as what came before it: packets on the batch topic, records elsewhere. */
    private long packets(TopicPartition tp, long offset) {
        return batchCounts != null && tp.topic().equals(batchTopic)
                ? batchCounts.packetsBefore(tp.partition(), offset) : offset;
    }

    private void run() {
        long next = System.currentTimeMillis();
        while (running) {
            try {
                samples.add(sample());
            } catch (Exception e) {
                if (running) {
                    System.err.println("sampler: " + e.getMessage());
                }
            }
            next += 1000;
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.currentTimeMillis();
            }
        }
    }

    /** The pid in a pid file: its first line (PostgreSQL's postmaster.pid holds more lines after it). */
    static String pidOf(Path pidFile) throws IOException {
        return Files.readAllLines(pidFile).get(0).trim();
    }

    /** VmRSS of the process in the pid file, or -1 when it is not running. */
    static long rssBytes(Path pidFile) {
        try {
            String pid = pidOf(pidFile);
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not running
        }
        return -1;
    }

    /**
     * User plus system CPU time of the process in the pid file and of its child processes (PostgreSQL's backends
     * are children of its postmaster), in clock ticks (1/100 s); -1 if not running.
     *
     * @param liveChildren {@link #liveChildTicks()}, read once for all the processes sampled together
     */
    static long cpuTicks(Path pidFile, Map<String, Long> liveChildren) {
        try {
            String pid = pidOf(pidFile);
            String[] f = fieldsOf(Files.readString(Path.of("/proc", pid, "stat")));
            return ownTicks(f) + reapedTicks(f) + liveChildren.getOrDefault(pid, 0L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of a process's children: those running, and those ended and reaped (its cutime and cstime). */
    static long childTicks(String pid, Map<String, Long> liveChildren) throws IOException {
        return reapedTicks(fieldsOf(Files.readString(Path.of("/proc", pid, "stat"))))
                + liveChildren.getOrDefault(pid, 0L);
    }

    /** Parent pid to the CPU time of its running children (their own, and what their ended children used). */
    static Map<String, Long> liveChildTicks() {
        Map<String, Long> byParent = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = fieldsOf(stat);
                    byParent.merge(f[1], ticksOf(stat) + reapedTicks(f), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byParent;
    }

    private static long reapedTicks(String[] f) {
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** The fields of a /proc stat line after the command name, from the state on (ppid at 1, utime at 11). */
    private static String[] fieldsOf(String stat) {
        // the command name is in parentheses and may hold spaces
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** utime + stime of a /proc stat line (a process's or a thread's). */
    static long ticksOf(String stat) {
        return ownTicks(fieldsOf(stat));
    }

    private static long ownTicks(String[] f) {
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Heap in use, summed over the JVM's heap pools, from the service's Prometheus metrics; -1 if unreadable. */
    long heapBytes(String metricsUrl) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = HEAP.matcher(body);
            double sum = 0;
            boolean any = false;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
                any = true;
            }
            return any ? (long) sum : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The samples as CSV: seconds since {@code t0}, topic ends, committed offsets, lags, RSS and heap (MiB). */
    void writeCsv(Path file, long t0) throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("t_s"));
        topics.forEach(t -> head.add("end:" + t));
        consumers.forEach(c -> head.add("committed:" + c.label()));
        consumers.forEach(c -> head.add("lag:" + c.label()));
        services.forEach(s -> head.add("rss_mib:" + s.name()));
        services.stream().filter(s -> s.metricsUrl() != null).forEach(s -> head.add("heap_mib:" + s.name()));
        lines.add(String.join(",", head));
        for (Sample s : samples) {
            List<String> row = new ArrayList<>();
            row.add(String.format(java.util.Locale.ROOT, "%.1f", (s.atMs() - t0) / 1000.0));
            topics.forEach(t -> row.add(String.valueOf(s.topicEnds().getOrDefault(t, 0L))));
            consumers.forEach(c -> row.add(String.valueOf(s.committed().getOrDefault(c.label(), 0L))));
            consumers.forEach(c -> row.add(String.valueOf(s.lag(c))));
            services.forEach(v -> row.add(String.valueOf(mib(s.rssBytes().getOrDefault(v.name(), -1L)))));
            services.stream().filter(v -> v.metricsUrl() != null)
                    .forEach(v -> row.add(String.valueOf(mib(s.heapBytes().getOrDefault(v.name(), -1L)))));
            lines.add(String.join(",", row));
        }
        Files.write(file, lines);
    }

    static long mib(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024 * 1024);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
        if (batchCounts != null) {
            batchCounts.close();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
