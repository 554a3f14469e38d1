package io.netwatch.gateway.api;

import io.smallrye.mutiny.Multi;
import org.jboss.resteasy.reactive.RestMulti;

import java.util.StringJoiner;

/** CSV lines as RFC 4180 has them, and the choice between CSV and JSON lines. */
final class Exports {
    private Exports() {
    }

    static boolean csv(String format) {
        if (format == null || format.equalsIgnoreCase("csv")) {
            return true;
        }
        if (format.equalsIgnoreCase("json")) {
            return false;
        }
        throw ApiException.badRequest("format must be csv or json, not '" + format + "'");
    }

    /** The rows as a download: CSV after its header line, or JSON lines. */
    static RestMulti<String> download(boolean csv, String name, String csvHeader, Multi<String> rows) {
        Multi<String> body = csv ? Multi.createBy().concatenating().streams(Multi.createFrom().item(csvHeader), rows)
                : rows;
        return RestMulti.fromMultiData(body)
                .header("Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"" + name + (csv ? ".csv" : ".ndjson") + "\"")
                .build();
    }

    static String csvLine(Object... values) {
        StringJoiner line = new StringJoiner(",", "", "\r\n");
        for (Object v : values) {
            line.add(field(v));
        }
        return line.toString();
    }

    private static String field(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
