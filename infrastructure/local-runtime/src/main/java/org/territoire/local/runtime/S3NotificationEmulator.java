package org.territoire.local.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.territoire.local.aws.Buckets;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

/**
 * S3 event notifications for the template's {@code Events: S3} (ObjectCreated under a prefix):
 * the local endpoint posts each object-created event here before it answers the upload
 * (infrastructure/local/s3_local.py), and this invokes the function with it, asynchronously,
 * as S3 invokes Lambda, retried twice, then kept as a dead letter.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
 */
public final class S3NotificationEmulator implements AutoCloseable {
    private static final int ATTEMPTS = 3;

    /** An event no attempt could deliver. */
    public record DeadLetter(String function, String key, String reason) {
    }

    private final Map<String, SamTemplate.Function> byPath = new java.util.HashMap<>();
    private final FunctionHost functions;
    private final HttpServer server;
    private final ExecutorService invoker = Executors.newVirtualThreadPerTaskExecutor();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public S3NotificationEmulator(LocalAws aws, FunctionHost functions) {
        this.functions = functions;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(invoker);
        server.start();
        List<Map<String, String>> targets = new ArrayList<>();
        for (SamTemplate.S3Event event : aws.template().s3Events()) {
            String path = "/" + event.functionLogicalId() + "/" + event.eventName();
            byPath.put(path, aws.template().function(event.functionLogicalId()));
            targets.add(Map.of("bucket", Buckets.localName(event.bucketLogicalId()), "prefix", event.prefix(),
                    "url", url().resolve(path).toString()));
        }
        // The project's own endpoint takes the targets; another (LocalStack) would need its own notification setup.
        if (aws.faults().isPresent() && !targets.isEmpty()) {
            register(aws.url(), targets);
        }
    }

    private static void register(URI endpoint, List<Map<String, String>> targets) {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/_territoire/s3-notifications"))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("targets", targets)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the local endpoint refused the S3 notification targets: " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            SamTemplate.Function function = byPath.get(exchange.getRequestURI().getPath());
            byte[] event = exchange.getRequestBody().readAllBytes();
            if (function == null || !"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            // Counted before the endpoint is answered, so that awaitDeliveries after the upload's answer sees it.
            inFlight.incrementAndGet();
            invoker.submit(() -> {
                try {
                    attempt(function, event);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
            exchange.sendResponseHeaders(202, -1);
        }
    }

    private void attempt(SamTemplate.Function function, byte[] event) {
        Exception last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                functions.invoke(function, event);
                return;
            } catch (Exception e) {
                last = e;
            }
        }
        String key = Json.tree(new String(event, StandardCharsets.UTF_8)).path("Records").path(0).path("s3").path("object").path("key").asText();
        System.err.println("[s3] " + function.logicalId() + " gave up on " + key + ": " + last);
        deadLetters.add(new DeadLetter(function.logicalId(), key, String.valueOf(last)));
    }

    /** Waits until every event received so far has been handled (or dead-lettered); false at the deadline. */
    public boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        for (Instant deadline = Instant.now().plus(timeout); Instant.now().isBefore(deadline); ) {
            if (inFlight.get() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return inFlight.get() == 0;
    }

    @Override
    public void close() {
        server.stop(0);
        invoker.shutdown();
    }
}
