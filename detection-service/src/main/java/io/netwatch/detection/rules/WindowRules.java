package io.netwatch.detection.rules;

import io.netwatch.records.Alert;

import java.time.Duration;
import java.util.List;

/** The windowed rules and their defaults; docs/detections.md gives the reasoning for each number. */
public final class WindowRules {
    private WindowRules() {
    }

    /** Failed TCP attempts (unanswered or reset) and unanswered UDP probes to many ports of one host. */
    public static final WindowRule PORT_SCAN = new WindowRule("port_scan", Alert.MEDIUM, "T1046", Measure.DISTINCT,
            15, Duration.ofSeconds(60), "{src} probed {value} ports of {dst} within {window} without a completed "
            + "connection (vertical port scan)");
    /** Failed attempts at one port of many hosts. */
    public static final WindowRule HORIZONTAL_SCAN = new WindowRule("horizontal_scan", Alert.MEDIUM, "T1046",
            Measure.DISTINCT, 15, Duration.ofSeconds(60), "{src} probed port {port} on {value} hosts within {window} "
            + "without a completed connection (horizontal scan)");
    /** ICMP echo requests to many hosts. */
    public static final WindowRule PING_SWEEP = new WindowRule("ping_sweep", Alert.LOW, "T1018", Measure.DISTINCT, 15,
            Duration.ofSeconds(60), "{src} sent ICMP echo requests to {value} hosts within {window} (ping sweep)");
    /** Handshakes never completed at one service, from any number of (spoofed) sources. */
    public static final WindowRule SYN_FLOOD = new WindowRule("syn_flood", Alert.HIGH, "T1498.001", Measure.COUNT,
            100, Duration.ofSeconds(10), "{value} TCP handshakes to {dst} port {port} left incomplete within "
            + "{window} (SYN flood at the target)");
    /** Handshakes never completed, from one source to one service. */
    public static final WindowRule SYN_FLOOD_SOURCE = new WindowRule("syn_flood_source", Alert.HIGH, "T1498.001",
            Measure.COUNT, 100, Duration.ofSeconds(10), "{src} left {value} TCP handshakes to {dst} port {port} "
            + "incomplete within {window} (SYN flood from one source)");
    /** SYN-ACKs arriving at a host that sent no SYN: backscatter of a flood spoofing its address. */
    public static final WindowRule SYN_ACK_REFLECTION = new WindowRule("syn_ack_reflection", Alert.HIGH, "T1498.002",
            Measure.COUNT, 100, Duration.ofSeconds(10), "{dst} received {value} SYN-ACKs for connections it never "
            + "opened within {window} (TCP reflection flood, or backscatter of a flood spoofing it)");
    /** Unsolicited UDP from amplifying service ports (DNS, NTP, SNMP, SSDP, ...) at one host. */
    public static final WindowRule UDP_REFLECTION = new WindowRule("udp_reflection", Alert.HIGH, "T1498.002",
            Measure.COUNT, 100, Duration.ofSeconds(10), "{dst} received {value} unsolicited UDP datagrams from "
            + "amplifying service ports within {window} (UDP reflection/amplification flood)");
    /** Connection attempts from one source to one host, whatever their outcome. */
    public static final WindowRule CONNECTION_FLOOD = new WindowRule("connection_flood", Alert.MEDIUM, "T1499",
            Measure.COUNT, 200, Duration.ofSeconds(10), "{src} opened {value} TCP connections to {dst} within {window} "
            + "(connection flood)");
    /** Packets sent by one host. */
    public static final WindowRule HIGH_PACKET_RATE = new WindowRule("high_packet_rate", Alert.MEDIUM, "T1498",
            Measure.SUM, 100_000, Duration.ofSeconds(10), "{src} sent {value} packets within {window} "
            + "(abnormally high packet rate)");
    /** Short connections to one login service. */
    public static final WindowRule BRUTE_FORCE = new WindowRule("brute_force", Alert.HIGH, "T1110", Measure.COUNT, 10,
            Duration.ofMinutes(5), "{src} made {value} short connections to the login service at {dst} port {port} "
            + "within {window} (password guessing)");
    /** Distinct subdomains of one registered domain asked by one client. */
    public static final WindowRule DNS_TUNNEL = new WindowRule("dns_tunnel", Alert.HIGH, "T1071.004",
            Measure.DISTINCT, 50, Duration.ofMinutes(5), "{src} asked for {value} distinct names under one domain "
            + "within {window} (DNS tunnelling)");
    /** TXT and NULL queries of one client. */
    public static final WindowRule DNS_TXT_VOLUME = new WindowRule("dns_txt_volume", Alert.MEDIUM, "T1071.004",
            Measure.COUNT, 30, Duration.ofSeconds(60), "{src} sent {value} TXT/NULL DNS queries within {window}");
    /** DNS queries of one client. */
    public static final WindowRule DNS_QUERY_RATE = new WindowRule("dns_query_rate", Alert.MEDIUM, "T1071.004",
            Measure.COUNT, 600, Duration.ofSeconds(60), "{src} sent {value} DNS queries within {window}");
    /** Bytes from an internal host to one external address. */
    public static final WindowRule EXFILTRATION = new WindowRule("exfiltration", Alert.HIGH, "T1048", Measure.SUM,
            500_000_000, Duration.ofMinutes(10), "{src} sent {value} bytes to external {dst} within {window} "
            + "(possible data exfiltration)");
    /** MAC addresses claiming one IP address in ARP. */
    public static final WindowRule ARP_SPOOFING = new WindowRule("arp_spoofing", Alert.HIGH, "T1557.002",
            Measure.DISTINCT, 2, Duration.ofHours(1), "{value} MAC addresses claimed {dst} in ARP within {window} "
            + "(ARP spoofing)");
    /** IP addresses claimed by one MAC address in ARP. */
    public static final WindowRule ARP_MAC_MANY_IPS = new WindowRule("arp_mac_many_ips", Alert.MEDIUM, "T1557.002",
            Measure.DISTINCT, 2, Duration.ofHours(1), "MAC {src} claimed {value} IP addresses in ARP within {window} "
            + "(possible ARP cache poisoning)");

    /** ARP requests from one sender for many addresses. */
    public static final WindowRule ARP_SWEEP = new WindowRule("arp_sweep", Alert.LOW, "T1018", Measure.DISTINCT, 40,
            Duration.ofSeconds(60), "{src} asked ARP for {value} addresses within {window} (ARP host discovery)");

    public static final List<WindowRule> ALL = List.of(PORT_SCAN, HORIZONTAL_SCAN, PING_SWEEP, SYN_FLOOD,
            SYN_FLOOD_SOURCE, SYN_ACK_REFLECTION, UDP_REFLECTION, CONNECTION_FLOOD, HIGH_PACKET_RATE, BRUTE_FORCE, DNS_TUNNEL, DNS_TXT_VOLUME,
            DNS_QUERY_RATE, EXFILTRATION, ARP_SPOOFING, ARP_MAC_MANY_IPS, ARP_SWEEP);
}
