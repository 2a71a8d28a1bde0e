package org.territoire.local.runtime;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.territoire.feedback.loop.FeedbackSweepHandler;
import org.territoire.feedback.loop.LoopService;
import org.territoire.feedback.loop.LoopWiring;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.events.EventBridgeDomainEvents;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A test's way to be four weeks on for one scheduled function: {@code sweep-feedback <instant>} runs the feedback
 * sweep (template.yaml {@code FeedbackSweepFunction}, every 15 minutes in AWS) once, now, with its clock at that
 * instant, against this platform's tables and bus, exactly as the function's handler runs in Lambda
 * (ClosingTheLoopEndToEndTest does the same in Java). It exists only in the local platform's test entry point
 * ({@link WebClientServer#main}, read from the standard input of the process the browser journeys start), never
 * over HTTP and never in the deployed stack. It refuses what a schedule could not do: an instant in the past (a
 * sweep's clock is the time it runs at, so it never goes back), a malformed one, any other command.
 */
final class LocalSweep {
    private LocalSweep() {
    }

    /** Runs one command line; answers {@code SWEPT <the sweep's summary>} or {@code REFUSED <why>}. */
    static String run(LocalPlatform platform, String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length != 2 || !"sweep-feedback".equals(words[0])) {
            return "REFUSED unknown command (sweep-feedback <ISO-8601 instant> only)";
        }
        Instant at;
        try {
            at = Instant.parse(words[1]);
        } catch (DateTimeParseException e) {
            return "REFUSED not an ISO-8601 instant";
        }
        if (at.isBefore(Instant.now())) {
            return "REFUSED a sweep's clock never goes back";
        }
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        try (EventBridgeClient bus = EventBridgeClient.builder().endpointOverride(platform.events().url()).region(Region.of(LocalAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            // The template's ResolutionCheckDays default, as the local function gets it.
            LoopService loop = LoopWiring.service(platform.aws().dynamoDb(), "FeedbackTable", clock, PaginationKey.load(),
                    new EventBridgeDomainEvents(bus, "TerritoireEventBus", LoopWiring.SOURCE), LoopService.DEFAULT_CHECK_AFTER);
            var out = new java.io.ByteArrayOutputStream();
            new FeedbackSweepHandler(loop, clock).handleRequest(new java.io.ByteArrayInputStream(
                    "{\"id\":\"local-sweep\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}".getBytes()), out,
                    org.territoire.shared.local.LocalContext.of("FeedbackSweepFunction"));
            return "SWEPT " + Json.tree(out.toString());
        } catch (Exception e) {
            return "REFUSED the sweep failed: " + e.getClass().getSimpleName();
        }
    }
}
