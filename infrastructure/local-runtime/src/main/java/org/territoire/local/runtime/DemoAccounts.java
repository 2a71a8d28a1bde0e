package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.territoire.accounts.verification.Census;
import org.territoire.shared.config.Env;
import org.territoire.shared.json.Json;

/**
 * The demo's accounts side: the census loaded as the territory's office would load it (its register
 * hashed with the census key, only hashes and districts sent), and three people who signed up with
 * the local user pool and wait for a decision, so that the demo agent has requests to decide.
 */
final class DemoAccounts {
    static final String PASSWORD = "Demo-Territoire-2026";
    private final LocalPlatform platform;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoAccounts(LocalPlatform platform) {
        this.platform = platform;
    }

    /** Returns how many census rows and pending requests were loaded. */
    int[] load(String agent) {
        Census census = new Census(Base64.getDecoder().decode(Env.require("CENSUS_KEY")));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : register()) {
            String[] f = line.split(",");
            rows.add(Map.of("hmac", census.hmac(Census.normaliseDocument(f[0]).orElseThrow(), LocalDate.parse(f[1])), "district", f[2]));
        }
        api(agent, "POST", "/census/entries", Map.of("entries", rows));
        String[][] pending = {{"camille@demo.territoire.local", "{\"method\":\"IN_PERSON\",\"district\":\"centre\"}"},
                {"yanis@demo.territoire.local", "{\"method\":\"POSTAL\",\"district\":\"gare\",\"address\":\"3 place de la Gare, Territoire\"}"},
                {"zoe@demo.territoire.local", "{\"method\":\"IN_PERSON\",\"district\":\"les-vignes\"}"}};
        for (String[] p : pending) {
            api(signUp(p[0]), "POST", "/verifications", Json.tree(p[1]));
        }
        return new int[] {rows.size(), pending.length};
    }

    /** Signs up through the local user pool as a client would, confirms with the code from the outbox, signs in. */
    String signUp(String email) {
        pool("SignUp", Map.of("ClientId", platform.userPool().clientId(), "Username", email, "Password", PASSWORD,
                "UserAttributes", List.of(Map.of("Name", "email", "Value", email))));
        try {
            String code = Files.readAllLines(platform.userPool().outbox()).stream().filter(l -> l.contains(" to " + email + ":"))
                    .reduce((a, b) -> b).orElseThrow().replaceAll(".*code is ", "").strip();
            pool("ConfirmSignUp", Map.of("ClientId", platform.userPool().clientId(), "Username", email, "ConfirmationCode", code));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pool("InitiateAuth", Map.of("ClientId", platform.userPool().clientId(), "AuthFlow", "USER_PASSWORD_AUTH",
                "AuthParameters", Map.of("USERNAME", email, "PASSWORD", PASSWORD))).path("AuthenticationResult").path("IdToken").asText();
    }

    private List<String> register() {
        try (InputStream in = DemoAccounts.class.getResourceAsStream("/demo/census-register.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("documentNumber")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode pool(String operation, Object body) {
        JsonNode answer = send(HttpRequest.newBuilder(platform.userPool().url())
                .header("X-Amz-Target", LocalUserPool.TARGET_PREFIX + operation).header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), operation);
        if (answer.has("__type")) {
            throw new IllegalStateException("demo sign-up refused at " + operation + ": " + answer.path("__type").asText());
        }
        return answer;
    }

    private JsonNode api(String token, String method, String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), path);
    }

    private JsonNode send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300 && !request.uri().toString().startsWith(platform.userPool().url().toString())) {
                throw new IllegalStateException("demo data refused at " + what + ": " + response.statusCode());
            }
            return Json.tree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
