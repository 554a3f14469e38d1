package io.netwatch.gateway;

import io.netwatch.broker.LocalPostgres;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.broker.SharedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.questdb.ServerMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The real servers the gateway writes to: the module's Kafka broker, PostgreSQL (zonky's binaries) and QuestDB as
 * the InfluxDB-protocol server (no InfluxDB 2.x can be installed here; QuestDB takes the client's /api/v2/write and
 * keeps the field types, see ../shared/notes/influxdb-test-servers.md).
 */
public class GatewayTestResource implements QuarkusTestResourceLifecycleManager {
    private static ServerMain questdb;
    private static String questdbRoot;

    @Override
    public Map<String, String> start() {
        LocalPostgres pg = SharedPostgres.server();
        Map<String, String> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", SharedKafkaBroker.bootstrapServers());
        props.put("quarkus.datasource.reactive.url", pg.reactiveUrl());
        props.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
        props.put("netwatch.gateway.influx.url", "http://127.0.0.1:" + questdb().getHttpServerPort());
        props.put("netwatch.gateway.influx.token", "unused-by-questdb");
        try {
            props.put("netwatch.gateway.upload.dir", Files.createTempDirectory("uploads").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    /** QuestDB's HTTP port serves /api/v2/write for the sink and /exec (SQL) for the tests. */
    public static synchronized ServerMain questdb() {
        if (questdb == null) {
            try {
                questdbRoot = Files.createTempDirectory("questdb").toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            questdb = startQuestdb("127.0.0.1:0");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> questdb().close(), "questdb-shutdown"));
        }
        return questdb;
    }

    /** An outage of the time-series server: stopped, {@code whileDown} run, started again on its port and data. */
    public static synchronized void questdbOutage(Runnable whileDown) {
        int port = questdb().getHttpServerPort();
        questdb.close();
        try {
            whileDown.run();
        } finally {
            questdb = startQuestdb("127.0.0.1:" + port);
        }
    }

    private static ServerMain startQuestdb(String httpBind) {
        ServerMain server = ServerMain.create(questdbRoot, Map.of(
                "QDB_HTTP_NET_BIND_TO", httpBind,
                "QDB_PG_NET_BIND_TO", "127.0.0.1:0",
                "QDB_HTTP_MIN_ENABLED", "false",
                "QDB_LINE_TCP_ENABLED", "false",
                "QDB_LINE_UDP_ENABLED", "false",
                "QDB_TELEMETRY_ENABLED", "false"));
        server.start();
        return server;
    }

    @Override
    public void stop() {
        // the servers outlive each test class and stop with the JVM
    }
}
