package io.netwatch.records;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Community ID v1 against the spec's baseline values (shared/community-id-vectors.tsv), both directions. */
class CommunityIdTest {
    @Test
    void matchesEveryPublishedVectorInBothDirections() throws Exception {
        String prop = System.getProperty("netwatch.pcaps");
        Path vectors = (prop != null ? Path.of(prop).getParent() : Path.of("..", "..", "shared"))
                .resolve("community-id-vectors.tsv");
        List<String> rows = Files.readAllLines(vectors).stream()
                .filter(l -> !l.startsWith("#") && !l.startsWith("proto")).filter(l -> !l.isBlank()).toList();
        assertTrue(rows.size() >= 6, "the vectors file has its rows");
        for (String row : rows) {
            String[] c = row.split("\t");
            int proto = Integer.parseInt(c[0]);
            byte[] src = IpAddresses.parse(c[1]);
            byte[] dst = IpAddresses.parse(c[3]);
            int sp = Integer.parseInt(c[2]);
            int dp = Integer.parseInt(c[4]);
            int seed = Integer.parseInt(c[5]);
            assertEquals(c[6], CommunityId.of(seed, proto, src, sp, dst, dp), row);
            if (proto == CommunityId.ICMP) {
                // the reply to an echo request (type 8) is an echo reply (type 0) from the other side
                assertEquals(c[6], CommunityId.of(seed, proto, dst, 0, src, 0), "echo reply of " + row);
            } else {
                assertEquals(c[6], CommunityId.of(seed, proto, dst, dp, src, sp), "reverse of " + row);
            }
        }
    }
}
