package org.territoire.accounts.account;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The parts of an export that the capabilities have written, each as
 * {@code exports/<exportId>/<capability>.json} in the export bucket.
 */
public interface ExportParts {
    List<String> CAPABILITIES = List.of("feedback", "bookings", "consultations", "telemetry", "notifications");

    /** The parts written so far, by capability. */
    Map<String, JsonNode> read(String exportId);

    /** A link that reads an assembled export for a while. */
    record Download(java.net.URI url, java.time.Instant expiresAt) {
    }

    /**
     * The assembled export as one object ({@code exports/<exportId>/export.json}), written the
     * first time only, and a short-lived link to read it.
     */
    Download publish(String exportId, byte[] assembled, java.time.Duration validFor);
}
