package org.territoire.shared.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.territoire.shared.config.Env;
import org.territoire.shared.http.ApiResponse;

/**
 * The functions' metrics: a count per response class, and each capability's own counts,
 * gathered during an invocation and written once at its end ({@link #flush}, in
 * {@code finally}) as one CloudWatch EMF line on standard output ({@link Emf}), which
 * CloudWatch Logs turns into metrics. Namespace {@code POWERTOOLS_METRICS_NAMESPACE}
 * (Territoire), one dimension {@code Service} = {@code POWERTOOLS_SERVICE_NAME}: the names,
 * namespace and dimension Powertools metrics used, which the template's alarms and dashboard
 * read. The kernel writes them itself because Powertools metrics (the EMF library, its own
 * Jackson mapper, the SLF4J start it triggered) was the largest part of a cold start above
 * the SDK floor (docs/benchmarks.md, docs/decisions.md).
 *
 * <p>Counts are kept per thread: an invocation runs on one thread, and the local runtime
 * runs several functions' invocations at once in one JVM.
 */
public final class Observability {
    /** Powertools' name for an unnamed service; such metrics get no dimension. */
    static final String UNDEFINED_SERVICE = "service_undefined";
    private static final ThreadLocal<Map<String, List<Double>>> PENDING = ThreadLocal.withInitial(LinkedHashMap::new);

    private Observability() {
    }

    public static void count(String name) {
        count(name, 1);
    }

    public static void count(String name, double value) {
        PENDING.get().computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }

    /** Writes what this invocation counted, if anything, and forgets it. */
    public static void flush() {
        Map<String, List<Double>> pending = PENDING.get();
        if (pending.isEmpty()) {
            return;
        }
        Map<String, List<Double>> metrics = new LinkedHashMap<>(pending);
        pending.clear();
        String service = service();
        Map<String, String> dimensions = service.equals(UNDEFINED_SERVICE) ? Map.of() : Map.of("Service", service);
        StringBuilder lines = new StringBuilder();
        for (String document : Emf.documents(Env.getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "Territoire"), dimensions,
                metrics, System.currentTimeMillis())) {
            lines.append(document).append('\n');
        }
        // One write: the lines of concurrent invocations never interleave (PrintStream locks per call).
        System.out.print(lines);
        System.out.flush();
    }

    /** The function's service name (template.yaml's POWERTOOLS_SERVICE_NAME), as logs and metrics carry it. */
    public static String service() {
        return Env.getOrDefault("POWERTOOLS_SERVICE_NAME", UNDEFINED_SERVICE);
    }

    public static ApiResponse measured(Supplier<ApiResponse> work) {
        try {
            ApiResponse response = work.get();
            count("Http" + response.statusCode() / 100 + "xx");
            return response;
        } finally {
            flush();
        }
    }
}
