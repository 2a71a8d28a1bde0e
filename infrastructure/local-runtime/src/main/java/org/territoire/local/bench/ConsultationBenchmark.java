package org.territoire.local.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.territoire.consultations.ConsultationsHandler;
import org.territoire.consultations.consultation.ConsultationService;
import org.territoire.consultations.proposal.ProposalService;
import org.territoire.consultations.store.DynamoConsultationRepository;
import org.territoire.consultations.store.DynamoProposalRepository;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Participation throughput under concurrency against the local endpoint, and the DynamoDB
 * request units of each kind of participation. Not a test: it prints figures for
 * docs/benchmarks.md. The handler runs in-process, as the Lambda function would.
 *
 * <p>Usage: {@code ./run-local.sh bench-consultations [threads]}
 */
public final class ConsultationBenchmark {
    private static final String QUESTIONS = """
            [{"text":"Quel jour ?","type":"SINGLE_CHOICE","choices":["Mardi","Samedi","Dimanche"]},
             {"text":"Quels produits ?","type":"MULTIPLE_CHOICE","choices":["Pain","Fleurs","Fromages"],"maxChoices":2},
             {"text":"Intérêt","type":"SCALE"},{"text":"Une idée ?","type":"FREE_TEXT","optional":true}]""";

    private ConsultationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        LocalAws aws = LocalAws.shared();
        DynamoCallCounter counter = new DynamoCallCounter();
        DynamoDbClient dynamo = counter.client();
        String table = "ConsultationsTable";
        Clock clock = Clock.systemUTC();
        var consultations = new ConsultationService(new DynamoConsultationRepository(dynamo, table, PaginationKey.load()), clock);
        var handler = new ConsultationsHandler(consultations, new ProposalService(consultations, new DynamoProposalRepository(dynamo, table, PaginationKey.load()), clock),
                new DynamoIdempotencyStore(dynamo, table, clock));

        System.out.printf("Consultations against the local endpoint (one request at a time, see docs/decisions.md), %d client threads, JVM %s%n%n",
                threads, System.getProperty("java.version"));
        String warm = poll(handler, false);
        Load.run(threads, 100, i -> () -> vote(handler, warm, "warm-" + i, null));

        String poll = poll(handler, false);
        Load.Run voters = Load.run(threads, 400, i -> () -> vote(handler, poll, "voter-" + i, null));
        String again = poll(handler, false);
        Load.Run repeats = Load.run(threads, 400, i -> () -> vote(handler, again, "keen-" + i % 20, null));
        String ideas = proposals(handler);
        String idea = Json.tree(handler.handle(event("POST", "/consultations/" + ideas + "/proposals", resident("author"),
                "{\"title\":\"Des bancs au square\",\"body\":\"Trois bancs sous les platanes.\"}")).body()).path("id").asText();
        Load.Run supports = Load.run(threads, 400, i -> () -> handler.handle(event("POST",
                "/consultations/" + ideas + "/proposals/" + idea + "/support", resident("fan-" + i), null)));

        Load.header();
        Load.row("400 voters on one poll, at once", voters);
        Load.row("400 participations by 20 people, at once", repeats);
        Load.row("400 supports of one proposal, at once", supports);
        JsonCheck.tallies(handler, poll, 400);

        System.out.println("\nDynamoDB work per operation (measured calls, units derived for items under 1 KB):\n");
        System.out.println("| operation | calls | read units | write units |");
        System.out.println("|---|---:|---:|---:|");
        String fixed = poll(handler, false);
        counter.reset();
        vote(handler, fixed, "units-1", null);
        units(counter, "participate, 3 answers, answers not kept (no change allowed)");
        String changeable = poll(handler, true);
        counter.reset();
        vote(handler, changeable, "units-2", "Un marché bio le samedi");
        units(counter, "participate, 4 answers with a free text, answers kept (change allowed)");
        counter.reset();
        handler.handle(event("PUT", "/consultations/" + changeable + "/participation", resident("units-2"), answers("c3", null)));
        units(counter, "change one's answers");
        counter.reset();
        handler.handle(event("POST", "/consultations/" + ideas + "/proposals/" + idea + "/support", resident("units-3"), null));
        units(counter, "support a proposal");
        counter.reset();
        handler.handle(event("GET", "/consultations/" + poll + "/results", agent(), null));
        units(counter, "results of a poll of 400 participants");
        aws.close();
        System.exit(0);
    }

    /** Sanity: the tallies of the 400-voter poll are exact, or the figures above mean nothing. */
    private static final class JsonCheck {
        static void tallies(ConsultationsHandler handler, String poll, int expected) {
            long participants = Json.tree(handler.handle(event("GET", "/consultations/" + poll + "/results", agent(), null)).body())
                    .path("participants").asLong();
            if (participants != expected) {
                throw new IllegalStateException("tallies are wrong: " + participants + " participants, expected " + expected);
            }
            System.out.println("\n(tallies checked: " + participants + " participants)");
        }
    }

    private static void units(DynamoCallCounter counter, String label) {
        System.out.printf("| %s | %d | %.1f | %.0f |%n", label, counter.calls(), counter.readUnits(), counter.writeUnits());
    }

    private static ApiResponse vote(ConsultationsHandler handler, String poll, String who, String text) {
        return handler.handle(event("POST", "/consultations/" + poll + "/participation", resident(who), answers("c" + (1 + Math.abs(who.hashCode()) % 3), text)));
    }

    private static String answers(String day, String text) {
        return "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"" + day + "\"]},{\"questionId\":\"q2\",\"choices\":[\"c1\",\"c3\"]},"
                + "{\"questionId\":\"q3\",\"value\":4}" + (text == null ? "" : ",{\"questionId\":\"q4\",\"text\":\"" + text + "\"}") + "]}";
    }

    private static String poll(ConsultationsHandler handler, boolean allowChange) {
        return open(handler, "\"kind\":\"POLL\",\"allowChange\":" + allowChange + ",\"questions\":" + QUESTIONS);
    }

    private static String proposals(ConsultationsHandler handler) {
        return open(handler, "\"kind\":\"PROPOSALS\",\"supportThreshold\":50");
    }

    private static String open(ConsultationsHandler handler, String fields) {
        Instant opens = Instant.now().minusSeconds(60);
        String body = "{\"title\":\"Bench " + UUID.randomUUID() + "\",\"description\":\"Benchmark\",\"opensAt\":\"" + opens
                + "\",\"closesAt\":\"" + opens.plus(Duration.ofDays(1)) + "\"," + fields + "}";
        ApiResponse created = handler.handle(event("POST", "/consultations", agent(), body));
        if (created.statusCode() != 201) {
            throw new IllegalStateException(created.body());
        }
        String id = Json.tree(created.body()).path("consultation").path("id").asText();
        handler.handle(event("POST", "/consultations/" + id + "/schedule", agent(), null));
        return id;
    }

    private static HttpApiEvent event(String method, String path, Map<String, String> claims, String body) {
        return new HttpApiEvent(UUID.randomUUID().toString(), method, path, Map.of(), Map.of(), Map.of(), body, claims);
    }

    private static Map<String, String> resident(String id) {
        return Map.of("sub", id, "cognito:groups", "[resident]", "custom:district", "centre");
    }

    private static Map<String, String> agent() {
        return Map.of("sub", "bench-agent", "cognito:groups", "[agent]", "custom:organisation", "mairie");
    }
}
