package io.netwatch.gateway.api;

import io.netwatch.records.Instants;
import io.netwatch.records.IpAddresses;

import java.time.Instant;

/** Checks of query parameters, each failing with a 400 that names the parameter. */
final class Params {
    private Params() {
    }

    static String ip(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            IpAddresses.parse(value.trim());
            return value.trim();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be an IPv4 or IPv6 address, not '" + value + "'");
        }
    }

    static Integer port(String name, Integer value) {
        if (value != null && (value < 0 || value > 65535)) {
            throw ApiException.badRequest(name + " must be from 0 to 65535, not " + value);
        }
        return value;
    }

    static int range(String name, Integer value, int dflt, int min, int max) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw ApiException.badRequest(name + " must be from " + min + " to " + max + ", not " + v);
        }
        return v;
    }

    /** An instant as ISO-8601 ({@code 2026-11-24T10:00:00Z}) or epoch milliseconds. */
    static Instant time(String name, String value) {
        try {
            return Instants.parse(name, value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static void order(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiException.badRequest("from (" + from + ") is after to (" + to + ")");
        }
    }
}
