package io.netwatch.gateway;

import io.netwatch.gateway.feed.FeedState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness with each feed's state. A sink that cannot write (PostgreSQL or InfluxDB down) reports
 * {@code degraded} with its error but keeps the gateway ready: the live views and REST still answer, and the sink
 * catches up from Kafka when its server is back.
 */
@Readiness
@ApplicationScoped
public class GatewayHealth implements HealthCheck {
    @Inject
    GatewayService gateway;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("netwatch-gateway-feeds").up();
        boolean degraded = false;
        for (FeedState s : gateway.feedStates()) {
            b.withData(s.name(), s.healthy() ? "ok (" + s.records() + " records, " + s.skipped() + " skipped)"
                    : "degraded since " + java.time.Instant.ofEpochMilli(s.failingSince()) + ": " + s.lastError());
            degraded |= !s.healthy();
        }
        return b.withData("state", degraded ? "degraded" : "ok").build();
    }
}
