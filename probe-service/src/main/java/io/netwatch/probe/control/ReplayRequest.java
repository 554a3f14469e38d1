package io.netwatch.probe.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of a start-replay request: a capture file on the probe's file system, the speed, whether to loop. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayRequest(String path, Double speed, Boolean loop, String filter) {
}
