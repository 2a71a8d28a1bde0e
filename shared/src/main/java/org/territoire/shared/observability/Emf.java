package org.territoire.shared.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CloudWatch Embedded Metric Format documents, as the kernel writes them to standard output
 * for CloudWatch Logs to extract
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * one JSON object per line, with the {@code _aws} metadata (timestamp in epoch milliseconds,
 * one metric directive naming the namespace, the dimension set and each metric with its
 * unit), then each dimension and each metric as a top-level member. A metric given several
 * values in one invocation carries them as an array, as Powertools did.
 *
 * <p>The specification's limits are kept: at most 100 metrics per directive (more are written
 * as further documents with the same dimensions), at most 100 values per metric (the rest in
 * further documents), at most 30 dimensions, names of 1 to 255 characters, finite values.
 * A metric may not take a dimension's name or {@code _aws}, which would make the document
 * ambiguous.
 */
public final class Emf {
    static final int MAX_METRICS = 100;
    static final int MAX_VALUES = 100;
    static final int MAX_DIMENSIONS = 30;
    /** Metric and dimension names (the specification's are strings; CloudWatch's PutMetricData limits are 1 to 255). */
    private static final Pattern NAME = Pattern.compile("[^\\p{Cntrl}]{1,255}");

    private Emf() {
    }

    /**
     * The documents for these metrics (all of unit {@code Count}, the only one the functions
     * use), in the order given; none when there are no metrics.
     */
    public static List<String> documents(String namespace, Map<String, String> dimensions, Map<String, List<Double>> metrics,
            long timestampMillis) {
        if (namespace == null || !NAME.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("a namespace is 1 to 255 visible characters, not AWS/...");
        }
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("at most " + MAX_DIMENSIONS + " dimensions");
        }
        dimensions.forEach((name, value) -> {
            if (!NAME.matcher(name).matches() || name.equals("_aws") || value == null || !NAME.matcher(value).matches()) {
                throw new IllegalArgumentException("dimension " + name + " must have a name and a value of 1 to 255 characters");
            }
        });
        metrics.forEach((name, values) -> {
            if (!NAME.matcher(name).matches() || name.equals("_aws") || dimensions.containsKey(name)) {
                throw new IllegalArgumentException("metric " + name + " needs a name of 1 to 255 characters, not a dimension's");
            }
            values.forEach(v -> {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("metric " + name + " has a value that is not a finite number");
                }
            });
        });
        // Each document takes up to 100 metrics, and up to 100 values of each: a batch is one
        // slice of values (the first hundred values of each metric, then the next...).
        List<String> documents = new ArrayList<>();
        List<String> names = new ArrayList<>(metrics.keySet());
        int slices = metrics.values().stream().mapToInt(v -> (v.size() + MAX_VALUES - 1) / MAX_VALUES).max().orElse(0);
        for (int slice = 0; slice < slices; slice++) {
            List<String> present = new ArrayList<>();
            for (String name : names) {
                if (metrics.get(name).size() > slice * MAX_VALUES) {
                    present.add(name);
                }
            }
            for (int from = 0; from < present.size(); from += MAX_METRICS) {
                List<String> batch = present.subList(from, Math.min(present.size(), from + MAX_METRICS));
                documents.add(document(namespace, dimensions, metrics, batch, slice, timestampMillis));
            }
        }
        return documents;
    }

    private static String document(String namespace, Map<String, String> dimensions, Map<String, List<Double>> metrics,
            List<String> batch, int slice, long timestampMillis) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"_aws\":{\"Timestamp\":").append(timestampMillis).append(",\"CloudWatchMetrics\":[{\"Namespace\":");
        JsonText.string(out, namespace).append(",\"Dimensions\":[[");
        boolean first = true;
        for (String name : dimensions.keySet()) {
            if (!first) {
                out.append(',');
            }
            JsonText.string(out, name);
            first = false;
        }
        out.append("]],\"Metrics\":[");
        for (int i = 0; i < batch.size(); i++) {
            out.append(i == 0 ? "" : ",").append("{\"Name\":");
            JsonText.string(out, batch.get(i)).append(",\"Unit\":\"Count\"}");
        }
        out.append("]}]}");
        dimensions.forEach((name, value) -> JsonText.string(JsonText.string(out.append(','), name).append(':'), value));
        for (String name : batch) {
            List<Double> all = metrics.get(name);
            List<Double> values = all.subList(slice * MAX_VALUES, Math.min(all.size(), (slice + 1) * MAX_VALUES));
            JsonText.string(out.append(','), name).append(':');
            if (values.size() == 1) {
                JsonText.number(out, values.get(0));
            } else {
                out.append('[');
                for (int i = 0; i < values.size(); i++) {
                    JsonText.number(out.append(i == 0 ? "" : ","), values.get(i));
                }
                out.append(']');
            }
        }
        return out.append('}').toString();
    }
}
