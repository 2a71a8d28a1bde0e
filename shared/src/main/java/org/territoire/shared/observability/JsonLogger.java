package org.territoire.shared.observability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.territoire.shared.config.Env;

/**
 * An SLF4J logger that writes one JSON object per line to standard output, with the fields
 * Powertools logging wrote and operators search by (docs/operations.md): {@code level},
 * {@code message}, {@code error} ({@code name}, {@code message}, {@code stack}) when there
 * is one, the invocation's fields ({@link Logging}), {@code service},
 * {@code timestamp} (UTC, milliseconds) and {@code logger}. In Lambda, standard output goes
 * to the function's log group, where CloudWatch Logs Insights reads JSON lines as fields;
 * locally it goes to {@code .local/logs/<function>.log} (the local runtime routes
 * {@code System.out} by the invoking thread, so it is looked up at each line).
 *
 * <p>Levels: the project's loggers ({@code org.territoire}) log from
 * {@code POWERTOOLS_LOG_LEVEL} (template Globals; INFO by default), every other library
 * (the AWS SDK, the local runtime's broker) from WARN, as the Log4j configuration did.
 * It replaces Log4j with its JSON template layout and Powertools logging, which together
 * cost about a fifth of the SDK floor at cold start (docs/benchmarks.md).
 */
public final class JsonLogger extends LegacyAbstractLogger {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private final boolean ours;

    JsonLogger(String name) {
        this.name = name;
        this.ours = name.startsWith("org.territoire");
    }

    /** The lowest level this logger writes. */
    Level threshold() {
        Level configured = level(Env.getOrDefault("POWERTOOLS_LOG_LEVEL", "INFO"));
        return ours || configured.toInt() > Level.WARN.toInt() ? configured : Level.WARN;
    }

    private static Level level(String name) {
        return switch (name.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "TRACE", "ALL" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "WARN", "WARNING" -> Level.WARN;
            case "ERROR", "FATAL", "CRITICAL", "OFF" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold().toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        Throwable error = throwable;
        Object[] args = arguments;
        if (error == null && args != null) {
            // SLF4J's convention: a Throwable given last, without a placeholder, is the error.
            error = MessageFormatter.getThrowableCandidate(args);
            if (error != null) {
                args = MessageFormatter.trimmedCopy(args);
            }
        }
        String message = args == null || args.length == 0 ? pattern : MessageFormatter.basicArrayFormat(pattern, args);
        String line = line(level, message == null ? "null" : message, error, Logging.current(), System.currentTimeMillis());
        System.out.print(line);
        System.out.flush();
    }

    /** One log line, newline included. */
    String line(Level level, String message, Throwable error, Logging.Invocation invocation, long nowMillis) {
        StringBuilder out = new StringBuilder(256);
        JsonText.string(out.append("{\"level\":"), level.name());
        JsonText.string(out.append(",\"message\":"), message);
        if (error != null) {
            StringWriter stack = new StringWriter();
            error.printStackTrace(new PrintWriter(stack));
            JsonText.string(out.append(",\"error\":{\"message\":"), String.valueOf(error.getMessage()));
            JsonText.string(out.append(",\"name\":"), error.getClass().getName());
            JsonText.string(out.append(",\"stack\":"), stack.toString()).append('}');
        }
        if (invocation != null) {
            var context = invocation.context();
            out.append(",\"cold_start\":").append(invocation.coldStart());
            if (context != null) {
                field(out, "function_arn", context.getInvokedFunctionArn());
                out.append(",\"function_memory_size\":").append(context.getMemoryLimitInMB());
                field(out, "function_name", context.getFunctionName());
                field(out, "function_request_id", context.getAwsRequestId());
                field(out, "function_version", context.getFunctionVersion());
            }
        }
        field(out, "service", Observability.service());
        field(out, "timestamp", TIMESTAMP.format(Instant.ofEpochMilli(nowMillis)));
        if (invocation != null) {
            field(out, "xray_trace_id", traceId());
            field(out, "correlation_id", invocation.correlationId());
        }
        field(out, "logger", name);
        return out.append("}\n").toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value != null) {
            JsonText.string(out.append(",\"").append(name).append("\":"), value);
        }
    }

    /**
     * The X-Ray trace's root id: the Java runtime sets the system property for each invocation
     * (the environment variable cannot change once the JVM runs).
     * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
     */
    static String traceId() {
        String header = System.getProperty("com.amazonaws.xray.traceHeader", System.getenv("_X_AMZN_TRACE_ID"));
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring("Root=".length());
            }
        }
        return null;
    }
}
