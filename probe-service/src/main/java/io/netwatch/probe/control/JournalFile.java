package io.netwatch.probe.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where a run's journal is kept in the probe's state folder: one JSON file, from the run's start until it ends or
 * an operator stops it, so that a probe that is killed or restarted takes the run up again.
 */
final class JournalFile<T extends JournalFile.Entry> {
    /** A journal belongs to one run. */
    interface Entry {
        String runId();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(JournalFile.class);
    private final String name;
    private final Class<T> type;

    JournalFile(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /** @throws IllegalStateException when the file is there but cannot be read */
    Optional<T> load(Path dir) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            // a journal cut short (the disk filled up while it was written) cannot be resumed from
            throw new IllegalStateException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The journal a run left when the probe stopped, if there is one to take up: one that cannot be read is
     * reported and removed, so it is not met again at every start.
     */
    Optional<T> interrupted(Path dir) {
        try {
            return load(dir);
        } catch (IllegalStateException e) {
            LOG.warn(e.getMessage() + ": the run it kept is not taken up");
            clear(dir, null);
            return Optional.empty();
        }
    }

    /** Written whole or not at all: a kill while writing leaves the previous journal. */
    void save(Path dir, T entry) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(name + ".tmp");
        JSON.writeValue(tmp.toFile(), entry);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the journal unless it is another run's (null: whosever it is); an unreadable one goes too. */
    void clear(Path dir, String runId) {
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
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException ignored) {
            // nothing more to do: the next start reports the journal it cannot use
        }
    }
}
