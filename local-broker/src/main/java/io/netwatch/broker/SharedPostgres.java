package io.netwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One PostgreSQL server per test JVM, started on first use and stopped at exit, like {@link SharedKafkaBroker}. */
public final class SharedPostgres {
    private static LocalPostgres server;
    private static Path dir;

    private SharedPostgres() {
    }

    public static synchronized LocalPostgres server() {
        if (server == null) {
            try {
                dir = Files.createTempDirectory("netwatch-pg-");
                server = LocalPostgres.start(dir, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server().close();
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

    /**
     * An outage: stops the server, runs {@code whileDown}, and starts it again on the same port with the same
     * data, as a database restart or a network cut that heals would look to its clients.
     */
    public static synchronized void outage(Runnable whileDown) throws IOException {
        int port = server().port();
        server.close();
        try {
            whileDown.run();
        } finally {
            server = LocalPostgres.start(dir, port);
        }
    }
}
