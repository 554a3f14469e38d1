package io.netwatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process's CPU time counts its child processes', as PostgreSQL's backends are children of its postmaster. */
class ThreadCpuTest {
    @TempDir
    Path dir;

    @Test
    void theCpuOfChildProcessesCountsAsTheirParentsAndApartFromItsThreads() throws Exception {
        Path pidFile = Files.writeString(dir.resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        ThreadCpu.Snapshot before = ThreadCpu.of(pidFile);
        // a child that burns CPU time and ends: this JVM reaps it, so its time is in our cutime and cstime
        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done")
                .start();
        assertEquals(0, child.waitFor());
        ThreadCpu.Snapshot after = ThreadCpu.of(pidFile);

        Map<String, Long> kinds = ThreadCpu.byKind(before, after);
        long children = kinds.get(ThreadCpu.CHILDREN);
        assertTrue(children >= 5, "the child's loop took at least 50 ms of CPU; counted " + children + " ticks");
        long total = after.ticks().get(-1) - before.ticks().get(-1);
        assertTrue(total >= children, "the process's total holds its children's: " + total + " < " + children);
        assertTrue(kinds.get(ThreadCpu.ENDED) <= total - children, "children are not threads that ended");
    }
}
