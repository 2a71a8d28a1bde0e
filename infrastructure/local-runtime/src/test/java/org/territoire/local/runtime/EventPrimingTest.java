package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.config.Env;
import org.territoire.shared.observability.EventPriming;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every event and schedule function's SnapStart hook, run against the local endpoint as Lambda
 * runs it before the snapshot: it reads (each hook's DynamoDB operations are recorded by a
 * forwarding proxy in front of the endpoint, and a function with a table makes at least one call),
 * and it leaves nothing: no DynamoDB operation but reads, no S3 request but reads (GET, HEAD, through
 * the same kind of proxy), every table item for item as before, and not one request to the services
 * whose every call is an effect (EventBridge, SES, IoT's data plane), which point at a recorder here.
 */
class EventPrimingTest {
    /** The DynamoDB operations that change nothing. */
    private static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan", "DescribeTable");
    /** The services whose every call is an effect of these functions (a publication, a mail, an object, a message). */
    private static final List<String> EFFECTS = List.of("AWS_ENDPOINT_URL_EVENTBRIDGE", "AWS_ENDPOINT_URL_SESV2", "IOT_DATA_ENDPOINT");

    private static LocalAws aws;
    private static HttpServer server;
    private static final List<String> dynamoCalls = new CopyOnWriteArrayList<>();
    private static final List<String> s3Calls = new CopyOnWriteArrayList<>();
    private static final List<String> effectCalls = new CopyOnWriteArrayList<>();
    private static final Map<String, String> restore = new HashMap<>();

    @BeforeAll
    static void pointTheEffectsAtARecorder() throws IOException {
        aws = LocalAws.shared();
        HttpClient forward = HttpClient.newHttpClient();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/dynamodb", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            dynamoCalls.add(target == null ? "?" : target.substring(target.indexOf('.') + 1));
            forward(exchange, forward, "AWS_ENDPOINT_URL_DYNAMODB", "/dynamodb");
        });
        server.createContext("/s3", exchange -> {
            s3Calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            forward(exchange, forward, "AWS_ENDPOINT_URL_S3", "/s3");
        });
        server.createContext("/effects", exchange -> {
            effectCalls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> env = aws.environment();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String name : EFFECTS) {
            restore.put(name, env.getOrDefault(name, name.startsWith("AWS_ENDPOINT_URL") ? env.get("AWS_ENDPOINT_URL") : ""));
            overrides.put(name, base + "/effects");
        }
        for (String proxied : List.of("DYNAMODB", "S3")) {
            restore.put("AWS_ENDPOINT_URL_" + proxied, env.getOrDefault("AWS_ENDPOINT_URL_" + proxied, env.get("AWS_ENDPOINT_URL")));
            overrides.put("AWS_ENDPOINT_URL_" + proxied, base + "/" + proxied.toLowerCase());
        }
        Env.override(overrides);
    }

    @AfterAll
    static void restoreTheEndpoints() {
        Env.override(restore);
        server.stop(0);
    }

    @Test
    void everyEventAndScheduleFunction_primesItsRealReads_andLeavesNoItemNoEventNoMail() throws Exception {
        Map<String, List<String>> before = tables();
        List<String> primed = new ArrayList<>();
        List<SamTemplate.Function> functions = aws.template().functions().stream().filter(f -> f.routes().isEmpty()).toList();
        for (SamTemplate.Function function : functions) {
            Object handler = Class.forName(function.handlerClass()).getConstructor().newInstance();
            assertThat(handler).as(function.logicalId() + " has a SnapStart hook").isInstanceOf(EventPriming.Hook.class);
            dynamoCalls.clear();
            ((EventPriming.Hook) handler).beforeCheckpoint(null);
            ((EventPriming.Hook) handler).afterRestore(null);
            assertThat(dynamoCalls).as(function.logicalId() + "'s DynamoDB calls while priming").allMatch(READS::contains);
            boolean hasTable = function.environment().keySet().stream().anyMatch(k -> k.endsWith("_TABLE"));
            if (hasTable) {
                assertThat(dynamoCalls).as(function.logicalId() + " reads its table while priming").isNotEmpty();
            }
            primed.add(function.logicalId() + " " + dynamoCalls + (s3Calls.isEmpty() ? "" : " S3 " + s3Calls));
            assertThat(s3Calls).as(function.logicalId() + "'s S3 requests while priming").allMatch(c -> c.startsWith("GET ") || c.startsWith("HEAD "));
            s3Calls.clear();
        }
        System.out.println("primed: " + primed);

        assertThat(primed).hasSize(functions.size()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(effectCalls).as("requests to EventBridge, SES, S3, IoT while priming").isEmpty();
        assertThat(tables()).as("every table, item for item").isEqualTo(before);
    }

    /** Each table's items, as text, in key order. */
    private static Map<String, List<String>> tables() {
        Map<String, List<String>> all = new TreeMap<>();
        for (String table : aws.tables()) {
            List<String> items = new ArrayList<>();
            for (Map<String, AttributeValue> item : aws.dynamoDb().scanPaginator(r -> r.tableName(table)).items()) {
                items.add(new TreeMap<>(item).toString());
            }
            items.sort(null);
            all.put(table, items);
        }
        return all;
    }

    /** Forwards a request to the endpoint {@code variable} named before the test, as it came, less {@code prefix}. */
    private static void forward(HttpExchange exchange, HttpClient client, String variable, String prefix) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath().substring(prefix.length());
        String query = exchange.getRequestURI().getRawQuery();
        String target = restore.get(variable).replaceAll("/$", "") + (path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!Set.of("host", "content-length", "connection", "expect", "transfer-encoding").contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!Set.of("content-length", "transfer-encoding", "connection", "date", ":status").contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            boolean none = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.statusCode(), none ? -1 : response.body().length);
            if (!none) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            exchange.close();
        }
    }
}
