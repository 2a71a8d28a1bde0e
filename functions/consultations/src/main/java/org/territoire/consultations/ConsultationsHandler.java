package org.territoire.consultations;

import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.consultations.consultation.ConsultationService;
import org.territoire.consultations.consultation.Consultation;
import org.territoire.consultations.consultation.OpenData;
import org.territoire.consultations.proposal.ProposalService;
import org.territoire.shared.config.Env;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.ApiRequest;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.http.Router;
import org.territoire.shared.identity.Role;
import org.territoire.shared.idempotency.IdempotencyStore;

/**
 * The consultations capability's function: polls, proposals and experiments, participation,
 * moderation, results and their open-data export; participatory budgets ({@code /budgets}, see
 * {@link org.territoire.consultations.budget.BudgetRoutes}). Routes are declared in template.yaml too.
 */
public final class ConsultationsHandler extends ApiHandler implements Resource {
    /** Residents take part (their district decides where); the authority runs the consultations and moderates. */
    private static final Access RESIDENTS = Access.roles(Role.RESIDENT);
    private static final Access AGENTS = Access.roles(Role.AGENT, Role.ADMIN);
    private static final String ONE = "/consultations/{consultationId}";
    private static final String PROPOSAL = ONE + "/proposals/{proposalId}";

    private final ConsultationService consultations;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public ConsultationsHandler() {
        this(Wiring.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    private ConsultationsHandler(Wiring wiring) {
        this(wiring.consultations(), wiring.proposals(), wiring.idempotency());
        org.territoire.consultations.budget.BudgetRoutes.register(router(), wiring.budgets());
    }

    /** For tests: as below, with the participatory budgets' routes too. */
    public ConsultationsHandler(ConsultationService consultations, ProposalService proposals,
                                org.territoire.consultations.budget.BudgetService budgets, IdempotencyStore idempotency) {
        this(consultations, proposals, idempotency);
        org.territoire.consultations.budget.BudgetRoutes.register(router(), budgets);
    }

    /** For tests: the services and the idempotency store to use. */
    public ConsultationsHandler(ConsultationService consultations, ProposalService proposals, IdempotencyStore idempotency) {
        super(new Router(), idempotency);
        this.consultations = consultations;
        ConsultationResults results = new ConsultationResults(consultations, proposals);
        router().post("/consultations", AGENTS, r -> {
                    var view = consultations.create(r.caller(), r.body(ConsultationService.ConsultationCommand.class));
                    return ApiResponse.created(view, "/consultations/" + view.consultation().id());
                })
                .get("/consultations", Access.SIGNED_IN, r -> ApiResponse.ok(consultations.list(r.caller(), r.intQuery("limit", 20, 1, 100), r.query("nextToken"))))
                .get(ONE, Access.SIGNED_IN, r -> ApiResponse.ok(consultations.get(r.caller(), r.path("consultationId"))))
                .put(ONE, AGENTS, r -> ApiResponse.ok(consultations.replace(r.caller(), r.path("consultationId"),
                        r.body(ConsultationService.ConsultationCommand.class))))
                .action(ONE + "/schedule", AGENTS, r -> ApiResponse.ok(consultations.schedule(r.caller(), r.path("consultationId"))))
                .action(ONE + "/publish-results", AGENTS, r -> ApiResponse.ok(consultations.publishResults(r.caller(), r.path("consultationId"))))
                .post(ONE + "/participation", RESIDENTS, r -> ApiResponse.created(consultations.participate(r.caller(), r.path("consultationId"),
                        r.body(ConsultationService.ParticipationCommand.class)), "/consultations/" + r.path("consultationId") + "/participation"))
                .put(ONE + "/participation", RESIDENTS, r -> ApiResponse.ok(consultations.change(r.caller(), r.path("consultationId"),
                        r.body(ConsultationService.ParticipationCommand.class))))
                .get(ONE + "/participation", RESIDENTS, r -> ApiResponse.ok(consultations.mine(r.caller(), r.path("consultationId"))))
                .get(ONE + "/results", Access.SIGNED_IN, r -> ApiResponse.ok(results.of(r.caller(), r.path("consultationId"))))
                .get(ONE + "/export", Access.SIGNED_IN, this::export)
                .post(ONE + "/proposals", RESIDENTS, r -> {
                    var p = proposals.submit(r.caller(), r.path("consultationId"), r.body(ProposalService.ProposalCommand.class));
                    return ApiResponse.created(p, "/consultations/" + p.consultationId() + "/proposals/" + p.id());
                })
                .get(ONE + "/proposals", Access.SIGNED_IN, r -> ApiResponse.ok(proposals.list(r.caller(), r.path("consultationId"),
                        r.query("needsAnswer").map(Boolean::parseBoolean).orElse(false))))
                .get(PROPOSAL, Access.SIGNED_IN, r -> ApiResponse.ok(proposals.get(r.caller(), r.path("consultationId"), r.path("proposalId"))))
                .put(PROPOSAL, RESIDENTS, r -> ApiResponse.ok(proposals.edit(r.caller(), r.path("consultationId"), r.path("proposalId"),
                        r.body(ProposalService.ProposalCommand.class))))
                .action(PROPOSAL + "/support", RESIDENTS, r -> ApiResponse.ok(proposals.support(r.caller(), r.path("consultationId"), r.path("proposalId"))))
                .delete(PROPOSAL + "/support", RESIDENTS, r -> {
                    proposals.unsupport(r.caller(), r.path("consultationId"), r.path("proposalId"));
                    return ApiResponse.noContent();
                })
                .post(PROPOSAL + "/comments", Access.MEMBERS, r -> ApiResponse.created(proposals.comment(r.caller(), r.path("consultationId"),
                        r.path("proposalId"), r.body(ProposalService.CommentCommand.class)),
                        "/consultations/" + r.path("consultationId") + "/proposals/" + r.path("proposalId") + "/comments"))
                .get(PROPOSAL + "/comments", Access.SIGNED_IN, r -> ApiResponse.ok(proposals.comments(r.caller(), r.path("consultationId"),
                        r.path("proposalId"), r.intQuery("limit", 50, 1, 200), r.query("nextToken"))))
                .post(PROPOSAL + "/answer", AGENTS, r -> ApiResponse.ok(proposals.answer(r.caller(), r.path("consultationId"), r.path("proposalId"),
                        r.body(ProposalService.AnswerCommand.class))))
                .action(PROPOSAL + "/flag", Access.MEMBERS, r -> {
                    proposals.flag(r.caller(), r.path("consultationId"), r.path("proposalId"), null);
                    return ApiResponse.noContent();
                })
                .post(PROPOSAL + "/hide", AGENTS, r -> {
                    proposals.hide(r.caller(), r.path("consultationId"), r.path("proposalId"), null,
                            r.body(ProposalService.HideCommand.class));
                    return ApiResponse.noContent();
                })
                .action(PROPOSAL + "/comments/{commentId}/flag", Access.MEMBERS, r -> {
                    proposals.flag(r.caller(), r.path("consultationId"), r.path("proposalId"), r.path("commentId"));
                    return ApiResponse.noContent();
                })
                .post(PROPOSAL + "/comments/{commentId}/hide", AGENTS, r -> {
                    proposals.hide(r.caller(), r.path("consultationId"), r.path("proposalId"), r.path("commentId"),
                            r.body(ProposalService.HideCommand.class));
                    return ApiResponse.noContent();
                });
    }

    /**
     * Anonymised results for open-data portals, never the free texts: {@code format=csv}
     * (default, RFC 4180), {@code csv-fr} (for a French spreadsheet), {@code json}, or
     * {@code metadata} (the DCAT description of the three, see {@link OpenData}).
     */
    private ApiResponse export(ApiRequest r) {
        String format = r.query("format").orElse("csv");
        if (!java.util.List.of("csv", "csv-fr", "json", "metadata").contains(format)) {
            throw DomainError.invalid("format", "must be csv, csv-fr, json or metadata");
        }
        var results = consultations.export(r.caller(), r.path("consultationId"));
        String file = "consultation-" + results.consultationId();
        return switch (format) {
            case "csv" -> csv(OpenData.csv(results, OpenData.Dialect.RFC4180), file + ".csv");
            case "csv-fr" -> csv(OpenData.csv(results, OpenData.Dialect.EXCEL_FR), file + "-tableur.csv");
            case "json" -> ApiResponse.ok(results);
            default -> {
                Consultation c = consultations.withVisibleResults(r.caller(), results.consultationId());
                yield ApiResponse.json(200, OpenData.metadata(c, results, exportUrl(r, c), Env.getOrDefault("TERRITORY_NAME", "Territoire"),
                        java.time.Instant.now())).withHeader("content-type", "application/ld+json");
            }
        };
    }

    private static ApiResponse csv(byte[] bytes, String filename) {
        return ApiResponse.text(200, "text/csv; charset=utf-8", new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                .withHeader("content-disposition", "attachment; filename=\"" + filename + "\"");
    }

    /** The export's absolute URL, as the client reached it (API Gateway sets Host and X-Forwarded-Proto). */
    private static String exportUrl(ApiRequest r, Consultation c) {
        String host = r.header("host");
        String proto = r.header("x-forwarded-proto");
        String base = host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}") ? "https://localhost"
                : ("http".equals(proto) ? "http://" : "https://") + host;
        return base + "/consultations/" + c.id() + "/export";
    }

    /** SnapStart: serve the real path of a request, read-only, before the snapshot is taken (see Priming). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.prime(this);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients re-open their connections on first use.
    }
}
