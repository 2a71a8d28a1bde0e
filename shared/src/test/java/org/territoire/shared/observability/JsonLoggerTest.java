package org.territoire.shared.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.config.Env;
import org.territoire.shared.json.Json;
import org.territoire.shared.local.LocalContext;

/**
 * The kernel's JSON-lines logger, through SLF4J as the functions and the AWS SDK use it: one
 * valid JSON object per line with the fields operators search by (docs/operations.md), the
 * invocation's context and correlation id, the levels of template.yaml's
 * POWERTOOLS_LOG_LEVEL.
 */
@Tag("unit")
class JsonLoggerTest {
    private static final Logger LOG = LoggerFactory.getLogger("org.territoire.shared.observability.JsonLoggerTest");

    /** What the tests change, put back as it was (other classes of this JVM may have set overrides). */
    private static final Map<String, String> SAVED = EmfTest.saved("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL");

    @AfterEach
    void restore() {
        Env.override(SAVED);
    }

    @Test
    void slf4j_isBoundToTheKernelsLogger() {
        assertThat(LOG).isInstanceOf(JsonLogger.class);
        assertThat(LoggerFactory.getLogger("software.amazon.awssdk.core")).isInstanceOf(JsonLogger.class);
    }

    @Test
    void aLineInsideAnInvocation_carriesTheLambdaContext_theCorrelationId_andTheService() {
        Env.override(Map.of("POWERTOOLS_SERVICE_NAME", "feedback"));
        JsonNode event = Json.tree("{\"requestContext\":{\"requestId\":\"req-42\"}}");
        LocalContext context = new LocalContext("FeedbackFunction", "lambda-7", 1024);

        List<JsonNode> lines = lines(EmfTest.stdout(() -> Logging.withLogging(context, "requestContext.requestId", event, () -> {
            LOG.warn("storage unavailable for {}", "FeedbackTable");
            return null;
        })));

        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).isEqualTo("storage unavailable for FeedbackTable");
        assertThat(line.path("correlation_id").asText()).isEqualTo("req-42");
        assertThat(line.path("function_request_id").asText()).isEqualTo("lambda-7");
        assertThat(line.path("function_name").asText()).isEqualTo("FeedbackFunction");
        assertThat(line.path("function_arn").asText()).isEqualTo(context.getInvokedFunctionArn());
        assertThat(line.path("function_memory_size").asInt()).isEqualTo(1024);
        assertThat(line.path("function_version").asText()).isEqualTo("$LATEST");
        assertThat(line.path("cold_start").isBoolean()).isTrue();
        assertThat(line.path("service").asText()).isEqualTo("feedback");
        assertThat(line.path("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(line.has("error")).isFalse();

        // Outside an invocation: no invocation fields, and the previous context does not linger.
        JsonNode outside = lines(EmfTest.stdout(() -> LOG.info("at init"))).get(0);
        assertThat(outside.has("correlation_id")).isFalse();
        assertThat(outside.has("function_request_id")).isFalse();
        assertThat(outside.path("service").asText()).isEqualTo("feedback");
    }

    @Test
    void anError_givenLastAsSlf4jDoes_isTheErrorMember_withItsStack_onOneLine() {
        IllegalStateException failure = new IllegalStateException("broken \"quoted\"\nsecond line");
        List<JsonNode> lines = lines(EmfTest.stdout(() -> LOG.error("sweep could not settle booking {} ({})", "b-1", "CONFIRMED", failure)));

        assertThat(lines).as("one line, newlines escaped").hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.path("message").asText()).isEqualTo("sweep could not settle booking b-1 (CONFIRMED)");
        assertThat(line.path("error").path("name").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("error").path("message").asText()).isEqualTo("broken \"quoted\"\nsecond line");
        assertThat(line.path("error").path("stack").asText()).contains("JsonLoggerTest");
    }

    @Test
    void levels_followPowertoolsLogLevel_forOurLoggers_andWarnForLibraries() {
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.request");
        assertThat(lines(EmfTest.stdout(() -> {
            LOG.debug("hidden at INFO");
            LOG.info("shown");
            sdk.info("a library's INFO is hidden");
            sdk.warn("a library's WARN is shown");
        }))).extracting(l -> l.path("message").asText()).containsExactly("shown", "a library's WARN is shown");

        Env.override(Map.of("POWERTOOLS_LOG_LEVEL", "DEBUG"));
        assertThat(LOG.isDebugEnabled()).isTrue();
        assertThat(sdk.isInfoEnabled()).isFalse();
        Env.override(Map.of("POWERTOOLS_LOG_LEVEL", "ERROR"));
        assertThat(LOG.isWarnEnabled()).isFalse();
        assertThat(sdk.isWarnEnabled()).isFalse();
        assertThat(sdk.isErrorEnabled()).isTrue();
    }

    @Test
    void controlCharactersAndHalfSurrogates_leaveTheLineValid() {
        String text = "a\u0001b\tc\uD800d\u2028e";
        JsonNode line = lines(EmfTest.stdout(() -> LOG.warn(text))).get(0);
        assertThat(line.path("message").asText()).isEqualTo(text);
    }

    private static List<JsonNode> lines(String out) {
        return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).map(Json::tree).toList();
    }
}
