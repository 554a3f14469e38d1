package io.netwatch.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the reference tool on a capture file; the tests check what netwatch writes by what tshark reads. */
public final class Tshark {
    private Tshark() {
    }

    /** One line per frame: the fields, tab-separated, of the frames the display filter (or null) passes. */
    public static List<String> fields(Path file, String displayFilter, String... fields) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields"));
        if (displayFilter != null) {
            cmd.addAll(List.of("-Y", displayFilter));
        }
        for (String f : fields) {
            cmd.addAll(List.of("-e", f));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("tshark cannot read " + file + " (" + String.join(" ", cmd) + ")");
        }
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
