package io.netwatch.probe.control;

import io.netwatch.probe.capture.CaptureException;
import io.netwatch.records.ProbeCommand;
import io.netwatch.records.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Carries out the commands addressed to this probe on the commands topic, so the gateway can drive probes it
 * cannot reach. Commands older than {@link #MAX_AGE} are ignored: a probe that comes back after an outage must not
 * replay yesterday's orders. A command that cannot be parsed is logged; one that fails shows in the status.
 */
@ApplicationScoped
public class CommandListener {
    private static final Logger LOG = Logger.getLogger(CommandListener.class);
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    @Inject
    ProbeService probe;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;

    void onStart(@Observes StartupEvent ev) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "netwatch-probe-" + probe.probeId(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true),
                new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::listen, "probe-commands");
        thread.setDaemon(true);
        thread.start();
    }

    private void listen() {
        try {
            consumer.subscribe(List.of(Topics.PROBE_COMMANDS.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned = false;
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned = !partitions.isEmpty();
                }
            });
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (probe.probeId().equals(r.key())) {
                        handle(r.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } finally {
            consumer.close();
        }
    }

    /** Whether the listener has joined its group and will see new commands. */
    public boolean listening() {
        return assigned;
    }

    void handle(byte[] value) {
        ProbeCommand c;
        try {
            c = Topics.PROBE_COMMANDS.valueSerde().deserializer().deserialize(Topics.PROBE_COMMANDS.name(), value);
        } catch (SerializationException e) {
            LOG.warnf("ignored a command that is not valid JSON: %s", e.getMessage());
            return;
        }
        if (c == null || c.action() == null) {
            LOG.warn("ignored a command without an action");
            return;
        }
        if (c.issuedAt() > 0 && System.currentTimeMillis() * 1000 - c.issuedAt() > MAX_AGE.toNanos() / 1000) {
            LOG.infof("ignored command %s (%s): older than %s", c.commandId(), c.action(), MAX_AGE);
            return;
        }
        try {
            switch (c.action()) {
                case ProbeCommand.START_CAPTURE -> probe.startCapture(
                        new CaptureRequest(c.iface(), c.filter(), c.snaplen(), c.promiscuous()));
                case ProbeCommand.START_REPLAY -> probe.startReplay(
                        new ReplayRequest(c.path(), c.speed(), c.loop(), c.filter()));
                case ProbeCommand.STOP -> probe.stop();
                default -> LOG.warnf("ignored command %s: unknown action '%s'", c.commandId(), c.action());
            }
            LOG.infof("carried out command %s (%s) from %s", c.commandId(), c.action(), c.issuedBy());
        } catch (CaptureException e) {
            LOG.errorf("command %s (%s) failed: %s", c.commandId(), c.action(), e.getMessage());
            probe.controlFailed("command " + c.commandId() + " (" + c.action() + ") failed: " + e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
