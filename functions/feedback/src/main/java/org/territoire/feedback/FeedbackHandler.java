package org.territoire.feedback;

import java.time.Clock;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.CreateServiceCommand;
import org.territoire.feedback.catalogue.ServiceKind;
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

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public FeedbackHandler() {
        this(Wiring.fromEnvironment());
    }

    private FeedbackHandler(Wiring wiring) {
        this(wiring.catalogue(), wiring.idempotency());
        Core.getGlobalContext().register(this);
    }

    /** For tests: the services and stores to use. */
    public FeedbackHandler(CatalogueService catalogue, IdempotencyStore idempotency) {
        super(new Router(), idempotency);
        this.catalogue = catalogue;
        router().post("/services", this::createService)
                .get("/services", this::listServices)
                .get("/services/{serviceId}", this::getService);
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
        return ApiResponse.ok(catalogue.get(request.path("serviceId")));
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

    private record Wiring(CatalogueService catalogue, IdempotencyStore idempotency) {
        static Wiring fromEnvironment() {
            String table = Env.require(TABLE_VARIABLE);
            DynamoDbClient dynamo = Aws.dynamoDb();
            Clock clock = Clock.systemUTC();
            var repository = new DynamoServiceRepository(Aws.enhanced(dynamo), table, PaginationKey.load());
            return new Wiring(new CatalogueService(repository, clock), new DynamoIdempotencyStore(dynamo, table, clock));
        }
    }
}
