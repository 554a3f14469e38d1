package io.netwatch.records;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Instants as the APIs take them: ISO-8601 ({@code 2026-11-24T10:00:00Z}) or epoch milliseconds. */
public final class Instants {
    private Instants() {
    }

    /** Null for a missing value; an {@link IllegalArgumentException} naming the parameter for a bad one. */
    public static Instant parse(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return v.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(v)) : Instant.parse(v);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant (2026-11-24T10:00:00Z) or epoch "
                    + "milliseconds, not '" + value + "'");
        }
    }

    /** Nanoseconds since the epoch, saturating instead of overflowing. */
    public static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
