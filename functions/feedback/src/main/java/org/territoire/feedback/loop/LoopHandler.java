package org.territoire.feedback.loop;

import java.time.Instant;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.Router;
import org.territoire.shared.identity.Role;

/**
 * The closing-the-loop routes, added to the feedback function's route table (before its
 * {@code /reports/{reportId}}, so that {@code /reports/stats} is not taken for a report's id),
 * and what they answer: records of the API's own shape (docs/api.md).
 */
public final class LoopHandler {
    private static final Access RESIDENTS = Access.roles(Role.RESIDENT);
    private static final Access OPERATORS = Access.roles(Role.PROVIDER, Role.AGENT, Role.ADMIN);

    record CheckView(String reportId, String state, Instant resolvedAt, Instant dueAt, String answer, String comment,
                     Instant answeredAt) {
    }

    record ReopenRequestView(String reportId, String requesterId, String reason, String state, Instant requestedAt,
                             String answeredBy, String answer, Instant answeredAt) {
    }

    private LoopHandler() {
    }

    public static void register(Router router, LoopService loop) {
        // Anonymous, as the map is: figures of the operators' work, nobody's data (throttled in template.yaml).
        router.get("/reports/stats", Access.ANYONE, r -> ApiResponse.ok(loop.stats().orElseGet(() ->
                        new ReportStats(null, null, null, java.util.List.of(), java.util.List.of()))))
                .get("/reports/{reportId}/resolution-check", Access.MEMBERS, r -> ApiResponse.ok(view(loop.check(r.caller(),
                        r.path("reportId")))))
                .post("/reports/{reportId}/resolution-check", RESIDENTS, r -> ApiResponse.ok(view(loop.answer(r.caller(),
                        r.path("reportId"), r.body(LoopService.CheckAnswer.class)))))
                .post("/reports/{reportId}/reopen-requests", RESIDENTS, r -> {
                    ReopenRequest q = loop.requestReopen(r.caller(), r.path("reportId"), r.body(LoopService.NewReopenRequest.class));
                    return ApiResponse.created(view(q), "/reports/" + q.reportId() + "/reopen-requests");
                })
                .get("/reports/{reportId}/reopen-requests", Access.MEMBERS, r -> ApiResponse.ok(java.util.Map.of("items",
                        loop.requests(r.caller(), r.path("reportId")).stream().map(LoopHandler::view).toList())))
                .post("/reports/{reportId}/reopen-requests/{requesterId}/decision", OPERATORS, r -> ApiResponse.ok(view(loop.decide(
                        r.caller(), r.path("reportId"), r.path("requesterId"), r.body(LoopService.ReopenDecision.class)))))
                .get("/organisations/{organisationId}/reopen-requests", OPERATORS, r -> ApiResponse.ok(loop.pending(r.caller(),
                        r.path("organisationId"), r.intQuery("limit", 20, 1, 100), r.query("nextToken")).map(LoopHandler::view)));
    }

    static CheckView view(ResolutionCheck c) {
        return new CheckView(c.reportId(), c.state().name(), c.resolvedAt(), c.dueAt(), c.answer() == null ? null : c.answer().name(),
                c.comment(), c.answeredAt());
    }

    static ReopenRequestView view(ReopenRequest q) {
        return new ReopenRequestView(q.reportId(), q.requesterId(), q.reason(), q.state().name(), q.requestedAt(), q.answeredBy(),
                q.answer(), q.answeredAt());
    }
}
