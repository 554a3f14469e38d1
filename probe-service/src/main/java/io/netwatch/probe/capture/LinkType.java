package io.netwatch.probe.capture;

/** The LINKTYPE_ values (tcpdump.org/linktypes.html) that netwatch decodes, and their names in packet records. */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int PPP = 9;
    public static final int RAW_DLT12 = 12;
    public static final int RAW_DLT14 = 14;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    public static boolean isDecoded(int linkType) {
        switch (linkType) {
            case NULL: case ETHERNET: case PPP: case RAW_DLT12: case RAW_DLT14: case RAW: case LOOP:
            case LINUX_SLL: case IPV4: case IPV6: case LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }

    public static String name(int linkType) {
        switch (linkType) {
            case NULL: return "null";
            case ETHERNET: return "ether";
            case PPP: return "ppp";
            case RAW_DLT12: case RAW_DLT14: case RAW: return "raw";
            case LOOP: return "loop";
            case LINUX_SLL: return "linux-sll";
            case IPV4: return "rawip4";
            case IPV6: return "rawip6";
            case LINUX_SLL2: return "linux-sll2";
            case 105: return "ieee802-11";
            case 127: return "ieee802-11-radiotap";
            case 104: return "c-hdlc";
            case 239: return "nflog";
            case 253: return "netlink";
            default: return "linktype-" + linkType;
        }
    }
}
