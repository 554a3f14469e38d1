package io.netwatch.broker;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server (zonky's packaged binaries) on loopback with a {@code netwatch} database, for the local
 * run and the tests: no system cluster or Docker needed. Under root it runs initdb and postgres as {@code nobody}.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String DATABASE = "netwatch";
    public static final String USER = "postgres";

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts on 127.0.0.1:port (0: any free port), keeping the data in {@code dir} across restarts. */
    public static LocalPostgres start(Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port == 0 ? LocalKafkaBroker.freePort() : port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            pg.close();
            throw new IOException("cannot create the " + DATABASE + " database", e);
        }
        return new LocalPostgres(pg);
    }

    public int port() {
        return server.getPort();
    }

    /** The URL form the reactive client takes. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** Stops the server as a crash would not: cleanly, so the next start needs no recovery. */
    @Override
    public void close() throws IOException {
        server.close();
    }

    /** The local run's database as its own process: {@code LocalPostgres DATA_DIR PORT}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalPostgres DATA_DIR PORT");
            System.exit(2);
        }
        LocalPostgres pg = start(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println("netwatch local PostgreSQL ready on " + pg.jdbcUrl() + " (user " + USER + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }, "postgres-shutdown"));
        Thread.currentThread().join();
    }
}
