package io.netwatch.flow;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream application as the services run it (exactly-once, persistent stores), started on a fresh state
 * directory each time, as on a new machine: what the restart tests of the stream services start twice.
 */
public final class RestartableStreams {
    private RestartableStreams() {
    }

    /** Starts the topology and waits until it runs (state restored from the changelogs). */
    public static KafkaStreams start(Topology topology, String applicationId, String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("restart-state").toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // the broker's shortest session: the next instance gets the tasks of a stopped one after 6 s, not 45 s
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2000);
        KafkaStreams streams = new KafkaStreams(topology, p);
        streams.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (streams.state() != KafkaStreams.State.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(KafkaStreams.State.RUNNING, streams.state());
        return streams;
    }

    /** Stops the application as a pod's shutdown does: its group membership lapses after the session timeout. */
    public static void stop(KafkaStreams streams) {
        assertTrue(streams.close(Duration.ofSeconds(30)), "the stream application stopped within 30 s");
    }
}
