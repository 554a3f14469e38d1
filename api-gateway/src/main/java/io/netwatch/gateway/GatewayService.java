package io.netwatch.gateway;

import com.influxdb.client.InfluxDBClientFactory;
import io.netwatch.gateway.feed.FeedState;
import io.netwatch.gateway.feed.TopicFeed;
import io.netwatch.gateway.influx.InfluxSink;
import io.netwatch.gateway.influx.TrafficPoints;
import io.netwatch.gateway.live.LiveView;
import io.netwatch.gateway.store.PostgresSink;
import io.netwatch.records.NativeLz4;
import io.netwatch.records.ProbeCommand;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts what the gateway reads and writes: the PostgreSQL and InfluxDB sinks (durable consumer groups), the live
 * views (from now on) and tables (compacted topics from the start), the producer of probe commands, and the timers
 * for flow snapshots and retention.
 */
@ApplicationScoped
public class GatewayService {
    private static final Logger LOG = Logger.getLogger(GatewayService.class);
    public static final String SINK_GROUP = "netwatch-gateway-postgres";
    public static final String INFLUX_GROUP = "netwatch-gateway-influxdb";

    @Inject
    GatewayConfig config;

    @Inject
    LiveView live;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final List<TopicFeed> feeds = new ArrayList<>();
    private ScheduledExecutorService timers;
    private KafkaProducer<String, ProbeCommand> commands;
    private InfluxSink influx;
    private TopicFeed postgresFeed;
    private TopicFeed influxFeed;

    void start(@Observes StartupEvent event) throws InterruptedException {
        NativeLz4.load(); // before the feeds' consumers read their first batch
        TopicSetup.ensure(bootstrapServers, config.partitions(), config.replication(),
                List.of(Topics.PACKETS, Topics.PACKET_BATCHES, Topics.PROBE_STATUS, Topics.PROBE_COMMANDS,
                        Topics.FLOWS, Topics.METRICS, Topics.ALERTS, Topics.IP_INTEL, Topics.ALERTS_ENRICHED));

        PostgresSink postgres = new PostgresSink(pool);
        postgresFeed = new TopicFeed("postgres", bootstrapServers, SINK_GROUP, TopicFeed.Mode.DURABLE,
                PostgresSink.topics(), postgres, config.sinkSessionTimeout());
        postgres.attach(postgresFeed);
        feeds.add(postgresFeed.start());

        TopicFeed liveFeed = new TopicFeed("live", bootstrapServers, "netwatch-gateway-live",
                TopicFeed.Mode.FROM_NOW, LiveView.liveTopics(), live::handleLive);
        TopicFeed packetFeed = new TopicFeed("packets", bootstrapServers, "netwatch-gateway-packets",
                LiveView.packetTopics(), new TopicFeed.Tail(config.live().packetRefresh(), live::packetRecordsKept),
                live::handlePackets);
        TopicFeed tableFeed = new TopicFeed("tables", bootstrapServers, "netwatch-gateway-tables",
                TopicFeed.Mode.FROM_START, LiveView.tableTopics(), live::handleTables);
        live.attach(liveFeed, packetFeed, tableFeed);
        feeds.add(liveFeed.start());
        feeds.add(packetFeed.start());
        feeds.add(tableFeed.start());

        config.influx().url().ifPresent(url -> {
            influx = new InfluxSink(InfluxDBClientFactory.create(url,
                    config.influx().token().orElse("").toCharArray(), config.influx().org(),
                    config.influx().bucket()), config.influx().bucket(), config.influx().org(),
                    config.influx().batch(), new TrafficPoints(live.intel()::get));
            influxFeed = new TopicFeed("influxdb", bootstrapServers, INFLUX_GROUP, TopicFeed.Mode.DURABLE,
                    InfluxSink.topics(), influx, config.sinkSessionTimeout());
            influx.attach(influxFeed);
            feeds.add(influxFeed.start());
            LOG.infof("gateway: writing time series to %s (org %s, bucket %s)", url, config.influx().org(),
                    config.influx().bucket());
        });

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "netwatch-gateway-commands");
        commands = new KafkaProducer<>(p, new StringSerializer(), Topics.PROBE_COMMANDS.valueSerde().serializer());

        timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "gateway-timers");
            t.setDaemon(true);
            return t;
        });
        timers.scheduleAtFixedRate(guard("flow snapshot", live::pushFlows), 2, 2, TimeUnit.SECONDS);
        long every = config.retention().every().toMillis();
        timers.scheduleWithFixedDelay(guard("retention", this::applyRetention), every, every, TimeUnit.MILLISECONDS);
    }

    private static Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf("gateway %s failed: %s", what, e);
            }
        };
    }

    /** Deletes alerts and flows not updated within their retention (by write time, so replays of old captures stay). */
    void applyRetention() {
        long alerts = pool.preparedQuery("DELETE FROM alerts WHERE updated_at < now() - make_interval(secs => $1)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of((double) config.retention().alerts().toSeconds()))
                .await().atMost(Duration.ofMinutes(5)).rowCount();
        long flows = pool.preparedQuery("DELETE FROM flows WHERE stored_at < now() - make_interval(secs => $1)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of((double) config.retention().flows().toSeconds()))
                .await().atMost(Duration.ofMinutes(5)).rowCount();
        if (alerts + flows > 0) {
            LOG.infof("retention: deleted %d alerts and %d flows", alerts, flows);
        }
    }

    /** Publishes a command for one probe and waits for the broker to take it. */
    public void send(ProbeCommand command) {
        try {
            commands.send(new ProducerRecord<>(Topics.PROBE_COMMANDS.name(), command.probeId(), command))
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the command could not be published to Kafka: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the command", e);
        }
    }

    public List<FeedState> feedStates() {
        return feeds.stream().map(TopicFeed::state).toList();
    }

    public FeedState postgresState() {
        return postgresFeed.state();
    }

    void stop(@Observes ShutdownEvent event) {
        if (timers != null) {
            timers.shutdownNow();
        }
        feeds.forEach(TopicFeed::close);
        if (commands != null) {
            commands.close(Duration.ofSeconds(5));
        }
        if (influx != null) {
            influx.close();
        }
    }
}
