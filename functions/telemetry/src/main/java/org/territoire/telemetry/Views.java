package org.territoire.telemetry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.territoire.telemetry.device.Device;

/** What the telemetry functions answer, one record per shape. */
public final class Views {
    private Views() {
    }

    /** A list answer: {@code {"items": [...]}}. */
    public record Items<T>(List<T> items) {
    }

    /** {@code DELETE /me/telemetry}. */
    public record Erased(int erasedItems) {
    }

    /**
     * {@code GET /me/telemetry}: the subject, its devices (on the first page only), the records of
     * this page, and the token of the next one while there is one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Export(String subject, List<Device> devices, List<Map<String, Object>> records, String nextToken) {
    }

    /** What the ingest function answers the IoT rule: what became of the message. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IngestResult(String deviceId, Integer stored, Integer duplicates, List<String> rejected) {
    }

    /** What the sweep answers: offline alerts raised, devices it could not check, district hours computed in order and again after a mark. */
    /** {@code resent}: the kept events (the bus refused them earlier) that this run published again. */
    public record SweepResult(int offlineRaised, int failed, int districtHours, int districtHoursMarked, int resent) {
    }
}
