package io.netwatch.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A broker of a fault test's own, on fixed ports and a data folder that outlive its restarts, so the services
 * under test find it again at the same address with the same data.
 */
public final class RestartableBroker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private LocalKafkaBroker broker;

    private RestartableBroker(Path dir, int port, int controllerPort) throws IOException {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.broker = LocalKafkaBroker.startFixed(dir, port, controllerPort);
    }

    public static RestartableBroker start() throws IOException {
        return new RestartableBroker(Files.createTempDirectory("restartable-broker"), LocalKafkaBroker.freePort(),
                LocalKafkaBroker.freePort());
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Stops the broker cleanly, leaves its clients without one for {@code down}, and starts it again. */
    public void restart(Duration down) throws IOException, InterruptedException {
        broker.close();
        Thread.sleep(down.toMillis());
        broker = LocalKafkaBroker.startFixed(dir, port, controllerPort);
    }

    /** Stops it and deletes its data. */
    @Override
    public void close() throws IOException {
        broker.closeAndDelete();
    }
}
