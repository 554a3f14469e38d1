package io.netwatch.probe.control;

/**
 * The live capture an operator started through the API, kept on disk while it runs, so that a probe that is killed
 * or restarted captures again on the same interface with the same filter instead of standing idle. (A capture the
 * settings start, {@code autostart=live}, needs no journal: the settings start it again.)
 *
 * @param filter the filter in force, null for none
 */
record CaptureJournal(String runId, String iface, String filter, int snaplen, boolean promiscuous)
        implements JournalFile.Entry {
    static final JournalFile<CaptureJournal> FILE = new JournalFile<>("capture.json", CaptureJournal.class);
}
