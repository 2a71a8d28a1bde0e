package org.territoire.consultations.consultation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.territoire.shared.identity.Caller;

/**
 * A consultation of the residents by the local authority. {@code scheduled} is the agent's
 * decision; the phase follows from it and the clock. {@code districts} empty means the whole
 * territory.
 */
public record Consultation(String id, String title, String description, Kind kind, List<String> districts,
                           Instant opensAt, Instant closesAt, boolean scheduled, Instant resultsPublishedAt,
                           boolean liveResults, boolean allowChange, Integer supportThreshold, String serviceId,
                           List<Question> questions, Instant createdAt, String createdBy, long version) {

    public Consultation {
        districts = List.copyOf(districts);
        questions = questions == null ? List.of() : List.copyOf(questions);
    }

    public Phase phase(Instant now) {
        if (!scheduled) {
            return Phase.DRAFT;
        }
        if (now.isBefore(opensAt)) {
            return Phase.SCHEDULED;
        }
        if (now.isBefore(closesAt)) {
            return Phase.OPEN;
        }
        return resultsPublishedAt == null ? Phase.CLOSED : Phase.RESULTS_PUBLISHED;
    }

    /** Why this caller may not take part, if they may not: residents of the consultation's districts only. */
    public Optional<String> whyNotEligible(Caller caller) {
        if (!caller.has(org.territoire.shared.identity.Role.RESIDENT)) {
            return Optional.of("only residents take part in consultations");
        }
        if (districts.isEmpty()) {
            return Optional.empty();
        }
        return caller.district().filter(districts::contains).isPresent() ? Optional.empty()
                : Optional.of("this consultation is for residents of " + String.join(", ", districts)
                        + "; your account's district is " + caller.district().orElse("not set"));
    }

    public Optional<Question> question(String questionId) {
        return questions.stream().filter(q -> q.id().equals(questionId)).findFirst();
    }

    /** This consultation, scheduled, as its next version. */
    public Consultation scheduledVersion() {
        return new Consultation(id, title, description, kind, districts, opensAt, closesAt, true, null,
                liveResults, allowChange, supportThreshold, serviceId, questions, createdAt, createdBy, version + 1);
    }
}
