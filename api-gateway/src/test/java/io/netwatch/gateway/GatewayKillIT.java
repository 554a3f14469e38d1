package io.netwatch.gateway;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.broker.LocalPostgres;
import io.netwatch.broker.RestartableBroker;
import io.netwatch.broker.ServiceProcess;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.broker.SharedPostgres;
import io.netwatch.flow.CaptureFlows;
import io.netwatch.flow.FlowSettings;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.Topics;
import io.restassured.RestAssured;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged gateway while its PostgreSQL sink is part way through a stream of flows: killed with SIGKILL and
 * started again, or its broker stopped and started again under it. Either way every flow ends up stored once,
 * with its final figures, and the REST view counts the same.
 */
class GatewayKillIT {
    private static final Path JAR = Path.of(System.getProperty("netwatch.service.jar",
            "target/quarkus-app/quarkus-run.jar"));

    /** What strikes once a third of the flows are stored; returns the gateway that runs afterwards. */
    private interface Fault {
        ServiceProcess strike(ServiceProcess running) throws Exception;
    }

    @Test
    void aKilledGatewayLosesNoFlowAndStoresNoneTwice() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        Gateway g = Gateway.on(bootstrap, SharedPostgres.server());
        storeThrough(bootstrap, g, g.start(), running -> {
            running.kill();
            return g.start();
        });
    }

    @Test
    void aBrokerRestartUnderTheGatewayLosesNoFlowAndStoresNoneTwice() throws Exception {
        Path pgDir = Files.createTempDirectory("gw-broker-restart-pg");
        try (RestartableBroker broker = RestartableBroker.start();
             LocalPostgres pg = LocalPostgres.start(pgDir, LocalKafkaBroker.freePort())) {
            String bootstrap = broker.bootstrapServers();
            Gateway g = Gateway.on(bootstrap, pg);
            storeThrough(bootstrap, g, g.start(), running -> {
                // its sinks' consumers retry while the broker is down, and commit nothing
                broker.restart(Duration.ofSeconds(5));
                assertTrue(running.isAlive(), "the gateway outlives its broker's restart");
                return running;
            });
        }
    }

    /**
     * Streams a capture's flows to the gateway a few at a time, lets the fault strike once a third are stored,
     * and checks that every flow is stored once with its final packet count, and that the REST view agrees.
     */
    private static void storeThrough(String bootstrap, Gateway g, ServiceProcess first, Fault fault)
            throws Exception {
        List<FlowRecord> flows = CaptureFlows.of(Pipeline.packets(Pipeline.WEB), FlowSettings.defaults());
        long packets = flows.stream().mapToLong(FlowRecord::totalPkts).sum();
        // flows arrive a few at a time, so the fault finds the sink part way through them
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> send(bootstrap, flows));
        Pipeline.await("a third of the flows stored", Duration.ofSeconds(60),
                () -> storedFlows(g.pg()) >= flows.size() / 3);
        long storedAtFault = storedFlows(g.pg());
        try (ServiceProcess after = fault.strike(first)) {
            sent.get();
            assertTrue(storedAtFault < flows.size(), "the fault struck before every flow was stored: "
                    + storedAtFault);
            Pipeline.await("every flow stored", Duration.ofSeconds(90), () -> storedFlows(g.pg()) == flows.size());
            try (Connection c = DriverManager.getConnection(g.pg().jdbcUrl(), LocalPostgres.USER, "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT flow_id), sum(packets) FROM flows")) {
                rs.next();
                assertEquals(flows.size(), rs.getLong(1), "rows");
                assertEquals(flows.size(), rs.getLong(2), "no flow twice");
                assertEquals(packets, rs.getLong(3), "every flow with its final packet count");
            }
            long total = RestAssured.given().port(g.port()).auth().oauth2("kill-test-viewer").get("/api/flows?size=1")
                    .then().statusCode(200).extract().jsonPath().getLong("total");
            assertEquals(flows.size(), total, "the REST view counts what the database holds");
        }
    }

    /** The packaged gateway on a broker and database, with a log of its own that outlives its restarts. */
    private record Gateway(LocalPostgres pg, int port, ServiceProcess.Launcher launcher) {
        static Gateway on(String bootstrap, LocalPostgres pg) throws Exception {
            int port = LocalKafkaBroker.freePort();
            return new Gateway(pg, port, new ServiceProcess.Launcher(JAR, port, Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "NETWATCH_HTTP_HOST", "127.0.0.1",
                    "NETWATCH_GATEWAY_HTTP_PORT", String.valueOf(port), "NETWATCH_PG_URL", pg.reactiveUrl(),
                    "NETWATCH_GATEWAY_AUTH_TOKENS", "viewer:vic:kill-test-viewer",
                    "NETWATCH_UPLOAD_DIR", Files.createTempDirectory("gw-kill-uploads").toString(),
                    // a killed gateway's sink partitions pass to its successor after 6 s, not Kafka's 45
                    "NETWATCH_GATEWAY_SINK_SESSION_TIMEOUT", "6s"), Files.createTempFile("gateway-faults", ".log")));
        }

        ServiceProcess start() throws Exception {
            return launcher.start(Map.of());
        }
    }

    private static void send(String bootstrap, List<FlowRecord> flows) {
        try (KafkaProducer<String, FlowRecord> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), Topics.FLOWS.valueSerde().serializer())) {
            for (int i = 0; i < flows.size(); i++) {
                FlowRecord f = flows.get(i);
                p.send(new ProducerRecord<>(Topics.FLOWS.name(), null, Math.max(0, f.lastSeen() / 1000),
                        f.flowId(), f));
                if (i % 5 == 4) {
                    p.flush();
                    Thread.sleep(100);
                }
            }
            p.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long storedFlows(LocalPostgres pg) {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM flows")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // the schema is not there until the gateway's first start has migrated it
        }
    }
}
