package io.netwatch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements of docs/influxdb.md, read from its table: the contract between the InfluxDB sink (whose
 * points are checked against it) and the Grafana dashboards (whose queries are checked against it).
 */
public final class MeasurementTable {
    /** A measurement's tag and field names. */
    public record Measurement(String name, Set<String> tags, Set<String> fields) {
    }

    private static final Pattern NAME = Pattern.compile("`([a-z_0-9]+)`");

    private MeasurementTable() {
    }

    public static Map<String, Measurement> read(Path influxdbMd) throws IOException {
        Map<String, Measurement> out = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(influxdbMd)) {
            if (line.startsWith("| measurement | tags | fields |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            String name = names(cells[1]).iterator().next();
            out.put(name, new Measurement(name, names(cells[2]), names(cells[3])));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(influxdbMd + " has no measurement table");
        }
        return out;
    }

    /** The back-quoted names of a cell, leaving out values given in parentheses ({@code `1s`, `1m`}). */
    private static Set<String> names(String cell) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(cell.replaceAll("\\([^)]*\\)", ""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The repository's copy, found from the working directory of a module's tests. */
    public static Map<String, Measurement> ofRepository() throws IOException {
        return read(RepositoryRoot.find().resolve("docs/influxdb.md"));
    }
}
