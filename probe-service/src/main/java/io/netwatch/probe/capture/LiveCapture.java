package io.netwatch.probe.capture;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;

import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Live capture through libpcap (pcap4j): opens the interface with the snaplen, promiscuous flag and BPF filter, and
 * runs the capture loop, which only takes frames and queues them; decoding happens on another thread so the loop
 * keeps up with the kernel. Frames that do not fit the queue are counted as queue drops, next to libpcap's own
 * kernel and interface drop counters.
 */
public final class LiveCapture implements AutoCloseable {
    /** How long one read waits for a frame, so a stop request is seen promptly. */
    private static final int READ_TIMEOUT_MS = 100;

    public record Settings(String iface, String filter, int snaplen, boolean promiscuous, int bufferBytes) {
    }

    /** libpcap's counters for this handle. */
    public record Stats(long received, long kernelDrops, long interfaceDrops) {
    }

    private final PcapHandle handle;
    private final String iface;
    private final int linkType;

    private LiveCapture(PcapHandle handle, String iface, int linkType) {
        this.handle = handle;
        this.iface = iface;
        this.linkType = linkType;
    }

    public static LiveCapture open(Settings s) throws CaptureException {
        String name = s.iface() == null || s.iface().isBlank() ? defaultInterface() : s.iface().trim();
        PcapNetworkInterface nif;
        try {
            nif = Pcaps.getDevByName(name);
        } catch (PcapNativeException e) {
            throw new CaptureException(CaptureException.Kind.FAILED, "libpcap cannot list interfaces: " + e.getMessage(), e);
        }
        if (nif == null) {
            throw new CaptureException(CaptureException.Kind.NO_SUCH_INTERFACE,
                    "no interface named '" + name + "'; available: " + interfaceNames());
        }
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(name)
                    .snaplen(s.snaplen())
                    .promiscuousMode(s.promiscuous() ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MS)
                    .bufferSize(s.bufferBytes())
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .build();
        } catch (PcapNativeException e) {
            throw openFailure(name, e);
        }
        try {
            if (s.filter() != null && !s.filter().isBlank()) {
                handle.setFilter(s.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
            }
            return new LiveCapture(handle, name, handle.getDlt().value());
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new CaptureException(CaptureException.Kind.BAD_FILTER,
                    "the BPF filter '" + s.filter() + "' does not compile: " + e.getMessage(), e);
        }
    }

    private static CaptureException openFailure(String name, PcapNativeException e) {
        String msg = String.valueOf(e.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("permitted") || lower.contains("permission") || lower.contains("eperm")) {
            return new CaptureException(CaptureException.Kind.PERMISSION, "capturing on '" + name + "' needs root or "
                    + "the CAP_NET_RAW and CAP_NET_ADMIN capabilities (libpcap: " + msg + ")", e);
        }
        if (lower.contains("no such device") || lower.contains("doesn't exist")) {
            return new CaptureException(CaptureException.Kind.NO_SUCH_INTERFACE,
                    "no interface named '" + name + "'; available: " + interfaceNames(), e);
        }
        return new CaptureException(CaptureException.Kind.FAILED, "cannot capture on '" + name + "': " + msg, e);
    }

    /** The first interface that is up, running and not loopback, as operators expect of a sensor. */
    public static String defaultInterface() throws CaptureException {
        try {
            List<PcapNetworkInterface> devs = Pcaps.findAllDevs();
            for (PcapNetworkInterface d : devs) {
                if (d.isUp() && d.isRunning() && !d.isLoopBack() && !d.getAddresses().isEmpty()
                        && !d.getName().equals("any")) {
                    return d.getName();
                }
            }
        } catch (PcapNativeException e) {
            throw new CaptureException(CaptureException.Kind.FAILED, "libpcap cannot list interfaces: " + e.getMessage(), e);
        }
        throw new CaptureException(CaptureException.Kind.NO_SUCH_INTERFACE,
                "no interface is up besides loopback; name one (lo is allowed). Available: " + interfaceNames());
    }

    public static String interfaceNames() {
        try {
            return Pcaps.findAllDevs().stream().map(PcapNetworkInterface::getName).collect(Collectors.joining(", "));
        } catch (PcapNativeException e) {
            return "(libpcap cannot list interfaces: " + e.getMessage() + ")";
        }
    }

    public String iface() {
        return iface;
    }

    public int linkType() {
        return linkType;
    }

    /**
     * The capture loop: reads until {@code running} turns false, queueing each frame without blocking. Runs on its
     * own thread; returns when stopped or when the handle fails.
     */
    public void run(BlockingQueue<CapturedFrame> queue, LongAdder queueDrops, BooleanSupplier running)
            throws NotOpenException {
        while (running.getAsBoolean()) {
            byte[] data = handle.getNextRawPacket();
            if (data == null) {
                continue; // read timeout: check the running flag
            }
            Timestamp ts = handle.getTimestamp();
            Integer wire = handle.getOriginalLength();
            long tsNanos = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
            if (!queue.offer(new CapturedFrame(tsNanos, data, wire == null ? data.length : wire))) {
                queueDrops.increment();
            }
        }
    }

    /**
     * Wakes the capture loop: libpcap's read timeout does not fire on Linux (TPACKET_V3) while no packet arrives,
     * so a stop would otherwise wait for the next packet.
     */
    public void wakeUp() {
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed: nothing to wake
        }
    }

    public Stats stats() {
        try {
            PcapStat s = handle.getStats();
            return new Stats(s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf());
        } catch (PcapNativeException | NotOpenException e) {
            return null;
        }
    }

    @Override
    public void close() {
        handle.close();
    }
}
