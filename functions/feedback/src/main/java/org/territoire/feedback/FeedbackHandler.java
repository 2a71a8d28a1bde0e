package org.territoire.feedback;

import java.time.Clock;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.CreateServiceCommand;
import org.territoire.feedback.catalogue.ServiceKind;
import org.territoire.feedback.evaluation.EvaluationService;
import org.territoire.feedback.report.ReportService;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.feedback.store.DynamoEvaluationRepository;
import org.territoire.feedback.store.DynamoReportRepository;
import org.territoire.feedback.store.DynamoServiceRepository;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.ApiRequest;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The feedback capability's function: one handler, one route table (the routes are declared
 * in template.yaml too; a contract test keeps both in step).
 */
public final class FeedbackHandler extends ApiHandler implements Resource {
    static final String TABLE_VARIABLE = "FEEDBACK_TABLE";

    private final CatalogueService catalogue;
    private final EvaluationService evaluations;
    private final ReportService reports;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public FeedbackHandler() {
        this(Wiring.fromEnvironment());
    }

    private FeedbackHandler(Wiring wiring) {
        this(wiring.catalogue(), wiring.evaluations(), wiring.reports(), wiring.idempotency());
        Core.getGlobalContext().register(this);
    }

    /** For tests: the services and stores to use. */
    public FeedbackHandler(CatalogueService catalogue, EvaluationService evaluations, ReportService reports,
                           IdempotencyStore idempotency) {
        super(new Router(), idempotency);
        this.catalogue = catalogue;
        this.evaluations = evaluations;
        this.reports = reports;
        router().post("/services", this::createService)
                .get("/services", this::listServices)
                .get("/services/{serviceId}", this::getService)
                .post("/services/{serviceId}/evaluations", r -> {
                    var e = evaluations.evaluate(r.caller(), r.path("serviceId"), r.body(EvaluationService.EvaluationCommand.class));
                    return ApiResponse.created(e, "/services/" + e.serviceId() + "/evaluations/mine");
                })
                .get("/services/{serviceId}/evaluations", this::listEvaluations)
                .get("/services/{serviceId}/evaluations/mine", r -> ApiResponse.ok(evaluations.mine(r.caller(), r.path("serviceId"))))
                .put("/services/{serviceId}/evaluations/mine", r -> ApiResponse.ok(
                        evaluations.change(r.caller(), r.path("serviceId"), r.body(EvaluationService.EvaluationCommand.class))))
                .delete("/services/{serviceId}/evaluations/mine", r -> {
                    evaluations.withdraw(r.caller(), r.path("serviceId"));
                    return ApiResponse.noContent();
                })
                .post("/services/{serviceId}/evaluations/{authorId}/reply", r -> ApiResponse.ok(evaluations.reply(
                        r.caller(), r.path("serviceId"), r.path("authorId"), r.body(ReplyCommand.class).reply())))
                .post("/services/{serviceId}/evaluations/{authorId}/hide", r -> {
                    evaluations.hide(r.caller(), r.path("serviceId"), r.path("authorId"), r.body(HideCommand.class).reason());
                    return ApiResponse.noContent();
                })
                .post("/reports", r -> {
                    var report = reports.report(r.caller(), r.body(ReportService.NewReport.class));
                    return ApiResponse.created(report, "/reports/" + report.id());
                })
                .get("/reports/mine", r -> ApiResponse.ok(reports.mine(r.caller(), r.intQuery("limit", 20, 1, 100), r.query("nextToken"))))
                .get("/reports/nearby", this::nearbyReports)
                .get("/reports/{reportId}", r -> {
                    r.caller();
                    return ApiResponse.ok(reports.view(r.path("reportId")));
                })
                .post("/reports/{reportId}/status", r -> ApiResponse.ok(
                        reports.changeStatus(r.caller(), r.path("reportId"), r.body(ReportService.NewStatus.class))))
                .post("/reports/{reportId}/follow", r -> {
                    reports.follow(r.caller(), r.path("reportId"));
                    return ApiResponse.noContent();
                })
                .get("/organisations/{organisationId}/reports", r -> ApiResponse.ok(reports.ofOrganisation(r.caller(),
                        r.path("organisationId"), r.enumQuery("status", ReportStatus.class).orElse(ReportStatus.OPEN),
                        r.intQuery("limit", 20, 1, 100), r.query("nextToken"))));
    }

    private ApiResponse nearbyReports(ApiRequest r) {
        r.caller();
        String serviceId = r.query("serviceId").orElseThrow(() -> org.territoire.shared.error.ApiException.badRequest("serviceId", "is required"));
        return ApiResponse.ok(Map.of("radiusMetres", ReportService.NEARBY_METRES,
                "items", reports.nearby(serviceId, coordinate(r, "latitude"), coordinate(r, "longitude"))));
    }

    private static double coordinate(ApiRequest r, String name) {
        String raw = r.query(name).orElseThrow(() -> org.territoire.shared.error.ApiException.badRequest(name, "is required"));
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw org.territoire.shared.error.ApiException.badRequest(name, "must be a number");
        }
    }

    record ReplyCommand(String reply) {
    }

    record HideCommand(String reason) {
    }

    private ApiResponse listEvaluations(ApiRequest request) {
        request.caller();
        String serviceId = request.path("serviceId");
        catalogue.get(serviceId);
        var page = evaluations.list(serviceId, request.intQuery("limit", 20, 1, 100), request.query("nextToken"));
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("summary", evaluations.summary(serviceId));
        body.put("items", page.items());
        if (page.nextToken() != null) {
            body.put("nextToken", page.nextToken());
        }
        return ApiResponse.ok(body);
    }

    private ApiResponse createService(ApiRequest request) {
        var service = catalogue.create(request.caller(), request.body(CreateServiceCommand.class));
        return ApiResponse.created(service, "/services/" + service.id());
    }

    private ApiResponse listServices(ApiRequest request) {
        request.caller();
        var page = catalogue.list(request.enumQuery("kind", ServiceKind.class),
                request.intQuery("limit", 20, 1, 100), request.query("nextToken"));
        return ApiResponse.ok(page);
    }

    private ApiResponse getService(ApiRequest request) {
        request.caller();
        var service = catalogue.get(request.path("serviceId"));
        var body = org.territoire.shared.json.Json.MAPPER.valueToTree(service);
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).set("summary",
                org.territoire.shared.json.Json.MAPPER.valueToTree(evaluations.summary(service.id())));
        return ApiResponse.ok(body);
    }

    /** SnapStart: exercise routing, JSON and problem rendering before the snapshot is taken. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        handle(new org.territoire.shared.http.HttpApiEvent("priming", "GET", "/services", Map.of(), Map.of(),
                Map.of(), null, Map.of()));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients re-open their connections on first use.
    }

    private record Wiring(CatalogueService catalogue, EvaluationService evaluations, ReportService reports,
                          IdempotencyStore idempotency) {
        static Wiring fromEnvironment() {
            String table = Env.require(TABLE_VARIABLE);
            DynamoDbClient dynamo = Aws.dynamoDb();
            Clock clock = Clock.systemUTC();
            var tokens = PaginationKey.load();
            var catalogue = new CatalogueService(new DynamoServiceRepository(Aws.enhanced(dynamo), table, tokens), clock);
            var evaluations = new EvaluationService(catalogue, new DynamoEvaluationRepository(dynamo, table, tokens), clock);
            var reports = new ReportService(catalogue, new DynamoReportRepository(dynamo, table, tokens), clock);
            return new Wiring(catalogue, evaluations, reports, new DynamoIdempotencyStore(dynamo, table, clock));
        }
    }
}
