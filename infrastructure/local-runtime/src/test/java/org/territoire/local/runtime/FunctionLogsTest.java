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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.territoire.local.aws.Faults;
import org.territoire.shared.json.Json;

/**
 * What a newcomer sees when running the platform (./run-local.sh): one short line per request
 * on the console, as {@code sam local} prints them, while each function's own output (its
 * kernel's JSON log lines and EMF metric blobs) goes to {@code .local/logs/<function>.log};
 * {@code --verbose} puts that output back on the console. Real requests over HTTP, through
 * the real functions and the local endpoint.
 */
class FunctionLogsTest {
    private static final String LINE = "\\d{2}:\\d{2}:\\d{2} [A-Z]+ /\\S* \\d{3} \\d+ ms( [A-Za-z0-9]+)?";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void console_hasOneLinePerRequest_andEachFunctionsJsonGoesToItsLogFile(@TempDir Path dir) throws Exception {
        List<String> console = run(dir, false);

        assertThat(console).as("the console: request lines only, no JSON").hasSize(4).allMatch(l -> l.matches(LINE));
        assertThat(console.get(0)).matches(".* GET /services 200 \\d+ ms FeedbackFunction");
        assertThat(console.get(1)).matches(".* GET /services 503 \\d+ ms FeedbackFunction");
        assertThat(console.get(2)).matches(".* GET /services 401 \\d+ ms");
        assertThat(console.get(3)).matches(".* GET /nowhere 404 \\d+ ms");
        assertThat(String.join("\n", console)).as("query strings stay out of the console").doesNotContain("kind=", "limit=");

        List<JsonNode> logged = Files.readAllLines(dir.resolve("FeedbackFunction.log")).stream().map(Json::tree).toList();
        assertThat(logged).as("EMF metrics of both answers").anyMatch(l -> l.has("_aws") && l.has("Http2xx"))
                .anyMatch(l -> l.has("_aws") && l.has("Http5xx"));
        assertThat(logged).as("the function's JSON log line about the failing store").anyMatch(l ->
                List.of("WARN", "ERROR").contains(l.path("level").asText()) && "FeedbackFunction".equals(l.path("function_name").asText())
                        && !l.path("correlation_id").asText().isEmpty() && !l.path("function_request_id").asText().isEmpty()
                        && l.has("message") && l.has("timestamp") && l.has("service"));
    }

    @Test
    void verbose_putsTheFunctionsJsonBackOnTheConsole_andStillWritesTheFile(@TempDir Path dir) throws Exception {
        List<String> console = run(dir, true);

        assertThat(console).filteredOn(l -> l.matches(LINE)).hasSize(4);
        assertThat(console).filteredOn(l -> l.startsWith("{")).isNotEmpty()
                .anyMatch(l -> l.contains("\"_aws\"") && l.contains("Http2xx"));
        assertThat(dir.resolve("FeedbackFunction.log")).isNotEmptyFile();
    }

    /** Four requests through a platform whose output is routed as ./run-local.sh routes it; the console's lines. */
    private static List<String> run(Path dir, boolean verbose) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (FunctionLogs logs = FunctionLogs.install(dir, verbose)) {
            LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
            try {
                platform.api().onRequest(logs.console()::println);
                String resident = platform.issuer().mint(LocalIssuer.User.of("alice", "resident").inDistrict("centre"));
                assertThat(get(platform.apiUrl(), "/services?kind=TERRITORIAL&limit=5", resident).statusCode()).isEqualTo(200);
                try (Faults faults = platform.aws().faults().orElseThrow()) {
                    faults.inject(1, Faults.Rule.of(null, "FeedbackTable", Faults.Fault.INTERNAL_SERVER_ERROR, 1.0));
                    assertThat(get(platform.apiUrl(), "/services?limit=5", resident).statusCode()).isEqualTo(503);
                }
                assertThat(get(platform.apiUrl(), "/services", null).statusCode()).isEqualTo(401);
                assertThat(get(platform.apiUrl(), "/nowhere?secret=1", null).statusCode()).isEqualTo(404);
            } finally {
                platform.close();
            }
        } finally {
            System.setOut(original);
        }
        return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).toList();
    }

    private static HttpResponse<String> get(URI api, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
