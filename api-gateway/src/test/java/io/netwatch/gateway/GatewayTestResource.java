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
                String root = Files.createTempDirectory("questdb").toString();
                questdb = ServerMain.create(root, Map.of(
                        "QDB_HTTP_NET_BIND_TO", "127.0.0.1:0",
                        "QDB_PG_NET_BIND_TO", "127.0.0.1:0",
                        "QDB_HTTP_MIN_ENABLED", "false",
                        "QDB_LINE_TCP_ENABLED", "false",
                        "QDB_LINE_UDP_ENABLED", "false",
                        "QDB_TELEMETRY_ENABLED", "false"));
                questdb.start();
                ServerMain s = questdb;
                Runtime.getRuntime().addShutdownHook(new Thread(s::close, "questdb-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return questdb;
    }

    @Override
    public void stop() {
        // the servers outlive each test class and stop with the JVM
    }
}
