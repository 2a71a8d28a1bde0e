package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.TableText;
import org.territoire.shared.config.Env;
import org.territoire.shared.json.Json;

/**
 * The three secrets the API issues (a device's private key, an Open311 api_key, a calendar
 * feed URL), over HTTP with an Idempotency-Key and a retry: shown once, then answered without
 * the secret; found in no item of any table and in no log line of any function.
 */
class SecretsEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static String agent;
    private static String resident;
    private static String logLevel;
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private static PrintStream out;
    private static PrintStream err;

    @BeforeAll
    static void start() {
        captureLogs();
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-secrets", "agent").ofOrganisation("mairie"));
        resident = platform.issuer().mint(LocalIssuer.User.of("resident-secrets", "resident").inDistrict("centre"));
    }

    @AfterAll
    static void stop() {
        platform.close();
        System.setOut(out);
        System.setErr(err);
        Env.override(java.util.Map.of("POWERTOOLS_LOG_LEVEL", logLevel));
    }

    @Test
    void issuedSecrets_areShownOnce_andStoredOrLoggedNowhere() throws Exception {
        String device = "noise-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> secrets = new ArrayList<>();

        JsonNode registered = issueTwice("/devices", agent, "{\"id\":\"" + device + "\",\"kind\":\"NOISE\",\"district\":\"centre\"}",
                "credentials");
        String privateKey = registered.path("privateKey").asText();
        assertThat(privateKey).contains("PRIVATE KEY");
        Arrays.stream(privateKey.split("\n")).filter(l -> l.length() > 40 && !l.startsWith("-----")).forEach(secrets::add);

        JsonNode key = issueTwice("/organisations/mairie/open311-keys", agent, "{\"name\":\"Appli " + device + "\"}", "key");
        secrets.add(key.path("apiKey").asText().substring("t311_".length() + 17));

        JsonNode feed = issueTwice("/bookings/calendar-feed", resident, "", null);
        String path = feed.path("path").asText();
        secrets.add(path.substring("/calendar/".length(), path.length() - ".ics".length()));
        // The feed URL works, over HTTP, without a token: the replay did not replace it.
        assertThat(send(HttpRequest.newBuilder(uri(path)).GET().build()).statusCode()).isEqualTo(200);

        assertThat(secrets).hasSizeGreaterThan(3).allSatisfy(s -> assertThat(s).hasSizeGreaterThan(20));
        for (String table : platform.aws().tables()) {
            String stored = TableText.of(platform.aws().dynamoDb(), table);
            assertThat(secrets).as(table).allSatisfy(s -> assertThat(stored).doesNotContain(s));
        }
        // The capture sees what the functions' loggers write: a line through the kernel's own logger shows up.
        org.slf4j.LoggerFactory.getLogger("org.territoire.shared.http.ApiHandler").warn("capture canary {}", device);
        String logged = CONSOLE.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the capture works").contains("capture canary " + device);
        assertThat(secrets).allSatisfy(s -> assertThat(logged).doesNotContain(s));
    }

    /** POSTs twice with one Idempotency-Key: the first answer, whole; the replay without its secret. */
    private static JsonNode issueTwice(String path, String token, String body, String keptMember) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> first = send(request);
        HttpResponse<String> replay = send(request);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(first.body()).doesNotContain("secretShownOnce");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(201);
        assertThat(replay.headers().firstValue("idempotency-replayed")).contains("true");
        JsonNode shown = Json.tree(first.body());
        JsonNode replayed = Json.tree(replay.body());
        assertThat(replayed.path("secretShownOnce").asBoolean()).as(path).isTrue();
        if (keptMember != null) {
            assertThat(replayed.path(keptMember).path("certificatePem").asText()).isEqualTo(shown.path(keptMember).path("certificatePem").asText());
            assertThat(replayed.has(keptMember)).isTrue();
        }
        assertThat(replayed.toString()).doesNotContain("privateKey").doesNotContain("apiKey").doesNotContain("/calendar/");
        assertThat(replay.headers().map().toString()).doesNotContain("/calendar/");
        return shown;
    }

    /**
     * Every log line of every function, whatever its level: the kernel's logger writes JSON
     * lines to standard output (and the AWS SDK's through it), so the console is the capture,
     * with the project's loggers opened down to TRACE for the test.
     */
    private static void captureLogs() {
        logLevel = Env.getOrDefault("POWERTOOLS_LOG_LEVEL", "INFO");
        Env.override(java.util.Map.of("POWERTOOLS_LOG_LEVEL", "TRACE"));
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
    }

    private static final class Tee extends java.io.OutputStream {
        private final PrintStream original;

        Tee(PrintStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) {
            original.write(b);
            synchronized (CONSOLE) {
                CONSOLE.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            synchronized (CONSOLE) {
                CONSOLE.write(b, off, len);
            }
        }
    }

    private static URI uri(String path) {
        return URI.create(platform.apiUrl() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
