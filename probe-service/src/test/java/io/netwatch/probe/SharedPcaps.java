package io.netwatch.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The real captures in ../shared/pcaps and tshark's figures for them (REFERENCE.tsv). */
public final class SharedPcaps {
    private SharedPcaps() {
    }

    public static Path root() {
        String prop = System.getProperty("netwatch.pcaps");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared", "pcaps");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "shared", "pcaps");
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("the shared captures are not at " + p.toAbsolutePath()
                    + ": CI keeps shared/ beside the checkout; set -Dnetwatch.pcaps=DIR to point elsewhere");
        }
        return p;
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }

    /** Every capture file below the root (pcap and pcapng, whatever their extension says). */
    public static List<Path> all() {
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** REFERENCE.tsv rows by file (relative path), each a map from column name to value. */
    public static Map<String, Map<String, String>> reference() {
        try {
            List<String> lines = Files.readAllLines(root().resolve("REFERENCE.tsv"));
            String[] header = lines.get(0).split("\t");
            Map<String, Map<String, String>> rows = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\t");
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length && i < cells.length; i++) {
                    row.put(header[i], cells[i]);
                }
                rows.put(cells[0], row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
