package io.netwatch.flow;

import io.netwatch.probe.PinnedDifferences;
import io.netwatch.probe.PinnedDifferences.Difference;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.records.FlowRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On every capture of REFERENCE.tsv, the TCP and UDP flows (with timeouts too long to split anything) number what
 * tshark's conversation tables count ({@code -z conv,tcp}, {@code -z conv,udp}); every difference is pinned with
 * its reason, so a change either way fails.
 */
class CaptureFlowCountsTest {
    private static final String CUT_HEADER = "the transport header was cut short by the capture length (a 262144-byte "
            + "frame captured as 38 to 64 bytes): tshark builds no conversation from a header it cannot finish, "
            + "netwatch keeps the flow named by the ports that were captured";

    private static final PinnedDifferences KNOWN = new PinnedDifferences(List.of(
            new Difference("attacks/dns-rrsig-amplification-fragmented.pcap", "udp_conversations", 84, "tshark "
                    + "reassembles IP fragments and makes no conversation of a datagram missing a fragment; netwatch's "
                    + "flow starts at the first fragment (tshark -o ip.defragment:FALSE counts 85, one of them from "
                    + "the UDP header quoted in an ICMP error, which netwatch counts in the ICMP flow)"),
            new Difference("attacks/udp-snmp-amplification.pcapng", "udp_conversations", 4045, "tshark also makes a "
                    + "conversation of a UDP header quoted inside an ICMP error; netwatch counts that frame in its "
                    + "ICMP flow"),
            new Difference("malformed/LINKTYPE_IPV6_invalid.pcap", "udp_conversations", 1, "an IPv4 datagram under "
                    + "LINKTYPE_IPV6: netwatch decodes it by its version nibble, tshark reports a bogus IPv6 header"),
            new Difference("malformed/heapoverflow-tcp_print.pcap", "tcp_conversations", 1, CUT_HEADER),
            new Difference("malformed/tcp-auth-heapoverflow.pcap", "tcp_conversations", 1, CUT_HEADER),
            new Difference("malformed/tcp_header_heapoverflow.pcap", "tcp_conversations", 1, CUT_HEADER),
            new Difference("malformed/udp-length-heapoverflow.pcap", "udp_conversations", 1, CUT_HEADER),
            new Difference("protocols/bigtcp-ipv6.pcap", "tcp_conversations", 1, "a BIG TCP segment netwatch decodes "
                    + "(IPv6 payload length 0 with a jumbo option) and tshark calls malformed"),
            new Difference("protocols/gso-ipv4-vxlan-ipv4.pcap", "tcp_conversations", 0, "the TCP segment is inside "
                    + "VXLAN: tshark decodes the tunnel, netwatch keeps the outer UDP flow only")));

    @TestFactory
    Stream<DynamicTest> flowsNumberTsharksConversations() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : SharedPcaps.reference().entrySet()) {
            String file = e.getKey();
            tests.add(DynamicTest.dynamicTest(file, () -> {
                List<FlowRecord> flows = CaptureFlows.of(SharedPcaps.file(file), CaptureFlows.NO_SPLIT);
                check(file, "tcp_conversations", flows.stream().filter(f -> f.ipProto() == 6).count(), e.getValue());
                check(file, "udp_conversations", flows.stream().filter(f -> f.ipProto() == 17).count(), e.getValue());
            }));
        }
        return tests.stream();
    }

    /**
     * Read from netwatch.packet-batches.v1 (the probe's default), every shared capture makes exactly the flows it
     * makes one record per packet, with the service's own timeouts: batches of 7 split most conversations across
     * batches, batches of 256 are what a busy probe sends.
     */
    @TestFactory
    Stream<DynamicTest> batchedPacketsMakeTheSameFlowsAsOneRecordPerPacket() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : SharedPcaps.reference().keySet()) {
            tests.add(DynamicTest.dynamicTest(file, () -> {
                List<io.netwatch.probe.decode.PacketRecordFactory.Keyed> packets =
                        io.netwatch.probe.CapturePackets.of(SharedPcaps.file(file), 0);
                List<FlowRecord> one = sorted(CaptureFlows.of(packets, FlowSettings.defaults(), 0));
                assertEquals(one, sorted(CaptureFlows.of(packets, FlowSettings.defaults(), 7)), "batches of 7");
                assertEquals(one, sorted(CaptureFlows.of(packets, FlowSettings.defaults(), 256)), "batches of 256");
            }));
        }
        return tests.stream();
    }

    private static List<FlowRecord> sorted(List<FlowRecord> flows) {
        return flows.stream().sorted(java.util.Comparator.comparing(FlowRecord::flowId)
                .thenComparingLong(FlowRecord::ts)).toList();
    }

    private static void check(String file, String column, long ours, Map<String, String> reference) {
        KNOWN.check(file, column, ours, Long.parseLong(reference.get(column)));
    }

    @Test
    void theTcpFlagsCaptureEndsEachConnectionAsZeekWould() throws Exception {
        List<FlowRecord> flows = CaptureFlows.of(SharedPcaps.file("tcp-flags/two_way_all_flags.pcap"),
                CaptureFlows.NO_SPLIT);
        Map<String, Long> states = flows.stream().collect(
                java.util.stream.Collectors.groupingBy(FlowRecord::connState, java.util.stream.Collectors.counting()));
        assertTrue(states.keySet().containsAll(List.of("SF", "REJ", "S0")), "a mix of outcomes: " + states);
        assertTrue(flows.stream().filter(f -> (f.origTcpFlags() & io.netwatch.records.PacketRecord.SYN) != 0)
                .allMatch(f -> f.history().contains("S") || f.history().contains("H")),
                "a flow whose originator sent a SYN has it in its history");
    }

    @Test
    void webCaptureFlowsCarryTheNamesTheirPayloadsGave() throws Exception {
        List<FlowRecord> flows = CaptureFlows.of(SharedPcaps.file("basic/web-tls-dns-1998pkts.pcap"),
                CaptureFlows.NO_SPLIT);
        assertTrue(flows.stream().anyMatch(f -> "tls".equals(f.appProtocol()) && f.tlsSni() != null
                && f.tlsSni().contains("search.services.mozilla.com")), "SNI tshark shows in frame 38");
        assertTrue(flows.stream().anyMatch(f -> "dns".equals(f.appProtocol()) && f.dnsQueries() != null));
        assertTrue(flows.stream().allMatch(f -> f.communityId() != null), "Community ID on every IP flow");
    }
}
