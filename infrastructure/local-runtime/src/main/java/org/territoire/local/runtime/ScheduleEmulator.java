package org.territoire.local.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

/**
 * Local EventBridge schedules: each {@code Schedule} event of template.yaml with a
 * {@code rate(n unit)} invokes its function with a "Scheduled Event" at that rate. A
 * {@code cron(...)} expression is refused when the template is loaded, rather than ignored.
 */
public final class ScheduleEmulator implements AutoCloseable {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

    /** A schedule and its period. */
    public record Timer(SamTemplate.Schedule schedule, Duration every) {
    }

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-schedules");
        t.setDaemon(true);
        return t;
    });
    private final List<Timer> timers = new ArrayList<>();

    public ScheduleEmulator(SamTemplate template, FunctionHost functions) {
        for (SamTemplate.Schedule schedule : template.schedules()) {
            Timer timer = new Timer(schedule, period(schedule.expression()));
            timers.add(timer);
            SamTemplate.Function function = template.function(schedule.functionLogicalId());
            long seconds = timer.every().toSeconds();
            scheduler.scheduleAtFixedRate(() -> {
                try {
                    functions.invoke(function, event(schedule).getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    System.err.println("[schedule] " + schedule.functionLogicalId() + " failed: " + e);
                }
            }, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    public List<Timer> timers() {
        return List.copyOf(timers);
    }

    static Duration period(String expression) {
        Matcher m = RATE.matcher(expression.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("the local scheduler runs rate(...) expressions only, not " + expression);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(n);
            case "hour", "hours" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The event EventBridge sends for a scheduled rule. */
    static String event(SamTemplate.Schedule schedule) {
        var event = Json.MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", "000000000000");
        event.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", LocalAws.REGION);
        event.putArray("resources").add("arn:aws:events:" + LocalAws.REGION + ":000000000000:rule/"
                + schedule.functionLogicalId() + schedule.eventName());
        event.putObject("detail");
        return Json.write(event);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
