package io.netwatch.probe.decode;

import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.capture.CaptureFileReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frame by frame, the decoded fields agree with what tshark (installed by .ci/run) says of the same frame:
 * addresses, ports, TCP flags, DNS query names, HTTP request and response lines, TLS SNI and JA3.
 */
class TsharkFieldsTest {
    private static final String[] FILES = {
            "basic/web-tls-dns-1998pkts.pcap", "basic/wikipedia-browse.pcap", "basic/ipv6-tls-two-sessions.pcap",
            "basic/http-ipv4-and-ipv6.pcapng", "basic/var-services-std-ports.pcap", "protocols/dns_tcp.pcap",
            "protocols/edns-opts.pcap", "protocols/dnssec.pcap", "protocols/tcp-handshake-nano.pcap",
            "web-attacks/dvwa-sqli-union.pcapng", "web-attacks/log4shell-jndi-sll.pcap", "bruteforce/ftp-bruteforce.pcap"};
    private static final String[] FIELDS = {"frame.number", "ip.src", "ipv6.src", "tcp.srcport", "udp.srcport",
            "tcp.flags", "dns.qry.name", "http.request.method", "http.host", "http.response.code",
            "tls.handshake.extensions_server_name", "tls.handshake.ja3", "frame.time_epoch"};

    @TestFactory
    Stream<DynamicTest> fieldsAgreeWithTshark() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : FILES) {
            Path path = SharedPcaps.file(file);
            if (!path.toFile().exists()) {
                continue; // listed folders differ between shared/ versions; the rest still run
            }
            tests.add(DynamicTest.dynamicTest(file, () -> compare(path)));
        }
        assertTrue(tests.size() >= 8, "most comparison captures are present");
        return tests.stream();
    }

    private static void compare(Path file) throws Exception {
        List<String[]> tshark = tshark(file);
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        PacketRecordFactory factory = new PacketRecordFactory("p", "file", 0);
        List<io.netwatch.records.PacketRecord> ours = new ArrayList<>();
        try (CaptureFileReader reader = CaptureFileReader.open(file)) {
            reader.readAll((ts, lt, buf, off, cap, wire) -> {
                decoder.decode(lt, buf, off, cap, wire, f);
                ours.add(factory.build("x", ts, f, buf).record());
            });
        }
        assertEquals(tshark.size(), ours.size(), file + ": frames");
        int checkedDns = 0;
        int checkedTls = 0;
        for (int i = 0; i < ours.size(); i++) {
            String[] t = tshark.get(i);
            var p = ours.get(i);
            String where = file.getFileName() + " frame " + t[0];
            String src = !t[1].isEmpty() ? t[1] : !t[2].isEmpty() ? t[2] : null;
            if (src != null && p.srcIp() != null) {
                assertEquals(normalizeV6(src), p.srcIp(), where + ": source address");
            }
            String sport = !t[3].isEmpty() ? t[3] : !t[4].isEmpty() ? t[4] : null;
            if (sport != null && p.srcPort() != null && p.icmpType() == null) {
                assertEquals(Integer.parseInt(sport), p.srcPort(), where + ": source port");
            }
            if (!t[5].isEmpty() && p.tcpFlags() != null) {
                assertEquals(Integer.decode(t[5]) & 0xff, p.tcpFlags(), where + ": TCP flags");
            }
            if (p.dns() != null && !t[6].isEmpty()) {
                assertEquals(t[6], p.dns().qname(), where + ": DNS query name");
                checkedDns++;
            }
            if (p.http() != null && p.http().method() != null && !t[7].isEmpty()) {
                assertEquals(t[7], p.http().method(), where + ": HTTP method");
                assertEquals(t[8].isEmpty() ? null : t[8], p.http().host(), where + ": HTTP host");
            }
            if (p.http() != null && p.http().status() != null && !t[9].isEmpty()) {
                assertEquals(Integer.parseInt(t[9]), p.http().status(), where + ": HTTP status");
            }
            if (p.tls() != null && p.tls().ja3Hash() != null) {
                // tshark names the frame that completes a ClientHello; netwatch decodes whole ones in one segment.
                assertEquals(t[10].isEmpty() ? null : t[10], p.tls().sni(), where + ": TLS SNI");
                assertEquals(t[11], p.tls().ja3Hash(), where + ": JA3");
                checkedTls++;
            }
            long tsharkMicros = Math.round(Double.parseDouble(t[12]) * 1e6);
            assertTrue(Math.abs(tsharkMicros - p.ts()) <= 1, where + ": timestamp " + t[12] + " vs " + p.ts());
        }
        if (file.toString().contains("dns")) {
            assertTrue(checkedDns > 0, file + ": DNS names were compared");
        }
        if (file.toString().contains("tls")) {
            assertTrue(checkedTls > 0, file + ": TLS ClientHellos were compared");
        }
    }

    /** tshark prints IPv6 addresses in RFC 5952 form too; this only guards against case differences. */
    private static String normalizeV6(String s) {
        return s.toLowerCase();
    }

    private static List<String[]> tshark(Path file) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "occurrence=f", "-E", "separator=\t"));
        for (String field : FIELDS) {
            cmd.add("-e");
            cmd.add(field);
        }
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("tshark is needed for this test (.ci/run installs it): " + e.getMessage(), e);
        }
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] cells = line.split("\t", -1);
                rows.add(java.util.Arrays.copyOf(cells, FIELDS.length));
                for (int i = 0; i < FIELDS.length; i++) {
                    rows.get(rows.size() - 1)[i] = Objects.requireNonNullElse(rows.get(rows.size() - 1)[i], "");
                }
            }
        }
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), "tshark on " + file);
        return rows;
    }
}
