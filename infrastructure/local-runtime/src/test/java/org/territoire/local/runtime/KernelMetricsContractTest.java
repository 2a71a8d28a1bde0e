package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.ProjectRoot;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

/**
 * The metrics template.yaml's alarms and dashboard read in the namespace {@code Territoire}
 * are the ones the kernel's EMF writer makes: dimension {@code Service} (case matters in
 * CloudWatch) valued by a function's POWERTOOLS_SERVICE_NAME, and a metric name the code
 * counts. An alarm on a metric no function writes would never fire.
 */
class KernelMetricsContractTest {
    private static final Pattern COUNTED = Pattern.compile("Observability\\.count\\(\"(\\w+)\"");

    @Test
    void everyTerritoireMetricOfTheTemplate_isOneAFunctionWrites_withItsServiceDimension() throws IOException {
        SamTemplate template = SamTemplate.load();
        Set<String> services = template.functions().stream().map(f -> f.environment().get("POWERTOOLS_SERVICE_NAME"))
                .collect(Collectors.toSet());
        Set<String> counted = countedByTheCode();
        List<String[]> read = new ArrayList<>();
        template.root().path("Resources").properties().forEach(e -> {
            JsonNode resource = e.getValue();
            JsonNode p = resource.path("Properties");
            switch (resource.path("Type").asText()) {
                case "AWS::CloudWatch::Alarm" -> {
                    if (p.has("MetricName")) {
                        read.add(alarmMetric(p.path("Namespace").asText(), p.path("MetricName").asText(), p.path("Dimensions")));
                    }
                    p.path("Metrics").forEach(m -> {
                        JsonNode metric = m.path("MetricStat").path("Metric");
                        if (!metric.isMissingNode()) {
                            read.add(alarmMetric(metric.path("Namespace").asText(), metric.path("MetricName").asText(),
                                    metric.path("Dimensions")));
                        }
                    });
                }
                case "AWS::CloudWatch::Dashboard" -> read.addAll(dashboardMetrics(p.path("DashboardBody").asText()));
                default -> { }
            }
        });

        List<String[]> ours = read.stream().filter(m -> m[0].equals("Territoire")).toList();
        assertThat(ours).as("the template reads some of the functions' metrics").hasSizeGreaterThan(3);
        for (String[] m : ours) {
            String what = String.join(" ", m);
            assertThat(counted).as(what + ": a metric the code counts").contains(m[1]);
            assertThat(m.length).as(what + ": one dimension").isEqualTo(4);
            assertThat(m[2]).as(what + ": the dimension the kernel writes").isEqualTo("Service");
            assertThat(services).as(what + ": a function's service name").contains(m[3]);
        }
    }

    private static String[] alarmMetric(String namespace, String name, JsonNode dimensions) {
        List<String> m = new ArrayList<>(List.of(namespace, name));
        dimensions.forEach(d -> {
            m.add(d.path("Name").asText());
            m.add(d.path("Value").asText());
        });
        return m.toArray(String[]::new);
    }

    /** The dashboard's metric rows, with CloudWatch's shorthand ("." repeats the row above's item) expanded. */
    private static List<String[]> dashboardMetrics(String body) {
        JsonNode dashboard = Json.tree(body.replaceAll("\\$\\{[^}]+}", "x"));
        List<String[]> rows = new ArrayList<>();
        for (JsonNode widget : dashboard.path("widgets")) {
            String[] previous = null;
            for (JsonNode row : widget.path("properties").path("metrics")) {
                List<String> items = new ArrayList<>();
                row.forEach(i -> {
                    if (i.isTextual()) {
                        items.add(i.asText());
                    }
                });
                List<String> expanded = new ArrayList<>();
                if (!items.isEmpty() && items.get(0).equals("...")) {
                    expanded.addAll(List.of(previous).subList(0, previous.length - (items.size() - 1)));
                    expanded.addAll(items.subList(1, items.size()));
                } else {
                    for (int i = 0; i < items.size(); i++) {
                        expanded.add(items.get(i).equals(".") ? previous[i] : items.get(i));
                    }
                }
                previous = expanded.toArray(String[]::new);
                rows.add(previous);
            }
        }
        return rows;
    }

    /** Metric names counted in the functions' and the kernel's code, and the kernel's response classes. */
    private static Set<String> countedByTheCode() throws IOException {
        Path root = ProjectRoot.find();
        Set<String> names = new TreeSet<>(List.of("Http2xx", "Http4xx", "Http5xx"));
        for (Path dir : List.of(root.resolve("functions"), root.resolve("shared/src/main"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("src/main")).toList()) {
                    Matcher m = COUNTED.matcher(Files.readString(file));
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        return names;
    }
}
