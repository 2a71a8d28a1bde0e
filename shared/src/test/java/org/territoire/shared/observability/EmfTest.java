package org.territoire.shared.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.config.Env;
import org.territoire.shared.json.Json;

/**
 * The kernel's EMF documents, read back as the specification describes them
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * and the metrics of an invocation as Observability writes them.
 */
@Tag("unit")
class EmfTest {

    @Test
    void aDocument_isTheSpecificationsShape_withTheNamespaceDimensionAndUnitsTheAlarmsRead() {
        List<String> docs = Emf.documents("Territoire", Map.of("Service", "bookings-sweep"),
                ordered("SweepFailures", List.of(2.0), "NoShows", List.of(0.0)), 1_796_126_484_202L);

        assertThat(docs).hasSize(1);
        JsonNode doc = Json.tree(docs.get(0));
        JsonNode aws = doc.path("_aws");
        assertThat(aws.path("Timestamp").asLong()).isEqualTo(1_796_126_484_202L);
        assertThat(aws.path("CloudWatchMetrics")).hasSize(1);
        JsonNode directive = aws.path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Territoire");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Service\"]]");
        assertThat(directive.path("Metrics").toString())
                .isEqualTo("[{\"Name\":\"SweepFailures\",\"Unit\":\"Count\"},{\"Name\":\"NoShows\",\"Unit\":\"Count\"}]");
        assertThat(doc.path("Service").asText()).isEqualTo("bookings-sweep");
        assertThat(doc.path("SweepFailures").isNumber()).isTrue();
        assertThat(doc.path("SweepFailures").asDouble()).isEqualTo(2.0);
        assertThat(doc.path("NoShows").asDouble()).isZero();
        assertThat(docs.get(0)).doesNotContain("\n");
    }

    @Test
    void severalValuesOfAMetric_areAnArray_andFractionsStay() {
        JsonNode doc = Json.tree(Emf.documents("Territoire", Map.of(), ordered("Http2xx", List.of(1.0, 1.0, 0.5)), 1L).get(0));

        assertThat(doc.path("Http2xx").toString()).isEqualTo("[1,1,0.5]");
        assertThat(doc.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString()).isEqualTo("[[]]");
    }

    @Test
    void beyondAHundredMetricsOrValues_furtherDocumentsCarryTheRest() {
        Map<String, List<Double>> many = new LinkedHashMap<>();
        IntStream.range(0, 150).forEach(i -> many.put("M" + i, List.of(1.0)));
        List<String> docs = Emf.documents("Territoire", Map.of("Service", "s"), many, 1L);
        assertThat(docs).hasSize(2);
        assertThat(Json.tree(docs.get(0)).path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")).hasSize(100);
        assertThat(Json.tree(docs.get(1)).path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")).hasSize(50);
        assertThat(Json.tree(docs.get(1)).path("M149").asDouble()).isEqualTo(1.0);

        List<Double> values = new ArrayList<>();
        IntStream.range(0, 250).forEach(i -> values.add((double) i));
        List<String> sliced = Emf.documents("Territoire", Map.of(), ordered("Big", values, "Small", List.of(7.0)), 1L);
        assertThat(sliced).hasSize(3);
        assertThat(Json.tree(sliced.get(0)).path("Big")).hasSize(100);
        assertThat(Json.tree(sliced.get(0)).path("Small").asDouble()).isEqualTo(7.0);
        assertThat(Json.tree(sliced.get(1)).has("Small")).as("each value written once").isFalse();
        assertThat(Json.tree(sliced.get(2)).path("Big")).hasSize(50);
        assertThat(Json.tree(sliced.get(2)).path("Big").get(49).asInt()).isEqualTo(249);
    }

    @Test
    void whatTheSpecificationRefuses_isRefused() {
        assertThatThrownBy(() -> Emf.documents("Territoire", Map.of(), ordered("X", List.of(Double.NaN)), 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Emf.documents("Territoire", Map.of("Service", "s"), ordered("Service", List.of(1.0)), 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Emf.documents("AWS/Lambda", Map.of(), ordered("X", List.of(1.0)), 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Emf.documents("Territoire", Map.of(), ordered("", List.of(1.0)), 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Emf.documents("Territoire", Map.of(), Map.of(), 1L)).isEmpty();
    }

    @Test
    void anInvocationsCounts_areOneLineOnStandardOutput_withTheServiceDimension_andOnlyThatThreads() throws Exception {
        Map<String, String> saved = saved("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE");
        Env.override(Map.of("POWERTOOLS_SERVICE_NAME", "feedback", "POWERTOOLS_METRICS_NAMESPACE", "Territoire"));
        try {
            String out = stdout(() -> {
                Observability.count("Http2xx");
                Observability.count("ReadingsStored", 3);
                try (var pool = Executors.newSingleThreadExecutor()) {
                    // Another thread's counts (another invocation, in the local runtime) are not this one's.
                    Future<?> other = pool.submit(() -> Observability.count("Elsewhere"));
                    other.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                Observability.flush();
                Observability.flush(); // nothing left: nothing written
            });
            List<String> lines = Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSize(1);
            JsonNode doc = Json.tree(lines.get(0));
            assertThat(doc.path("Service").asText()).isEqualTo("feedback");
            assertThat(doc.path("Http2xx").asInt()).isEqualTo(1);
            assertThat(doc.path("ReadingsStored").asInt()).isEqualTo(3);
            assertThat(doc.has("Elsewhere")).isFalse();
            assertThat(doc.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Territoire");
        } finally {
            Env.override(saved);
        }
    }

    /** The current values of these variables; a blank one reads as unset, as Env reads it. */
    static Map<String, String> saved(String... names) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            values.put(name, Env.get(name).orElse(""));
        }
        return values;
    }

    static String stdout(Runnable work) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, List<Double>> ordered(Object... nameThenValues) {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Double> values = (List<Double>) nameThenValues[i + 1];
            m.put((String) nameThenValues[i], values);
        }
        return m;
    }
}
