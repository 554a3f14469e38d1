package io.netwatch.probe.decode;

/** Mnemonics of DNS record types (IANA registry), as dig and Zeek print them. */
final class DnsTypes {
    private DnsTypes() {
    }

    static String name(int type) {
        switch (type) {
            case 1: return "A";
            case 2: return "NS";
            case 5: return "CNAME";
            case 6: return "SOA";
            case 10: return "NULL";
            case 12: return "PTR";
            case 13: return "HINFO";
            case 15: return "MX";
            case 16: return "TXT";
            case 28: return "AAAA";
            case 33: return "SRV";
            case 35: return "NAPTR";
            case 41: return "OPT";
            case 43: return "DS";
            case 46: return "RRSIG";
            case 47: return "NSEC";
            case 48: return "DNSKEY";
            case 50: return "NSEC3";
            case 64: return "SVCB";
            case 65: return "HTTPS";
            case 99: return "SPF";
            case 251: return "IXFR";
            case 252: return "AXFR";
            case 255: return "ANY";
            case 256: return "URI";
            case 257: return "CAA";
            default: return "TYPE" + type;
        }
    }
}
