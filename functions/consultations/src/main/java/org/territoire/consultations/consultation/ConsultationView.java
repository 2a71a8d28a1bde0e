package org.territoire.consultations.consultation;

import java.time.Instant;
import java.util.List;

/**
 * A consultation as the API shows it, with its phase at the time of the request. The stored
 * version (an internal concurrency token) is not shown, and which agent created it is shown
 * to agents only.
 */
public record ConsultationView(Details consultation, Phase phase) {

    public record Details(String id, String title, String description, Kind kind, List<String> districts, Instant opensAt,
                          Instant closesAt, boolean scheduled, Instant resultsPublishedAt, boolean liveResults,
                          boolean allowChange, Integer supportThreshold, String serviceId, List<Question> questions,
                          Instant createdAt, String createdBy) {
    }

    static ConsultationView of(Consultation c, Phase phase, boolean agent) {
        return new ConsultationView(new Details(c.id(), c.title(), c.description(), c.kind(), c.districts(), c.opensAt(),
                c.closesAt(), c.scheduled(), c.resultsPublishedAt(), c.liveResults(), c.allowChange(), c.supportThreshold(),
                c.serviceId(), c.questions(), c.createdAt(), agent ? c.createdBy() : null), phase);
    }
}
