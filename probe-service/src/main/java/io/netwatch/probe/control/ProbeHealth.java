package io.netwatch.probe.control;

import io.netwatch.records.ProbeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the current run has not failed and its records reach the broker; the details show the counters. */
@Readiness
@ApplicationScoped
public class ProbeHealth implements HealthCheck {
    @Inject
    ProbeService probe;

    @Override
    public HealthCheckResponse call() {
        ProbeStatus s = probe.status();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("probe")
                .withData("state", s.state())
                .withData("packets", s.packets())
                .withData("published", s.published())
                .withData("publish_errors", s.publishErrors())
                .withData("decode_errors", s.decodeErrors())
                .withData("queue_drops", s.queueDrops());
        if (s.lastError() != null) {
            b.withData("last_error", s.lastError());
        }
        boolean failing = ProbeStatus.FAILED.equals(s.state()) || s.publishErrors() > 0 && s.published() == 0;
        return b.status(!failing).build();
    }
}
