package org.territoire.shared.observability;

import java.util.function.Supplier;
import org.territoire.shared.config.Env;
import org.territoire.shared.http.ApiResponse;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools metrics (CloudWatch EMF): a count per response class, and the capability's own
 * metrics; flushed once per invocation, in {@code finally}, as Powertools recommends without
 * AspectJ. Namespace and service come from POWERTOOLS_METRICS_NAMESPACE and
 * POWERTOOLS_SERVICE_NAME.
 */
public final class Observability {
    private static final Metrics METRICS = MetricsFactory.getMetricsInstance();

    static {
        // Powertools reads the namespace from the process environment; the local runtime
        // hosts functions in-process and passes it through Env instead.
        METRICS.setNamespace(Env.getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "Territoire"));
    }

    private Observability() {
    }

    public static Metrics metrics() {
        return METRICS;
    }

    public static void count(String name) {
        METRICS.addMetric(name, 1, MetricUnit.COUNT);
    }

    public static void count(String name, double value) {
        METRICS.addMetric(name, value, MetricUnit.COUNT);
    }

    public static ApiResponse measured(Supplier<ApiResponse> work) {
        try {
            ApiResponse response = work.get();
            count("Http" + response.statusCode() / 100 + "xx");
            return response;
        } finally {
            METRICS.flush();
        }
    }
}
