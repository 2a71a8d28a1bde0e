package org.territoire.consultations.consultation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.territoire.shared.page.Page;

/** Consultations, participations and their tallies. */
public interface ConsultationRepository {

    /** A participation as stored under the participant's pseudonym; the answers only when they may change. */
    record Participation(Instant at, Ballot ballot, Set<String> counters, List<String> textIds, long version) {
    }

    /** Sums of the tally shards: participants and every counter. */
    record Tallies(long participants, Map<String, Long> counters) {
    }

    void create(Consultation consultation);

    Optional<Consultation> find(String id);

    /** Replaces the consultation if it still has {@code expectedVersion} and has not opened at {@code now}. */
    boolean replaceBeforeOpening(Consultation next, long expectedVersion, Instant now);

    /** Marks results published if the consultation closed before {@code now} and they were not yet. */
    boolean publishResults(String id, Instant now);

    Page<Consultation> list(boolean withDrafts, int limit, Optional<String> token);

    /**
     * Records a first participation and adds it to the tallies, in one transaction conditioned
     * on the consultation being open at {@code now} and on no participation under this pseudonym.
     * False when either condition failed; nothing is written then.
     */
    boolean participate(Consultation c, String pseudonym, Ballot ballot, boolean keepAnswers, Instant now);

    /**
     * As {@link #participate(Consultation, String, Ballot, boolean, Instant)}, in the name of this
     * account: refused with {@link org.territoire.shared.error.DomainError.Forbidden} when the
     * account was erased meanwhile (its token outlived it), in the same transaction.
     */
    default boolean participate(Consultation c, String accountId, String pseudonym, Ballot ballot, boolean keepAnswers, Instant now) {
        return participate(c, pseudonym, ballot, keepAnswers, now);
    }

    /** Replaces a participation that still has {@code before}'s version, moving the tallies, in one transaction. */
    boolean changeParticipation(Consultation c, String pseudonym, Participation before, Ballot after, Instant now);

    Optional<Participation> participation(String consultationId, String pseudonym);

    Tallies tallies(String consultationId);

    /** Free-text answers to a question, at most {@code max}, in no particular order. */
    List<String> texts(String consultationId, String questionId, int max);
}
