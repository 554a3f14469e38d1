package io.netwatch.records;

/**
 * Application protocols by well-known port, for flows whose payload named none (no DNS, HTTP or TLS decoded): the
 * IANA assignments operators expect, for the responder's port, else the lower port.
 */
public final class AppProtocols {
    private static final String[] BY_PORT = new String[65536];

    static {
        put("ftp-data", 20);
        put("ftp", 21);
        put("ssh", 22);
        put("telnet", 23);
        put("smtp", 25, 587);
        put("dns", 53);
        put("dhcp", 67, 68);
        put("tftp", 69);
        put("http", 80, 8000, 8080, 8008);
        put("kerberos", 88);
        put("pop3", 110);
        put("ntp", 123);
        put("netbios", 137, 138, 139);
        put("imap", 143);
        put("snmp", 161, 162);
        put("ldap", 389);
        put("https", 443, 8443);
        put("smb", 445);
        put("smtps", 465);
        put("syslog", 514);
        put("rlogin", 513);
        put("ipp", 631);
        put("ldaps", 636);
        put("dot", 853);
        put("imaps", 993);
        put("pop3s", 995);
        put("openvpn", 1194);
        put("mssql", 1433);
        put("radius", 1812, 1813);
        put("mqtt", 1883);
        put("nfs", 2049);
        put("mysql", 3306);
        put("rdp", 3389);
        put("vxlan", 4789);
        put("sip", 5060, 5061);
        put("mdns", 5353);
        put("llmnr", 5355);
        put("postgresql", 5432);
        put("vnc", 5900);
        put("redis", 6379);
        put("kafka", 9092);
        put("memcached", 11211);
        put("mongodb", 27017);
    }

    private AppProtocols() {
    }

    private static void put(String name, int... ports) {
        for (int p : ports) {
            BY_PORT[p] = name;
        }
    }

    /** The protocol of a well-known port, or null. */
    public static String byPort(int port) {
        return port >= 0 && port < BY_PORT.length ? BY_PORT[port] : null;
    }

    /** The protocol a flow between these ports most likely speaks: the responder's port first. */
    public static String guess(Integer responderPort, Integer initiatorPort) {
        String r = responderPort == null ? null : byPort(responderPort);
        if (r != null) {
            return r;
        }
        return initiatorPort == null ? null : byPort(initiatorPort);
    }
}
