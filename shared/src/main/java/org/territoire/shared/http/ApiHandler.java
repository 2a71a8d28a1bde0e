package org.territoire.shared.http;

import org.territoire.shared.identity.Caller;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.crypto.Hashes;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Logging;
import org.territoire.shared.observability.Observability;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The edge of every HTTP function: payload 2.0 event in, response out. It routes, resolves
 * the caller from the verified JWT claims, applies Idempotency-Key to POSTs, and turns every
 * failure into problem+json: a client never sees a stack trace or a bare 500.
 * Capability handlers only declare their route table.
 */
public abstract class ApiHandler implements RequestStreamHandler {
    public static final String IDEMPOTENCY_KEY = "idempotency-key";
    /** No command of the API comes near it; the JSON reader refuses longer strings anyway. */
    public static final int MAX_BODY_CHARS = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final Router router;
    private final IdempotencyStore idempotency;

    protected ApiHandler(Router router, IdempotencyStore idempotency) {
        this.router = router;
        this.idempotency = idempotency;
    }

    public Router router() {
        return router;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiResponse response;
        JsonNode raw;
        try {
            raw = Json.event(input);
        } catch (RuntimeException e) {
            raw = null;
        }
        if (raw == null || !raw.isObject()) {
            response = ApiResponse.problem(ApiException.badRequest("event", "is not an API Gateway payload 2.0 event"), null);
        } else {
            JsonNode event = raw;
            response = Logging.withLogging(context, "requestContext.requestId", event,
                    () -> Observability.measured(() -> handle(HttpApiEvent.from(event))));
        }
        String acceptEncoding = raw == null ? null : raw.path("headers").path("accept-encoding").asText(null);
        output.write(Json.write(response.toEvent(acceptEncoding)).getBytes(StandardCharsets.UTF_8));
    }

    /** Serves one event. Public so that tests can drive a handler without streams. */
    public ApiResponse handle(HttpApiEvent event) {
        try {
            Router.Match match = router.match(event.method(), event.path());
            ApiRequest request = new ApiRequest(event, match.pathParameters(), Caller.fromClaims(event.claims()));
            match.route().access().check(request.optionalCaller());
            if (event.body() != null && event.body().length() > MAX_BODY_CHARS) {
                throw ApiException.payloadTooLarge("a request body holds at most " + MAX_BODY_CHARS / 1024 + " KiB");
            }
            if (!match.route().takesBody() && event.body() != null && !event.body().isBlank()) {
                throw ApiException.badRequest("body", "this request takes no body");
            }
            String key = event.header(IDEMPOTENCY_KEY);
            if (match.route().idempotent() && key != null) {
                return idempotent(request, match.route(), key);
            }
            return match.route().handler().handle(request);
        } catch (RuntimeException e) {
            return failure(e, event);
        }
    }

    private ApiResponse idempotent(ApiRequest request, Router.Route route, String key) {
        if (key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw ApiException.badRequest("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        // A verified caller's keys are theirs; on an open route, the credential's (hashed); else one shared scope.
        String caller = request.optionalCaller().map(c -> "caller:" + c.id())
                .orElseGet(() -> route.scope() == null ? "anonymous" : "credential:" + Hashes.sha256Hex(route.scope().of(request)));
        String scopedKey = Hashes.sha256Hex(caller + "\n" + route.routeKey() + "\n" + key);
        String fingerprint = Hashes.sha256Hex(request.event().path() + "\n" + Optional.ofNullable(request.event().body()).orElse(""));
        return switch (idempotency.claim(scopedKey, fingerprint)) {
            case IdempotencyStore.Claim.Completed done -> done.response().withHeader("idempotency-replayed", "true");
            case IdempotencyStore.Claim.InProgress busy ->
                    throw ApiException.conflict("a request with this Idempotency-Key is still in progress; retry later");
            case IdempotencyStore.Claim.Mismatch other ->
                    throw ApiException.unprocessable("this Idempotency-Key was used for a different request");
            case IdempotencyStore.Claim.Started started -> {
                ApiResponse response;
                try {
                    response = route.handler().handle(request);
                } catch (RuntimeException e) {
                    response = failure(e, request.event());
                }
                // Results a retry could change (throttling, outages) are forgotten; the rest are replayed.
                if (response.statusCode() >= 500 || response.statusCode() == 429) {
                    idempotency.release(scopedKey);
                } else {
                    // Only the replayable form is kept: an issued secret is shown once, never stored.
                    idempotency.complete(scopedKey, fingerprint, response.replayable());
                }
                yield response;
            }
        };
    }

    private static ApiResponse failure(RuntimeException e, HttpApiEvent event) {
        // The occurrence is named by its request id (the logs' correlation_id), not by the path:
        // a problem never echoes what the request sent.
        String instance = instance(event);
        if (e instanceof ApiException || e instanceof DomainError) {
            return ApiResponse.problem(ApiException.of(e), instance);
        }
        if (e instanceof StorageException storage && storage.retryable()
                || e instanceof SdkException sdk && sdk.retryable()) {
            LOG.warn("storage unavailable", e);
            return ApiResponse.problem(ApiException.unavailable("storage is busy or unreachable; retry shortly"), instance);
        }
        LOG.error("unexpected failure", e);
        return ApiResponse.problem(new ApiException(500, "internal-error", "Internal error",
                "the request failed unexpectedly; it was logged with id " + event.requestId(),
                java.util.List.of(), java.util.Map.of()), instance);
    }

    /** RFC 9457 {@code instance}: a URN of the request id that API Gateway gave this request. */
    static String instance(HttpApiEvent event) {
        String id = event.requestId();
        return id == null || !id.matches("[A-Za-z0-9=_.:-]{1,100}") ? null : "urn:territoire:request:" + id;
    }
}
