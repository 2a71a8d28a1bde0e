package org.territoire.consultations;

import org.territoire.consultations.consultation.Consultation;
import org.territoire.consultations.consultation.ConsultationService;
import org.territoire.consultations.consultation.Kind;
import org.territoire.consultations.consultation.Results;
import org.territoire.consultations.proposal.ProposalService;
import org.territoire.shared.identity.Caller;

/**
 * What {@code GET /consultations/{id}/results} answers, once the caller may see it: a poll's or
 * an experiment's counts per question ({@link Results}), a proposals consultation's ranking
 * ({@link ProposalService.Ranking}). The one place that knows both kinds of results.
 */
public final class ConsultationResults {
    private final ConsultationService consultations;
    private final ProposalService proposals;

    public ConsultationResults(ConsultationService consultations, ProposalService proposals) {
        this.consultations = consultations;
        this.proposals = proposals;
    }

    /** A {@link Results} or a {@link ProposalService.Ranking}, by the consultation's kind. */
    public Object of(Caller caller, String consultationId) {
        Consultation c = consultations.withVisibleResults(caller, consultationId);
        return c.kind() == Kind.PROPOSALS ? proposals.ranking(c) : consultations.results(c, true);
    }
}
