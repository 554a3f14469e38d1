package io.netwatch.gateway.feed;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netwatch.gateway.GatewayService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What each of the gateway's Kafka feeds (the PostgreSQL and InfluxDB sinks, the live views) has done, for
 * Prometheus: records handled, records skipped as undecodable, write retries, records a tail passed over, and
 * whether it is healthy.
 */
@Singleton
public class FeedMetrics implements MeterBinder {
    private static final List<String> FEEDS = List.of("postgres", "influxdb", "live", "packets", "tables");

    @Inject
    GatewayService gateway;

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String feed : FEEDS) {
            counter(registry, "netwatch.gateway.feed.records", feed, "records written or shown", s -> s.records());
            counter(registry, "netwatch.gateway.feed.skipped", feed, "records skipped as undecodable or refused",
                    s -> s.skipped());
            counter(registry, "netwatch.gateway.feed.retries", feed, "failed writes retried with backoff",
                    s -> s.retries());
            counter(registry, "netwatch.gateway.feed.passed.over", feed,
                    "records a tail feed jumped over to stay at the newest", s -> s.passedOver());
            Gauge.builder("netwatch.gateway.feed.healthy", gateway, g -> value(g, feed, s -> s.healthy() ? 1 : 0))
                    .tag("feed", feed).description("1 while the feed reads and writes without failing")
                    .register(registry);
            Gauge.builder("netwatch.gateway.feed.partitions", gateway, g -> value(g, feed, s -> s.partitions()))
                    .tag("feed", feed).description("partitions assigned to the feed").register(registry);
        }
    }

    private void counter(MeterRegistry registry, String name, String feed, String description,
                         ToDoubleFunction<FeedState> f) {
        FunctionCounter.builder(name, gateway, g -> value(g, feed, f)).tag("feed", feed).description(description)
                .register(registry);
    }

    private static double value(GatewayService g, String feed, ToDoubleFunction<FeedState> f) {
        return g.feedStates().stream().filter(s -> s.name().equals(feed)).mapToDouble(f).findFirst()
                .orElse(Double.NaN);
    }
}
