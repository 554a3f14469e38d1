package io.netwatch.detection;

import io.netwatch.records.TopicSetup;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Wires the detection topology into Quarkus' Kafka Streams, creating its topics first when they are missing. */
@ApplicationScoped
public class DetectionService {
    private static final Logger LOG = Logger.getLogger(DetectionService.class);

    @Inject
    DetectionConfig config;

    @ConfigProperty(name = "kafka-streams.bootstrap.servers")
    String bootstrapServers;

    /** One topology: Quarkus injects it in several places, and building it opens files and creates topics. */
    @Produces
    @Singleton
    @Startup
    Topology topology() throws InterruptedException {
        DetectionSettings s = config.settings();
        TopicSetup.ensure(bootstrapServers, config.partitions(), config.replication(), DetectionTopology.topics());
        LOG.infof("detections: %d window rules %s, suppression %s", s.windowRules().size(), s.windowRules().keySet(),
                s.suppression());
        return DetectionTopology.build(s);
    }
}
