package io.netwatch.probe.control;

import java.util.Map;

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
                     Map<Integer, Long> startOffsets) implements JournalFile.Entry {
    static final JournalFile<ReplayJournal> FILE = new JournalFile<>("replay.json", ReplayJournal.class);
}
