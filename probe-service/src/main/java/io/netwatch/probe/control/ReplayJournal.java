package io.netwatch.probe.control;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The replay in progress, kept on disk from its start until it finishes or an operator stops it, so a probe that
 * is killed or restarted resumes it instead of starting the file again (which would publish its packets twice).
 *
 * @param runId        the run's id: the resumed run keeps it, so its packet ids go on where they stopped
 * @param path         the capture file
 * @param topic        the packet topic the run publishes to
 * @param lanes        the run's encoder count: packets of one lane reach a partition in the order they were read
 * @param startOffsets each partition's end offset before the run's first packet: where its records begin
 */
record ReplayJournal(String runId, String path, double speed, boolean loop, String filter, String topic, int lanes,
                     Map<Integer, Long> startOffsets) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "replay.json";

    static Optional<ReplayJournal> load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ReplayJournal.class));
        } catch (IOException e) {
            // a journal cut short (the disk filled up while it was written) cannot be resumed from
            throw new IllegalStateException("cannot read the replay journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written whole or not at all: a kill while writing leaves the previous journal. */
    void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the journal unless it is another run's (null: whosever it is); an unreadable one goes too. */
    static void clear(Path dir, String runId) {
        boolean another;
        try {
            another = runId != null && load(dir).map(j -> !j.runId().equals(runId)).orElse(false);
        } catch (IllegalStateException e) {
            another = false;
        }
        if (another) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException ignored) {
            // nothing more to do: the next start reports the journal it cannot use
        }
    }
}
