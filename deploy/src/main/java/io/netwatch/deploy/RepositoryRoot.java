package io.netwatch.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root, found upward from the working directory (a module folder when Maven runs its tests). */
public final class RepositoryRoot {
    private RepositoryRoot() {
    }

    public static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/topics.md")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside a netwatch checkout: " + Path.of("").toAbsolutePath());
    }
}
