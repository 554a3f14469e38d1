package io.netwatch.broker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points a {@code @QuarkusTest} at the module's shared real broker: {@code @QuarkusTestResource(KafkaBrokerResource.class)}. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedKafkaBroker.bootstrapServers());
    }

    @Override
    public void stop() {
        // the broker outlives each test class and stops with the JVM
    }
}
