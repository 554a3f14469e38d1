package io.netwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One broker per test JVM (so per module under Surefire), started on first use and stopped at exit: tests share
 * it instead of paying a broker start each.
 */
public final class SharedKafkaBroker {
    private static LocalKafkaBroker broker;

    private SharedKafkaBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("netwatch-kafka-");
                broker = LocalKafkaBroker.start(dir, 0);
                LocalKafkaBroker b = broker;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        b.closeAndDelete();
                    } catch (IOException | RuntimeException e) {
                        // best effort at exit
                    }
                }, "test-broker-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test Kafka broker", e);
            }
        }
        return broker.bootstrapServers();
    }
}
