package io.netwatch.probe.decode;

import io.netwatch.probe.PinnedDifferences;
import io.netwatch.probe.PinnedDifferences.Difference;
import io.netwatch.probe.SharedPcaps;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;


/**
 * Per-file frame counts by protocol against tshark 4.0's figures in REFERENCE.tsv. Where netwatch counts
 * differently, the difference is pinned below with its reason, so a change in either direction fails the test.
 * tshark also counts the TCP/UDP header quoted inside ICMP error messages; netwatch decodes that quote into
 * {@code icmp_quoted} and the comparison adds those frames back.
 */
class DecoderReferenceTest {

    private static final String DEFRAG = "tshark reassembles IP fragments and counts UDP and DNS once per datagram, on "
            + "the frame that completes it, and never for datagrams missing a fragment; netwatch decodes the first "
            + "fragment, which carries the UDP header: tshark -o ip.defragment:FALSE finds 575 UDP frames and 547 DNS "
            + "frames, and one of those UDP frames (4194) is tunnelled in GRE, which netwatch does not decode";
    private static final String BOGUS_VERSION = "tshark's filter matches a frame whose IP header has a bogus version or "
            + "is shorter than the fixed header; netwatch gives such a frame a decode_error and no IP fields, since it "
            + "has no addresses to report";
    private static final String TUNNEL = "tshark decodes the tunnelled inner packet (VXLAN, GRE, IPv6-in-IPv6); "
            + "netwatch records the outer headers only and does not decode tunnels yet";

    private static final PinnedDifferences KNOWN = new PinnedDifferences(List.of(
            new Difference("attacks/dns-rrsig-amplification-fragmented.pcap", "udp", 574, DEFRAG),
            new Difference("attacks/dns-rrsig-amplification-fragmented.pcap", "dns", 547, DEFRAG),
            new Difference("malformed/LINKTYPE_IPV6_invalid.pcap", "ipv6", 0, "the frame is IPv4 under "
                    + "LINKTYPE_IPV6; tshark trusts the link type and reports a bogus IPv6 version, netwatch "
                    + "dispatches on the version nibble and decodes the IPv4/UDP/DNS inside"),
            new Difference("malformed/LINKTYPE_IPV6_invalid.pcap", "ipv4", 1, "as above: IPv4 under LINKTYPE_IPV6"),
            new Difference("malformed/LINKTYPE_IPV6_invalid.pcap", "udp", 1, "as above: IPv4 under LINKTYPE_IPV6"),
            new Difference("malformed/LINKTYPE_IPV6_invalid.pcap", "dns", 1, "as above: IPv4 under LINKTYPE_IPV6"),
            new Difference("malformed/gre-heapoverflow-1.pcap", "ipv4", 0, BOGUS_VERSION),
            new Difference("malformed/ipv4_invalid_length.pcap", "ipv4", 0, "only 19 bytes of IPv4 header were "
                    + "captured: " + BOGUS_VERSION),
            new Difference("malformed/ipv6-bad-version.pcap", "ipv6", 2, BOGUS_VERSION),
            new Difference("malformed/ipv6_39_byte_header.pcap", "ipv6", 0, "39 of the 40 IPv6 header bytes were "
                    + "captured: " + BOGUS_VERSION),
            new Difference("malformed/ipv6_invalid_length.pcap", "ipv6", 0, "39 of the 40 IPv6 header bytes were "
                    + "captured: " + BOGUS_VERSION),
            new Difference("protocols/bigtcp-ipv6.pcap", "tcp", 1, "a BIG TCP segment (IPv6 payload length 0, "
                    + "jumbo option) captured on the sender: tshark calls it malformed, netwatch takes the datagram "
                    + "from the frame as it does for segmentation offload and decodes the TCP header"),
            new Difference("protocols/gso-ipv4-vxlan-ipv4.pcap", "tcp", 0, TUNNEL),
            new Difference("protocols/ipv6-srh-ext-header.pcap", "icmpv6", 0, TUNNEL),
            new Difference("protocols/various_gre.pcap", "icmp", 0, TUNNEL),
            new Difference("protocols/vxlan.pcap", "arp", 0, TUNNEL),
            new Difference("protocols/vxlan.pcap", "icmp", 0, TUNNEL)));

    @TestFactory
    Stream<DynamicTest> countsAgreeWithTshark() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : SharedPcaps.reference().entrySet()) {
            String file = e.getKey();
            tests.add(DynamicTest.dynamicTest(file, () -> {
                Map<String, Long> ours = ProtocolCounts.of(SharedPcaps.file(file));
                for (String column : ProtocolCounts.COLUMNS) {
                    long tshark = Long.parseLong(e.getValue().get(column));
                    long mine = ours.get(column);
                    if (column.equals("tcp")) {
                        mine += ours.get(ProtocolCounts.QUOTED_TCP);
                    } else if (column.equals("udp")) {
                        mine += ours.get(ProtocolCounts.QUOTED_UDP);
                    }
                    KNOWN.check(file, column, mine, tshark);
                }
            }));
        }
        return tests.stream();
    }
}
