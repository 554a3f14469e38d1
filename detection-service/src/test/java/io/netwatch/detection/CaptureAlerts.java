package io.netwatch.detection;

import io.netwatch.flow.CaptureFlows;
import io.netwatch.flow.FlowSettings;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowSource;
import io.netwatch.records.PacketBatch;
import io.netwatch.records.PacketRecord;

import java.time.Duration;
import java.util.List;

/**
 * Runs a real capture through the probe's decoder, the flow topology and the detection topology, as the services
 * would in sequence, and returns the alerts (latest record per id).
 */
final class CaptureAlerts {
    /** As the probe runs by default. */
    static final int PAYLOAD_HEAD = 96;

    private CaptureAlerts() {
    }

    static List<Alert> of(String file) throws Exception {
        return of(file, DetectionSettings.defaults());
    }

    static List<Alert> of(String file, DetectionSettings settings) throws Exception {
        return of(file, settings, 0);
    }

    /**
     * @param perBatch 0: one record per packet; otherwise batches of at most that many, as the probe sends them. With
     *                 flow updates in the settings, 0: the driver plays the probe's flow table and rules filter
     */
    static List<Alert> of(String file, DetectionSettings settings, int perBatch) throws Exception {
        List<PacketRecordFactory.Keyed> packets = CapturePackets.of(SharedPcaps.file(file), PAYLOAD_HEAD);
        // from flow updates, the probe's end updates stand for the flows (FlowSourcesTest shows they are the same)
        List<FlowRecord> flows = settings.source() == FlowSource.FLOW_UPDATES ? List.of()
                : CaptureFlows.of(packets, FlowSettings.defaults(), perBatch);
        try (DetectionDriver d = new DetectionDriver(settings)) {
            long last = 0;
            for (PacketRecordFactory.Keyed k : packets) {
                last = Math.max(last, k.record().ts());
            }
            if (perBatch == 0) {
                for (PacketRecordFactory.Keyed k : packets) {
                    d.packet(k.key(), k.record());
                }
            } else {
                // one partition, as the test driver has one
                for (PacketBatch b : CapturePackets.batches(packets, 1, perBatch)) {
                    d.batch(b);
                }
            }
            d.packet("end/run", PacketRecord.endOfRun("run", CapturePackets.PROBE, "file", last));
            for (FlowRecord f : flows) {
                d.flow(f);
            }
            return d.alerts(Duration.ofMinutes(1));
        }
    }
}
