package org.territoire.feedback.evaluation;

import java.util.Optional;
import org.territoire.shared.page.Page;

/** Evaluations and each service's summary; every change moves both in one transaction. */
public interface EvaluationRepository {

    /** Adds a first evaluation; false when the person already evaluated the service. */
    boolean add(Evaluation evaluation);

    /**
     * Replaces the rating and comment if the stored rating is still {@code expectedRating}
     * and the evaluation is not hidden; false otherwise (changed or withdrawn meanwhile).
     */
    boolean change(Evaluation current, int newRating, String newComment, java.time.Instant at);

    /** Withdraws it if its rating is still {@code current.rating()}; false otherwise. */
    boolean withdraw(Evaluation current);

    /** Hides it (leaving the summary) if it is still visible with the same rating; false otherwise. */
    boolean hide(Evaluation current, String reason, java.time.Instant at);

    /** Stores the operator's public reply. False when there is no such evaluation. */
    boolean reply(String serviceId, String authorId, String reply, java.time.Instant at);

    Optional<Evaluation> find(String serviceId, String authorId);

    /** The evaluation whose author has this handle in this service, hidden or not. */
    Optional<Evaluation> findByHandle(String serviceId, String handle);

    /** The service's evaluations stored before handles were (none stored, none indexed), hidden or not. */
    java.util.List<Evaluation> withoutHandle(String serviceId);

    /** Stores and indexes the handle of an evaluation that has none yet; false when it has one (or is gone). */
    boolean assignHandle(Evaluation legacy, String handle);

    /** Visible evaluations, latest first. */
    Page<Evaluation> visible(String serviceId, int limit, Optional<String> pageToken);

    Summary summary(String serviceId);
}
