package io.netwatch.detection.rules;

import java.time.Duration;

/**
 * A rule that fires when what it measures for one entity reaches a threshold within a window of event time. The
 * window opens with the entity's first observation and closes {@code window} later (a new one opens with the next
 * observation after that), so a burst shorter than the window is always seen whole.
 *
 * @param name        the rule's name, as on alerts
 * @param severity    low, medium, high or critical
 * @param mitre       MITRE ATT&CK technique id, or null
 * @param measure     what is counted
 * @param threshold   the first hit at this value; further hits at each doubling, so the alert's evidence grows
 *                    with the attack without an alert per observation
 * @param window      how long a window stays open
 * @param description one line, with {src}, {dst}, {port}, {value} and {window} filled in
 */
public record WindowRule(String name, String severity, String mitre, Measure measure, long threshold,
                         Duration window, String description) {

    public WindowRule {
        if (threshold < 1) {
            throw new IllegalArgumentException(name + ": threshold must be at least 1, not " + threshold);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException(name + ": window must be positive, not " + window);
        }
    }

    public long windowUs() {
        return window.toNanos() / 1000;
    }

    public WindowRule with(long threshold, Duration window) {
        return new WindowRule(name, severity, mitre, measure, threshold, window, description);
    }

    public String describe(String src, String dst, Integer port, long value) {
        return description.replace("{src}", String.valueOf(src)).replace("{dst}", String.valueOf(dst))
                .replace("{port}", String.valueOf(port)).replace("{value}", Long.toString(value))
                .replace("{window}", human(window));
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s % 60 == 0) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
