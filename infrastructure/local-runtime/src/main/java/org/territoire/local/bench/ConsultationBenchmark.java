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
        BudgetVote.run(dynamo, table, clock, counter);
        aws.close();
        System.exit(0);
    }

    /**
     * A participatory budget's vote: 300 residents saving a draft and confirming it at once, on
     * 300 client threads, then 50 changing their ballot at once; the transaction conflicts the
     * kernel retried, and the request units of one ballot. A third of the voters pick the same
     * "hot" project, to show it does not throttle the vote.
     */
    private static final class BudgetVote {
        static void run(DynamoDbClient dynamo, String table, Clock clock, DynamoCallCounter counter) throws Exception {
            var consultations = new ConsultationService(new DynamoConsultationRepository(dynamo, table, PaginationKey.load()), clock);
            var budgets = new org.territoire.consultations.budget.BudgetService(
                    new org.territoire.consultations.budget.store.DynamoBudgetRepository(dynamo, table, PaginationKey.load()), clock);
            var handler = new ConsultationsHandler(consultations, new ProposalService(consultations,
                    new DynamoProposalRepository(dynamo, table, PaginationKey.load()), clock), budgets, new DynamoIdempotencyStore(dynamo, table, clock));
            Instant now = Instant.now();
            String id = Json.tree(handler.handle(event("POST", "/budgets", agent(), """
                    {"title":"Bench budget","description":"Benchmark","amount":1200000,"rule":{"kind":"KNAPSACK"},"allowChange":true,
                     "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                    .formatted(now.minusSeconds(60), now.plusSeconds(3600), now.plusSeconds(7200), now.plus(Duration.ofDays(1))))).body())
                    .path("id").asText();
            String path = "/budgets/" + id;
            handler.handle(event("POST", path + "/schedule", agent(), null));
            java.util.List<String> projects = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                projects.add(Json.tree(handler.handle(event("POST", path + "/projects", resident("author"), """
                        {"title":"Projet %d","description":"Un projet du benchmark","location":{"latitude":45.76,"longitude":4.83},"cost":100000}"""
                        .formatted(i))).body()).path("id").asText());
            }
            handler.handle(event("POST", path + "/next-phase", agent(), null));
            projects.forEach(p -> handler.handle(event("PUT", path + "/projects/" + p + "/review", agent(),
                    "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable\",\"estimatedCost\":100000}")));
            handler.handle(event("POST", path + "/next-phase", agent(), null));

            counter.reset();
            Load.Run drafts = Load.run(300, 300, i -> () -> handler.handle(event("PUT", path + "/ballot", resident("budget-voter-" + i),
                    selection(projects, i, 0))));
            long draftTransactions = counter.transactions();
            long draftConflicts = counter.transactionConflicts();
            counter.reset();
            Load.Run confirms = Load.run(300, 300, i -> () -> handler.handle(event("POST", path + "/ballot/confirm", resident("budget-voter-" + i), null)));
            long confirmTransactions = counter.transactions();
            long confirmConflicts = counter.transactionConflicts();
            counter.reset();
            Load.Run changes = Load.run(50, 50, i -> () -> {
                handler.handle(event("PUT", path + "/ballot", resident("budget-voter-" + i), selection(projects, i, 1)));
                return handler.handle(event("POST", path + "/ballot/confirm", resident("budget-voter-" + i), null));
            });
            long changeTransactions = counter.transactions();
            long changeConflicts = counter.transactionConflicts();

            System.out.println("\nParticipatory budget vote (12 projects, a third of the ballots on one hot project), 300 client threads:\n");
            Load.header();
            Load.row("300 residents saving a draft at once", drafts);
            Load.row("300 residents confirming at once", confirms);
            Load.row("50 residents changing their ballot at once (draft + confirm, timed together)", changes);
            long confirmed = Json.tree(handler.handle(event("GET", path + "/participation", agent(), null)).body()).path("confirmed").asLong();
            if (confirmed != 300) {
                throw new IllegalStateException("budget tallies are wrong: " + confirmed + " confirmed, expected 300");
            }
            System.out.printf("%n(tallies checked: %d ballots confirmed)%n%n", confirmed);
            System.out.println("| step | transactions | cancelled by a conflict (retried) | conflict rate |");
            System.out.println("|---|---:|---:|---:|");
            conflictRow("drafts", draftTransactions, draftConflicts);
            conflictRow("confirmations", confirmTransactions, confirmConflicts);
            conflictRow("changes", changeTransactions, changeConflicts);

            System.out.println("\n| one ballot | calls | read units | write units |");
            System.out.println("|---|---:|---:|---:|");
            counter.reset();
            handler.handle(event("PUT", path + "/ballot", resident("budget-units"), selection(projects, 1, 0)));
            units(counter, "save a first draft (3 projects)");
            counter.reset();
            handler.handle(event("PUT", path + "/ballot", resident("budget-units"), selection(projects, 2, 0)));
            units(counter, "save the draft again");
            counter.reset();
            handler.handle(event("POST", path + "/ballot/confirm", resident("budget-units"), null));
            units(counter, "confirm it");
            counter.reset();
            handler.handle(event("PUT", path + "/ballot", resident("budget-units"), selection(projects, 2, 1)));
            handler.handle(event("POST", path + "/ballot/confirm", resident("budget-units"), null));
            units(counter, "change a confirmed ballot (draft + confirm)");
        }

        /** Three projects: the hot one for a third of the voters, two others by the voter's number. */
        private static String selection(java.util.List<String> projects, int i, int shift) {
            String first = i % 3 == 0 ? projects.get(0) : projects.get(1 + (i + shift) % 11);
            String second = projects.get(1 + (i + 3 + 2 * shift) % 11);
            String third = projects.get(1 + (i + 7 + 3 * shift) % 11);
            return "{\"projectIds\":" + Json.write(new java.util.LinkedHashSet<>(java.util.List.of(first, second, third))) + "}";
        }

        private static void conflictRow(String step, long transactions, long conflicts) {
            System.out.printf("| %s | %d | %d | %.1f %% |%n", step, transactions, conflicts, transactions == 0 ? 0 : 100.0 * conflicts / transactions);
        }
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
