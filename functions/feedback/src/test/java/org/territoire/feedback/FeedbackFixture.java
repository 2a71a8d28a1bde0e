package org.territoire.feedback;

import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.resident;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.territoire.feedback.open311.BearerTokens;
import org.territoire.feedback.report.ReportService;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.TestRequests;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The feedback function as the handler tests drive it: the real wiring against the local
 * endpoint, a test clock, the fake bearer tokens, and the requests those tests send.
 */
final class FeedbackFixture {
    static final String TABLE = "FeedbackTable";
    /** Where the default test clock starts. */
    static final Instant START = Instant.parse("2026-11-25T09:00:00Z");

    final LocalAws aws;
    final Clock clock;
    final Wiring wiring;
    final FeedbackHandler handler;

    private FeedbackFixture(Clock clock, BearerTokens bearer, Duration contactRetention) {
        this.aws = LocalAws.shared();
        this.clock = clock;
        this.wiring = Wiring.of(aws.dynamoDb(), TABLE, clock, PaginationKey.load(), bearer, contactRetention);
        this.handler = handler(wiring);
    }

    /** The default: a clock that starts at {@link #START} and moves a millisecond at each reading, so that writes keep their order. */
    static FeedbackFixture start() {
        return start(new SteadyClock(START));
    }

    static FeedbackFixture start(Clock clock) {
        return start(clock, TestBearer.FAKE, ReportService.DEFAULT_CONTACT_RETENTION);
    }

    static FeedbackFixture start(Clock clock, BearerTokens bearer, Duration contactRetention) {
        return new FeedbackFixture(clock, bearer, contactRetention);
    }

    /** The handler over these parts, through its test constructor (services and ports only). */
    static FeedbackHandler handler(Wiring w) {
        return new FeedbackHandler(w.catalogue(), w.evaluations(), w.reports(), w.clientKeys(), w.open311(), w.idempotency(), w.photos());
    }

    DynamoDbClient dynamo() {
        return aws.dynamoDb();
    }

    ApiResponse send(String method, String pathAndQuery, Map<String, String> claims, String body) {
        return send(method, pathAndQuery, claims, Map.of(), body);
    }

    ApiResponse send(String method, String pathAndQuery, Map<String, String> claims, Map<String, String> headers, String body) {
        return handler.handle(TestRequests.event(method, pathAndQuery, claims, headers, body));
    }

    /** A new service operated by the organisation, created by an agent; its id. */
    String service(String organisation) {
        ApiResponse created = send("POST", "/services", agent(), Json.write(Map.of("name", "Tested " + UUID.randomUUID(),
                "kind", "TERRITORIAL", "category", "waste-management", "organisationId", organisation, "districts", List.of("centre"))));
        if (created.statusCode() != 201) {
            throw new AssertionError("creating a service: " + created.statusCode() + " " + created.body());
        }
        return Json.tree(created.body()).path("id").asText();
    }

    ApiResponse rate(String user, String service, int rating) {
        return send("POST", "/services/" + service + "/evaluations", resident(user), "{\"rating\":" + rating + "}");
    }

    /** The author's handle in that service, as their own evaluation shows it. */
    String handle(String service, String author) {
        return Json.tree(send("GET", "/services/" + service + "/evaluations/mine", resident(author), null).body())
                .path("handle").asText();
    }

    ApiResponse open311Post(String form, String authorization) {
        return open311Post(form, authorization, Map.of());
    }

    ApiResponse open311Post(String form, String authorization, Map<String, String> moreHeaders) {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/x-www-form-urlencoded"));
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        headers.putAll(moreHeaders);
        return send("POST", "/open311/v2/requests.json", Map.of(), headers, form);
    }

    /** A form body from name, value pairs. */
    static String form(String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** A test clock: from a fixed instant, a millisecond later at each reading, whatever the wall clock says. */
    static final class SteadyClock extends Clock {
        private final AtomicLong millis;

        SteadyClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.getAndIncrement());
        }
    }
}
