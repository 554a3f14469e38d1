package io.netwatch.probe.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of a start-capture request; absent fields take the probe's configured values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptureRequest(@JsonProperty("interface") String iface, String filter, Integer snaplen, Boolean promiscuous) {
}
