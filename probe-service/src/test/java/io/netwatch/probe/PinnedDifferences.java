package io.netwatch.probe;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where netwatch counts differently from tshark, the difference is pinned here with its reason: a count must equal
 * tshark's, or the pinned value when there is one, so a change in either direction fails.
 */
public final class PinnedDifferences {
    public record Difference(String file, String column, long ours, String why) {
    }

    private final List<Difference> known;

    public PinnedDifferences(List<Difference> known) {
        this.known = known;
    }

    public void check(String file, String column, long ours, long tshark) {
        Difference d = known.stream().filter(k -> k.file.equals(file) && k.column.equals(column))
                .findFirst().orElse(null);
        if (d == null) {
            assertEquals(tshark, ours, file + ": " + column);
        } else {
            assertTrue(d.ours != tshark, "a pinned difference that is no difference: " + d);
            assertEquals(d.ours, ours, file + ": " + column + " (tshark says " + tshark + "; pinned because " + d.why
                    + ")");
        }
    }
}
