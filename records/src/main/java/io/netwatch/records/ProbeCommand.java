package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A control command for one probe: the value of {@code netwatch.probe-commands.v1}, keyed by the target probe id,
 * so the gateway can drive probes it cannot reach directly. {@code action} is one of the constants below.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeCommand(
        String commandId,
        String probeId,
        String action,
        String iface,
        String filter,
        Integer snaplen,
        Boolean promiscuous,
        String path,
        Double speed,
        Boolean loop,
        long issuedAt,
        String issuedBy) {

    public static final String START_CAPTURE = "start_capture";
    public static final String START_REPLAY = "start_replay";
    public static final String STOP = "stop";
}
