package org.territoire.local.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local HTTP API checks api/openapi.yaml in every test of this module: registered for all
 * tests (META-INF/services and junit-platform.properties), it has the emulator hand it each
 * exchange, checks it with {@link ApiContract#check(HttpApiEmulator.Exchange)} and fails the
 * test during which an answer broke the description, naming the route, the status and what
 * does not match. An answer given while no test runs (a class's set-up) fails the class.
 *
 * <p>Tests run one at a time in this module (no JUnit parallelism), so an exchange belongs to
 * the test running when it was answered.
 */
public final class ContractEnforcement implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private static final ConcurrentLinkedQueue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();
    private static final AtomicLong CHECKED = new AtomicLong();
    private static final AtomicLong NANOS = new AtomicLong();
    private static volatile ApiContract contract;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (contract == null) {
            synchronized (ContractEnforcement.class) {
                if (contract == null) {
                    contract = ApiContract.load();
                    HttpApiEmulator.observeEveryExchange(ContractEnforcement::check);
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.printf(
                            "[contract] %d exchanges checked against api/openapi.yaml in %d ms (%.2f ms each)%n",
                            CHECKED.get(), NANOS.get() / 1_000_000, CHECKED.get() == 0 ? 0 : NANOS.get() / 1e6 / CHECKED.get())));
                }
            }
        }
        drain();
    }

    /**
     * With {@code -Dterritoire.capture=<file>}, every checked JSON answer that matched is also
     * written there, one line each: the material the description's examples were taken from.
     */
    private static final String CAPTURE = System.getProperty("territoire.capture");

    private static void check(HttpApiEmulator.Exchange exchange) {
        long started = System.nanoTime();
        List<String> problems = contract.check(exchange);
        NANOS.addAndGet(System.nanoTime() - started);
        CHECKED.incrementAndGet();
        if (CAPTURE != null && problems.isEmpty() && String.valueOf(exchange.header("content-type")).contains("json")
                && exchange.header("content-encoding") == null && exchange.body().length > 0) {
            var line = org.territoire.shared.json.Json.MAPPER.createObjectNode().put("method", exchange.method())
                    .put("route", exchange.route()).put("status", exchange.status())
                    .put("body", new String(exchange.body(), java.nio.charset.StandardCharsets.UTF_8));
            synchronized (ContractEnforcement.class) {
                try {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(CAPTURE), org.territoire.shared.json.Json.write(line) + "\n",
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("[contract] " + p));
            VIOLATIONS.addAll(problems);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        fail(drain(), context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        fail(drain(), context);
    }

    private static List<String> drain() {
        List<String> found = new ArrayList<>();
        for (String v = VIOLATIONS.poll(); v != null; v = VIOLATIONS.poll()) {
            found.add(v);
        }
        return found;
    }

    private static void fail(List<String> found, ExtensionContext context) {
        if (!found.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + ": " + found.size()
                    + " answer(s) of the local HTTP API do not match api/openapi.yaml:\n  " + String.join("\n  ", found.stream().distinct().toList()));
        }
    }
}
