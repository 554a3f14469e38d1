package io.netwatch.flow;

import io.netwatch.broker.KafkaBrokerResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** The module's shared broker, plus a fresh Kafka Streams state directory for the test application. */
public class FlowTestResource extends KafkaBrokerResource {
    @Override
    public Map<String, String> start() {
        Map<String, String> props = new HashMap<>(super.start());
        props.put("kafka-streams.bootstrap.servers", props.get("kafka.bootstrap.servers"));
        props.put("quarkus.kafka-streams.bootstrap-servers", props.get("kafka.bootstrap.servers"));
        try {
            props.put("kafka-streams.state.dir", Files.createTempDirectory("flow-state").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }
}
