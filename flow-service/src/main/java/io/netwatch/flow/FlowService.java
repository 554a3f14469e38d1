package io.netwatch.flow;

import io.netwatch.records.FlowSource;
import io.netwatch.records.InputWatch;
import io.netwatch.records.NativeLz4;
import io.netwatch.records.StreamsDrain;
import io.netwatch.records.TopicSetup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;

/** Wires the flow topology into Quarkus' Kafka Streams, creating its topics first when they are missing. */
@ApplicationScoped
public class FlowService {
    private static final Logger LOG = Logger.getLogger(FlowService.class);

    @Inject
    FlowConfig config;

    @ConfigProperty(name = "kafka-streams.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "kafka-streams.consumer.heartbeat.interval.ms", defaultValue = "3000")
    long heartbeatMs;

    private final StreamsDrain drain = new StreamsDrain();

    /**
     * Before Quarkus closes the streams (its own ShutdownEvent observer, at the default priority): the processors
     * send their open tallies while they still process, so that they are in the last commit.
     */
    void drain(@Observes @Priority(1) ShutdownEvent event) throws InterruptedException {
        LOG.info("closing: sending the open metric tallies");
        drain.beginAndWait();
    }

    /** Read lazily, from the stream threads: Quarkus creates KafkaStreams from this topology. */
    @Inject
    Instance<KafkaStreams> streams;

    /** One topology: Quarkus injects it in several places, and building it opens files and creates topics. */
    @Produces
    @Singleton
    @Startup
    Topology topology() throws InterruptedException {
        NativeLz4.load(); // before Quarkus starts the stream threads' clients on this topology
        TopicSetup.ensure(bootstrapServers, config.partitions(), config.replication(), FlowTopology.topics());
        FlowSettings s = config.settings();
        FlowSource source = FlowSource.of("netwatch.flow.source", config.source());
        LOG.infof("flows from %s: idle timeout %s, active timeout %s, close grace %s", config.source(),
                s.idleTimeout(), s.activeTimeout(), s.closeGrace());
        // two heartbeats missed: the broker is away, and quiet on the input does not count
        InputWatch input = new InputWatch(Duration.ofMillis(2 * heartbeatMs + 1000));
        input.watch(() -> streams.get().metrics());
        return FlowTopology.build(s, true, FlowTopology.Names.CONTRACT, input, source, drain);
    }
}
