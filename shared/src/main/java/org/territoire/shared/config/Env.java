package org.territoire.shared.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The function's configuration, read from environment variables as Lambda sets them from
 * template.yaml. The local runtime hosts several functions in one JVM, where the process
 * environment cannot be changed, so it layers its values here with {@link #override(Map)}.
 * Each function's variable names are distinct (FEEDBACK_TABLE, BOOKINGS_TABLE...), which
 * keeps that layering unambiguous.
 */
public final class Env {
    private static final Map<String, String> OVERRIDES = new ConcurrentHashMap<>();

    private Env() {
    }

    public static Optional<String> get(String name) {
        String value = OVERRIDES.get(name);
        if (value == null) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public static String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException(
                "Environment variable " + name + " is not set (template.yaml sets it in AWS; the local runtime sets it locally)"));
    }

    public static String getOrDefault(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    /** For the local runtime and tests only: values that take precedence over the process environment. */
    public static void override(Map<String, String> values) {
        OVERRIDES.putAll(values);
    }

    public static void clearOverrides() {
        OVERRIDES.clear();
    }
}
