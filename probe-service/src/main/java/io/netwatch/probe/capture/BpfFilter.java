package io.netwatch.probe.capture;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Compiles BPF filters for frames read from files, where there is no live handle to compile them on. */
public final class BpfFilter {
    /** libpcap's PCAP_NETMASK_UNKNOWN: filters that test broadcast addresses then fail to compile, as in tcpdump -r. */
    private static final Inet4Address NETMASK_UNKNOWN;

    static {
        try {
            NETMASK_UNKNOWN = (Inet4Address) InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private BpfFilter() {
    }

    public static BpfProgram compile(String expression, int linkType, int snaplen) throws CaptureException {
        try {
            return Pcaps.compileFilter(snaplen, DataLinkType.getInstance(linkType), expression,
                    BpfProgram.BpfCompileMode.OPTIMIZE, NETMASK_UNKNOWN);
        } catch (PcapNativeException | RuntimeException e) {
            throw new CaptureException(CaptureException.Kind.BAD_FILTER,
                    "the BPF filter '" + expression + "' does not compile for link type " + LinkType.name(linkType)
                            + ": " + e.getMessage(), e);
        }
    }
}
