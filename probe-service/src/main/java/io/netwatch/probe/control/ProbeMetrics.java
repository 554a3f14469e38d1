package io.netwatch.probe.control;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netwatch.records.ProbeStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.function.ToDoubleFunction;

/**
 * The probe's counters for Prometheus, read from its status at each scrape: what was captured, decoded and
 * published, and every kind of loss (kernel, interface, queue, decode, publish), so a dashboard can tell a probe
 * that keeps up from one that drops. They count the current run and start again with the next one.
 */
@Singleton
public class ProbeMetrics implements MeterBinder {
    @Inject
    ProbeService probe;

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "netwatch.probe.packets", "frames captured or read", s -> s.packets());
        counter(registry, "netwatch.probe.bytes", "bytes of the frames on the wire", s -> s.bytes());
        counter(registry, "netwatch.probe.published", "packet records Kafka acknowledged", s -> s.published());
        counter(registry, "netwatch.probe.decode.errors", "frames that failed to decode (counted and published "
                + "with what decoded)", s -> s.decodeErrors());
        counter(registry, "netwatch.probe.publish.errors", "packet records Kafka refused", s -> s.publishErrors());
        counter(registry, "netwatch.probe.queue.drops", "frames dropped because decoding fell behind",
                s -> s.queueDrops());
        counter(registry, "netwatch.probe.kernel.drops", "frames the kernel dropped (libpcap ps_drop)",
                s -> s.kernelDrops() == null ? 0 : s.kernelDrops());
        counter(registry, "netwatch.probe.interface.drops", "frames the interface dropped (libpcap ps_ifdrop)",
                s -> s.interfaceDrops() == null ? 0 : s.interfaceDrops());
        counter(registry, "netwatch.probe.flow.updates", "flow updates Kafka acknowledged (with flow-updates)",
                s -> s.flowUpdates() == null ? 0 : s.flowUpdates());
        counter(registry, "netwatch.probe.flow.update.errors", "flow updates Kafka refused (with flow-updates)",
                s -> s.flowUpdateErrors() == null ? 0 : s.flowUpdateErrors());
        counter(registry, "netwatch.probe.filtered", "frames left off the packets topic by packet-filter=rules (they "
                + "count in their flows' updates)", s -> s.filtered() == null ? 0 : s.filtered());
        Gauge.builder("netwatch.probe.capturing", probe, p -> p.status().running() ? 1 : 0)
                .description("1 while capturing or replaying").register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<ProbeStatus> f) {
        FunctionCounter.builder(name, probe, p -> f.applyAsDouble(p.status())).description(description)
                .register(registry);
    }
}
