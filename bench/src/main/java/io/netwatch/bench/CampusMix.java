package io.netwatch.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Traffic shaped like a real network's: conversations whose lengths follow the flow-length distribution measured at
 * the Internet-facing interface of a university campus, with most packets in long TLS transfers and most
 * conversations a few frames long. The reference is the AGH University dataset of Jurkiewicz, Rzym and Boryło ("How
 * Many Mice Make an Elephant? Modelling Flow Length and Size Distribution of Internet Traffic", arXiv:1809.03486;
 * repository piotrjurkiewicz/flow-models, data/agh_201506): 4 billion NetFlow flows over 30 days, 78.6 packets per
 * flow on average; flows of up to 10 packets are 86.5 % of flows and carry 2.5 % of the packets, flows of up to 100
 * carry 6.4 %, and flows longer than 10,000 packets carry 70 %.
 *
 * <p>Per 10,000 conversations here (75 frames each on average):
 * <pre>
 * kind                 conversations  frames  over    what
 * DNS                  3,500          2       1 ms    query and answer (the probe's DNS decoder, the dns rules)
 * short TLS            3,545          10      0.1 s   handshake, ClientHello with SNI, two data segments, close
 * unanswered SYN       500            1               a scanner's probe at an internal host (background radiation)
 * NTP                  1,000          2       1 ms    request and answer over UDP
 * TLS page             500            100     5 s     a page and its objects over one connection
 * cleartext HTTP       300            13      50 ms   as in the short-flows mix
 * TLS download         100            2,000   10 s
 * TLS bulk transfer    15             30,000  30 s
 * ICMP echo            300            2
 * ARP request          240            1
 * </pre>
 * 85 % of the conversations are 10 frames or shorter and carry 5 % of the frames; the 30,000-frame transfers carry
 * 60 %. NetFlow's flows are one direction each and the longest run to a million packets over 30 days; here a
 * conversation is both directions, and the longest stop at 30,000 frames so a capture of a few million frames holds
 * many of them.
 *
 * <p>Conversations start as a Poisson process at the rate that makes the capture's packet rate, and the long ones
 * send at their own pace, so at any moment a few hundred of them are open beside the short ones, as on a real link:
 * what matters to flow tables, whose updates follow the flows open each second. The traffic starts
 * {@value #WARM_UP_SECONDS} s before the capture does (the longest conversation's length), so the capture opens on a
 * link in its steady state, with long conversations already under way (their first frames are not in it, as in
 * any capture started on a busy link). Short conversations are written whole when they start. A conversation still
 * open when the capture ends is cut there.
 */
final class CampusMix {
    private record Kind(String name, int weight, int frames, double seconds) {
    }

    private static final Kind DNS = new Kind("dns", 3500, 2, 0);
    private static final Kind TLS_SHORT = new Kind("tls-short", 3545, 10, 0);
    private static final Kind SYN = new Kind("syn-unanswered", 500, 1, 0);
    private static final Kind NTP = new Kind("ntp", 1000, 2, 0);
    private static final Kind TLS_PAGE = new Kind("tls-page", 500, 100, 5);
    private static final Kind HTTP = new Kind("http", 300, 13, 0);
    private static final Kind TLS_DOWNLOAD = new Kind("tls-download", 100, 2000, 10);
    private static final Kind TLS_BULK = new Kind("tls-bulk", 15, 30_000, 30);
    private static final Kind ICMP = new Kind("icmp-echo", 300, 2, 0);
    private static final Kind ARP = new Kind("arp", 240, 1, 0);
    private static final Kind[] KINDS = {DNS, TLS_SHORT, SYN, NTP, TLS_PAGE, HTTP, TLS_DOWNLOAD, TLS_BULK, ICMP, ARP};
    private static final int TOTAL_WEIGHT = 10_000;
    private static final int WARM_UP_SECONDS = 30;
    private static final int[] SCANNED_PORTS = {22, 23, 445, 3389, 8080};

    /** Frames per conversation on average. */
    static final double MEAN_FRAMES;

    static {
        double frames = 0;
        int weight = 0;
        for (Kind k : KINDS) {
            frames += k.weight() * (double) k.frames();
            weight += k.weight();
        }
        if (weight != TOTAL_WEIGHT) {
            throw new IllegalStateException("campus mix weights add up to " + weight);
        }
        MEAN_FRAMES = frames / weight;
    }

    private final SyntheticCapture w;
    /** Conversations started per second of capture time. */
    private final double arrivalsPerSecond;
    private final Random random = new Random(1809_03486L);
    private final PriorityQueue<Conversation> open = new PriorityQueue<>((a, b) -> Double.compare(a.next, b.next));
    private long limit;

    CampusMix(SyntheticCapture w, double ratePps) {
        this.w = w;
        w.routerMacs = true; // a campus's Internet-facing link, where the reference was measured
        this.arrivalsPerSecond = ratePps / MEAN_FRAMES;
    }

    /** Writes {@code frames} frames, with an alert-raising NULL segment after every {@code alertEvery}-th conversation. */
    void write(long frames, int alertEvery) throws IOException {
        limit = frames;
        double nextArrival = -WARM_UP_SECONDS;
        int n = 0;
        int started = 0;
        while (w.written() < frames) {
            Conversation head = open.peek();
            if (head == null || nextArrival <= head.next) {
                if (nextArrival >= 0) {
                    start(n++, nextArrival);
                    if (alertEvery > 0 && ++started % alertEvery == 0) {
                        w.nullScanProbe(frames);
                    }
                } else {
                    warmUp(n++, nextArrival);
                }
                nextArrival += -Math.log(1 - random.nextDouble()) / arrivalsPerSecond;
            } else {
                open.poll();
                head.send(head.next >= 0);
                if (head.sent < head.kind.frames()) {
                    head.next += head.kind.seconds() / head.kind.frames();
                    open.add(head);
                }
            }
        }
    }

    private Kind pick() {
        int r = random.nextInt(TOTAL_WEIGHT);
        for (Kind k : KINDS) {
            r -= k.weight();
            if (r < 0) {
                return k;
            }
        }
        throw new IllegalStateException();
    }

    /** A conversation of the warm-up: only the long ones matter, those still open when the capture starts. */
    private void warmUp(int n, double at) throws IOException {
        Kind kind = pick();
        if (kind.seconds() > 0) {
            Conversation c = new Conversation(kind, n, client(n), server(n), sport(n), at);
            c.send(false);
            c.next = at + kind.seconds() / kind.frames();
            open.add(c);
        }
    }

    private static int client(int n) {
        return 0x0a000000 | (n % 20_000) + 2;                  // 10.0.x.y: 20,000 hosts inside
    }

    private static int sport(int n) {
        return 1024 + (n / 20_000) % 64_000;                   // no two open conversations share a 5-tuple
    }

    private static int server(int n) {
        return (n % 2 == 0 ? 0xc6336400 : 0xcb007100) | (n % 250) + 1; // 198.51.100.x, 203.0.113.x
    }

    private void start(int n, double at) throws IOException {
        Kind kind = pick();
        int client = client(n);
        int sport = sport(n);
        int server = server(n);
        if (kind == DNS) {
            w.dns(client, sport, n, limit);
        } else if (kind == NTP) {
            w.udp(client, server, sport, 123, 48, limit);
            w.udp(server, client, 123, sport, 48, limit);
        } else if (kind == ICMP) {
            w.icmpEcho(client, server, n, limit);
        } else if (kind == ARP) {
            w.arp(client, limit);
        } else if (kind == HTTP) {
            w.tcpConversation(client, server, sport, 80, false, limit);
        } else if (kind == SYN) {
            int scanner = 0xb9000000 | (int) ((n * 2654435761L) & 0xffffff); // 185.x.y.z, one probe each
            w.tcp(false, false, scanner, client, 40000 + n % 20000, SCANNED_PORTS[n % SCANNED_PORTS.length], 0x02,
                    n, 0, null, 0, limit);
        } else {
            Conversation c = new Conversation(kind, n, client, server, sport, at);
            if (kind.seconds() == 0) {
                while (c.sent < kind.frames()) {
                    c.send(true);
                }
            } else {
                c.send(true);
                c.next = at + kind.seconds() / kind.frames();
                open.add(c);
            }
        }
    }

    /** A TLS connection on port 443: handshake, ClientHello, data (two server segments to one client ACK), close. */
    private final class Conversation {
        final Kind kind;
        final int client;
        final int server;
        final int sport;
        final boolean v6;
        final String sni;
        long seqC = 1000;
        long seqS = 5000;
        int sent;
        double next;
        private boolean write;

        Conversation(Kind kind, int n, int client, int server, int sport, double at) {
            this.kind = kind;
            this.client = client;
            this.server = server;
            this.sport = sport;
            this.v6 = n % 4 == 1;
            this.sni = "cdn" + (n % 3000) + ".example" + (n % 11) + ".net";
            this.next = at;
        }

        /** Its next frame; {@code write} false in the warm-up, before the capture starts. */
        void send(boolean write) throws IOException {
            this.write = write;
            int i = sent++;
            int last = kind.frames() - 1;
            if (i == 0) {
                c2s(0x02, 0, null);
            } else if (i == 1) {
                s2c(0x12, 0);
            } else if (i == 2) {
                c2s(0x10, 0, null);
            } else if (i == 3) {
                c2s(0x18, 0, clientHello(sni));
            } else if (i == last - 2) {
                c2s(0x11, 0, null);
            } else if (i == last - 1) {
                s2c(0x11, 0);
            } else if (i == last) {
                c2s(0x10, 0, null);
            } else if ((i - 4) % 3 == 2) {
                c2s(0x10, 0, null);
            } else {
                s2c(0x10, 1400);
            }
        }

        private void c2s(int flags, int len, byte[] data) throws IOException {
            if (write) {
                w.tcp(v6, false, client, server, sport, 443, flags, seqC, seqS, data, len, limit);
            }
            seqC += (data != null ? data.length : len) + ((flags & 0x03) != 0 ? 1 : 0);
        }

        private void s2c(int flags, int len) throws IOException {
            if (write) {
                w.tcp(v6, false, server, client, 443, sport, flags, seqS, seqC, null, len, limit);
            }
            seqS += len + ((flags & 0x03) != 0 ? 1 : 0);
        }
    }

    /** A TLS 1.2 ClientHello offering two suites, with the server name and supported groups. */
    static byte[] clientHello(String serverName) {
        byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer ext = ByteBuffer.allocate(64 + name.length);
        ext.putShort((short) 0).putShort((short) (name.length + 5)).putShort((short) (name.length + 3)).put((byte) 0)
                .putShort((short) name.length).put(name);
        ext.putShort((short) 10).putShort((short) 6).putShort((short) 4).putShort((short) 29).putShort((short) 23);
        ext.putShort((short) 11).putShort((short) 2).put((byte) 1).put((byte) 0);
        int extLen = ext.position();
        ByteBuffer hello = ByteBuffer.allocate(128 + extLen);
        hello.putShort((short) 0x0303).put(new byte[32]).put((byte) 0);
        hello.putShort((short) 4).putShort((short) 0xc02f).putShort((short) 0xc030);
        hello.put((byte) 1).put((byte) 0);
        hello.putShort((short) extLen).put(ext.array(), 0, extLen);
        int bodyLen = hello.position();
        ByteBuffer record = ByteBuffer.allocate(9 + bodyLen);
        record.put((byte) 0x16).putShort((short) 0x0301).putShort((short) (bodyLen + 4));
        record.put((byte) 0x01).put((byte) (bodyLen >>> 16)).putShort((short) bodyLen);
        record.put(hello.array(), 0, bodyLen);
        return record.array();
    }
}
