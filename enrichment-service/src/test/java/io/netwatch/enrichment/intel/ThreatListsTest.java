package io.netwatch.enrichment.intel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The list formats blocklists are published in, matched by longest prefix, reloaded when their files change. */
class ThreatListsTest {
    /** As Spamhaus publishes DROP: a header of comments, then "CIDR ; SBL id". */
    static final List<String> SPAMHAUS_DROP = List.of(
            "; Spamhaus DROP List 2024/01/15 - (c) 2024 The Spamhaus Project",
            "; https://www.spamhaus.org/drop/drop.txt",
            "; Last-Modified: Mon, 15 Jan 2024 10:00:00 GMT",
            "1.10.16.0/20 ; SBL256894",
            "1.19.0.0/16 ; SBL434604",
            "2.56.192.0/22 ; SBL459831");

    /** As FireHOL publishes netsets: '#' comments, bare addresses and networks. */
    static final List<String> FIREHOL = List.of(
            "#",
            "# firehol_level1",
            "#",
            "0.0.0.0/8",
            "5.188.10.0/23",
            "31.184.237.0/24",
            "185.220.101.37",
            "2001:db8:bad::/48");

    @Test
    void spamhausDropKeepsItsSblReference() {
        ThreatList drop = ThreatList.parse("drop", SPAMHAUS_DROP);
        assertEquals(3, drop.entries());
        assertEquals(List.of(), drop.rejected());
        ListHit hit = drop.match(io.netwatch.records.IpAddresses.parse("1.10.20.30"));
        assertEquals(new ListHit("drop", "1.10.16.0/20", "SBL256894"), hit);
        assertNull(drop.match(io.netwatch.records.IpAddresses.parse("1.10.32.1")), "just past the /20");
    }

    @Test
    void fireholNetsetsTakeAddressesNetworksAndIpv6() {
        ThreatList level1 = ThreatList.parse("firehol_level1", FIREHOL);
        assertEquals(5, level1.entries());
        assertEquals("185.220.101.37/32", level1.match(io.netwatch.records.IpAddresses.parse("185.220.101.37"))
                .entry());
        assertNull(level1.match(io.netwatch.records.IpAddresses.parse("185.220.101.38")));
        assertEquals("2001:db8:bad::/48", level1.match(io.netwatch.records.IpAddresses.parse("2001:db8:bad:1::9"))
                .entry());
        assertNull(level1.match(io.netwatch.records.IpAddresses.parse("2001:db8:bae::1")));
    }

    @Test
    void theMostSpecificEntryWinsAndBadLinesAreReportedNotFatal() {
        ThreatList list = ThreatList.parse("mixed", List.of("10.0.0.0/8 # wide", "10.1.2.0/24 # narrow",
                "not-an-address", "10.0.0.0/33", "   ", "192.0.2.1 extra columns are ignored"));
        assertEquals(3, list.entries());
        assertEquals("narrow", list.match(io.netwatch.records.IpAddresses.parse("10.1.2.3")).reference());
        assertEquals("wide", list.match(io.netwatch.records.IpAddresses.parse("10.9.9.9")).reference());
        assertEquals(2, list.rejected().size(), list.rejected().toString());
        assertTrue(list.rejected().get(0).startsWith("mixed:3: "), list.rejected().toString());
    }

    @Test
    void listsReloadWhenTheirFilesChangeAndKeepTheirContentsWhenAReloadFails(@TempDir Path dir) throws Exception {
        Path drop = dir.resolve("drop.txt");
        Path firehol = dir.resolve("firehol_level1.netset");
        Files.write(drop, SPAMHAUS_DROP);
        Files.write(firehol, FIREHOL);
        ThreatLists lists = new ThreatLists(List.of(drop, firehol));
        assertEquals(2, lists.lists());
        assertEquals(List.of(), lists.match("8.8.8.8"));
        assertEquals(List.of("firehol_level1"), lists.match("5.188.11.1").stream().map(ListHit::list).toList());

        assertEquals(List.of(), lists.reloadIfChanged(), "nothing changed");
        Files.write(drop, List.of("8.8.8.0/24 ; SBL000001"));
        Files.setLastModifiedTime(drop, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(List.of("drop"), lists.reloadIfChanged());
        assertEquals("SBL000001", lists.match("8.8.8.8").get(0).reference());
        assertEquals(List.of(), lists.match("1.10.20.30"), "the old entries are gone");

        Files.delete(firehol);
        assertEquals(List.of(), lists.reloadIfChanged(), "a missing file is not a new, empty list");
        assertEquals(1, lists.match("185.220.101.37").size(), "its entries stay until it comes back");
    }
}
