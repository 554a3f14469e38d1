package io.netwatch.detection.rules;

import io.netwatch.records.PacketRecord;

/**
 * TCP flag combinations no ordinary stack sends ({@link PacketRecord#oddTcpFlags}, shared with the probe, which
 * keeps such segments as packet records under {@code packet-filter=rules}).
 */
public final class TcpFlagRule {
    public static final String NAME = "tcp_flag_anomaly";

    private TcpFlagRule() {
    }

    public static String anomaly(int flags) {
        return PacketRecord.oddTcpFlags(flags);
    }
}
