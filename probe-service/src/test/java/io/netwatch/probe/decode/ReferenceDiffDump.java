package io.netwatch.probe.decode;

import io.netwatch.probe.SharedPcaps;

import java.util.Map;

/** Prints where our counts differ from tshark's; a development aid run by hand. */
public final class ReferenceDiffDump {
    public static void main(String[] args) throws Exception {
        for (Map.Entry<String, Map<String, String>> e : SharedPcaps.reference().entrySet()) {
            Map<String, Long> ours;
            try {
                ours = ProtocolCounts.of(SharedPcaps.file(e.getKey()));
            } catch (Exception ex) {
                System.out.println(e.getKey() + "\tEXCEPTION " + ex);
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (String c : ProtocolCounts.COLUMNS) {
                long ref = Long.parseLong(e.getValue().get(c));
                if (c.equals("tcp")) {
                    ref -= ours.get(ProtocolCounts.QUOTED_TCP);
                } else if (c.equals("udp")) {
                    ref -= ours.get(ProtocolCounts.QUOTED_UDP);
                }
                if (ref != ours.get(c)) {
                    sb.append(' ').append(c).append(" tshark=").append(ref).append(" ours=").append(ours.get(c));
                }
            }
            if (sb.length() > 0) {
                System.out.println(e.getKey() + "\t" + e.getValue().get("encapsulation") + sb);
            }
        }
    }
}
