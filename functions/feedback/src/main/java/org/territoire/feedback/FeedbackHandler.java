package org.territoire.feedback;

import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.CreateServiceCommand;
import org.territoire.feedback.catalogue.ServiceKind;
import org.territoire.feedback.evaluation.EvaluationService;
import org.territoire.feedback.open311.ClientKeys;
import org.territoire.feedback.open311.Open311Api;
import org.territoire.feedback.photo.PhotoApiHandler;
import org.territoire.feedback.photo.PhotoService;
import org.territoire.feedback.report.ReportService;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.ApiRequest;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.identity.Role;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.IdempotencyStore;

/**
 * The feedback capability's function: one handler, one route table (the routes are declared
 * in template.yaml too; a contract test keeps both in step).
 */
public final class FeedbackHandler extends ApiHandler implements Resource {
    /** Who files and evaluates: residents. Who runs services and answers: their operators and the authority. */
    private static final Access RESIDENTS = Access.roles(Role.RESIDENT);
    private static final Access OPERATORS = Access.roles(Role.PROVIDER, Role.AGENT, Role.ADMIN);
    private static final Access AGENTS = Access.roles(Role.AGENT, Role.ADMIN);

    private final CatalogueService catalogue;
    private final EvaluationService evaluations;
    private final ReportService reports;
    private final ClientKeys clientKeys;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public FeedbackHandler() {
        this(Wiring.fromEnvironment());
    }

    private FeedbackHandler(Wiring wiring) {
        this(wiring.catalogue(), wiring.evaluations(), wiring.reports(), wiring.clientKeys(), wiring.open311(),
                wiring.idempotency(), wiring.photos(), wiring.loop());
        Core.getGlobalContext().register(this);
    }

    /** For tests: the services, the Open311 edge and the idempotency port to use. */
    public FeedbackHandler(CatalogueService catalogue, EvaluationService evaluations, ReportService reports,
                           ClientKeys clientKeys, Open311Api open311, IdempotencyStore idempotency, PhotoService photos) {
        this(catalogue, evaluations, reports, clientKeys, open311, idempotency, photos, null);
    }

    /** For tests: the same, with the closing-loop routes when {@code loop} is given. */
    public FeedbackHandler(CatalogueService catalogue, EvaluationService evaluations, ReportService reports,
                           ClientKeys clientKeys, Open311Api open311, IdempotencyStore idempotency, PhotoService photos,
                           org.territoire.feedback.loop.LoopService loop) {
        super(new Router(), idempotency);
        this.catalogue = catalogue;
        this.evaluations = evaluations;
        this.reports = reports;
        this.clientKeys = clientKeys;
        open311.register(router());
        if (loop != null) {
            // Before /reports/{reportId}: the first matching route wins.
            org.territoire.feedback.loop.LoopHandler.register(router(), loop);
        }
        PhotoApiHandler.register(router(), photos);
        router().post("/services", OPERATORS, this::createService)
                .get("/services", Access.SIGNED_IN, this::listServices)
                .get("/services/{serviceId}", Access.SIGNED_IN, this::getService)
                .put("/services/{serviceId}", OPERATORS, r -> ApiResponse.ok(Views.of(catalogue.update(r.caller(), r.path("serviceId"),
                        r.body(CreateServiceCommand.class)))))
                .delete("/services/{serviceId}", OPERATORS, r -> ApiResponse.ok(Views.of(catalogue.retire(r.caller(), r.path("serviceId")))))
                .post("/services/{serviceId}/evaluations", RESIDENTS, r -> {
                    var e = evaluations.evaluate(r.caller(), r.path("serviceId"), r.body(EvaluationService.EvaluationCommand.class));
                    return ApiResponse.created(e, "/services/" + e.serviceId() + "/evaluations/mine");
                })
                .get("/services/{serviceId}/evaluations", Access.SIGNED_IN, r -> ApiResponse.ok(evaluations.page(r.caller(),
                        r.path("serviceId"), r.intQuery("limit", 20, 1, 100), r.query("nextToken"))))
                .get("/services/{serviceId}/evaluations/mine", RESIDENTS, r -> ApiResponse.ok(evaluations.mine(r.caller(), r.path("serviceId"))))
                .put("/services/{serviceId}/evaluations/mine", RESIDENTS, r -> ApiResponse.ok(
                        evaluations.change(r.caller(), r.path("serviceId"), r.body(EvaluationService.EvaluationCommand.class))))
                .delete("/services/{serviceId}/evaluations/mine", RESIDENTS, r -> {
                    evaluations.withdraw(r.caller(), r.path("serviceId"));
                    return ApiResponse.noContent();
                })
                .post("/services/{serviceId}/evaluations/{authorId}/reply", OPERATORS, r -> ApiResponse.ok(evaluations.reply(
                        r.caller(), r.path("serviceId"), r.path("authorId"), r.body(ReplyCommand.class).reply())))
                .post("/services/{serviceId}/evaluations/{authorId}/hide", AGENTS, r -> {
                    evaluations.hide(r.caller(), r.path("serviceId"), r.path("authorId"), r.body(HideCommand.class).reason());
                    return ApiResponse.noContent();
                })
                .post("/reports", RESIDENTS, r -> {
                    var report = reports.report(r.caller(), r.body(ReportService.NewReport.class));
                    return ApiResponse.created(Views.of(report), "/reports/" + report.id());
                })
                .get("/reports", Access.ANYONE, this::reportsInArea)
                .get("/reports/mine", r -> ApiResponse.ok(reports.mine(r.caller(), r.intQuery("limit", 20, 1, 100), r.query("nextToken"))
                        .map(Views::of)))
                .get("/reports/nearby", Access.SIGNED_IN, this::nearbyReports)
                .get("/reports/{reportId}", Access.SIGNED_IN, r -> ApiResponse.ok(Views.of(reports.view(r.caller(), r.path("reportId")),
                        photos.published(r.path("reportId")))))
                .post("/reports/{reportId}/status", OPERATORS, r -> ApiResponse.ok(
                        Views.of(reports.changeStatus(r.caller(), r.path("reportId"), r.body(ReportService.NewStatus.class)))))
                .action("/reports/{reportId}/follow", Access.MEMBERS, r -> {
                    reports.follow(r.caller(), r.path("reportId"));
                    return ApiResponse.noContent();
                })
                .get("/organisations/{organisationId}/reports", OPERATORS, r -> ApiResponse.ok(reports.ofOrganisation(r.caller(),
                        r.path("organisationId"), r.enumQuery("status", ReportStatus.class).orElse(ReportStatus.OPEN),
                        r.intQuery("limit", 20, 1, 100), r.query("nextToken")).map(Views::of)))
                .post("/organisations/{organisationId}/open311-keys", OPERATORS, r -> {
                    var issued = clientKeys.issue(r.caller(), r.path("organisationId"), r.body(ClientKeys.NewKey.class));
                    return ApiResponse.createdWithSecret(issued, "/organisations/" + issued.key().organisationId() + "/open311-keys",
                            "apiKey");
                })
                .get("/organisations/{organisationId}/open311-keys", OPERATORS, r -> ApiResponse.ok(
                        clientKeys.list(r.caller(), r.path("organisationId"))))
                .delete("/organisations/{organisationId}/open311-keys/{keyId}", OPERATORS, r -> {
                    clientKeys.revoke(r.caller(), r.path("organisationId"), r.path("keyId"));
                    return ApiResponse.noContent();
                });
    }

    /**
     * Public reports for a map: {@code bbox=west,south,east,north} in degrees (the GeoJSON order),
     * the open ones unless {@code status} lists others. Anonymous, and without authors.
     */
    private ApiResponse reportsInArea(ApiRequest r) {
        String raw = r.query("bbox").orElseThrow(() -> DomainError.invalid("bbox", "is required: west,south,east,north in degrees"));
        String[] parts = raw.split(",");
        double[] box = new double[4];
        try {
            if (parts.length != 4) {
                throw new NumberFormatException();
            }
            for (int i = 0; i < 4; i++) {
                box[i] = Double.parseDouble(parts[i].strip());
            }
        } catch (NumberFormatException e) {
            throw DomainError.invalid("bbox", "must be four numbers: west,south,east,north in degrees");
        }
        java.util.Set<ReportStatus> statuses = java.util.EnumSet.noneOf(ReportStatus.class);
        for (String status : r.query("status").map(s -> s.split(",")).orElse(new String[0])) {
            try {
                statuses.add(ReportStatus.valueOf(status.strip().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw DomainError.invalid("status", "must list statuses among " + java.util.Arrays.toString(ReportStatus.values()));
            }
        }
        return ApiResponse.ok(reports.inArea(new ReportService.Area(box[1], box[0], box[3], box[2]), statuses,
                r.intQuery("limit", 100, 1, 500), r.query("nextToken")).map(Views::of));
    }

    private ApiResponse nearbyReports(ApiRequest r) {
        r.requireSignedIn();
        String serviceId = r.query("serviceId").orElseThrow(() -> DomainError.invalid("serviceId", "is required"));
        return ApiResponse.ok(Views.of(reports.nearby(serviceId, coordinate(r, "latitude"), coordinate(r, "longitude"))));
    }

    private static double coordinate(ApiRequest r, String name) {
        String raw = r.query(name).orElseThrow(() -> DomainError.invalid(name, "is required"));
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw DomainError.invalid(name, "must be a number");
        }
    }

    record ReplyCommand(String reply) {
    }

    record HideCommand(String reason) {
    }

    private ApiResponse createService(ApiRequest request) {
        var service = catalogue.create(request.caller(), request.body(CreateServiceCommand.class));
        return ApiResponse.created(Views.of(service), "/services/" + service.id());
    }

    private ApiResponse listServices(ApiRequest request) {
        request.requireSignedIn();
        var page = catalogue.list(request.enumQuery("kind", ServiceKind.class),
                request.intQuery("limit", 20, 1, 100), request.query("nextToken"));
        return ApiResponse.ok(page.map(Views::of));
    }

    private ApiResponse getService(ApiRequest request) {
        request.requireSignedIn();
        return ApiResponse.ok(Views.of(evaluations.details(request.path("serviceId"))));
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
