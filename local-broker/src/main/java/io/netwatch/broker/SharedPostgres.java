package io.netwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** One PostgreSQL server per test JVM, started on first use and stopped at exit, like {@link SharedKafkaBroker}. */
public final class SharedPostgres {
    private static LocalPostgres server;

    private SharedPostgres() {
    }

    public static synchronized LocalPostgres server() {
        if (server == null) {
            try {
                server = LocalPostgres.start(Files.createTempDirectory("netwatch-pg-"), 0);
                LocalPostgres s = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        s.close();
                    } catch (IOException | RuntimeException e) {
                        // best effort at exit
                    }
                }, "test-postgres-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test PostgreSQL server", e);
            }
        }
        return server;
    }
}
