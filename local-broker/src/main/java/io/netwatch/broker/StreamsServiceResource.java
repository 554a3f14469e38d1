package io.netwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** The shared broker for a Kafka Streams service under test, with a fresh state directory for its application. */
public class StreamsServiceResource extends KafkaBrokerResource {
    @Override
    public Map<String, String> start() {
        Map<String, String> props = new HashMap<>(super.start());
        props.put("kafka-streams.bootstrap.servers", props.get("kafka.bootstrap.servers"));
        props.put("quarkus.kafka-streams.bootstrap-servers", props.get("kafka.bootstrap.servers"));
        try {
            props.put("kafka-streams.state.dir", Files.createTempDirectory("streams-state").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }
}
