package org.territoire.local.runtime;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.territoire.local.aws.ProjectRoot;

/**
 * The local runtime's command line.
 * <pre>
 *   run [--no-demo] [--verbose]  start the platform with demo data and wait for Ctrl-C; functions log to
 *                          .local/logs/&lt;function&gt;.log (--verbose: to the console too), one line per request on the console
 *   token --sub alice --groups resident [--district centre] [--organisation mairie] [--hours 12]   (--groups none: no role)
 *                          print a bearer token that the local API accepts
 *   bench-cold-start [runs] [--levers] [--classes] each function package's cold start against the SDK floor (docs/benchmarks.md)
 *   bench-bookings [threads] booking throughput, latency and request units (docs/benchmarks.md)
 *   bench-consultations [threads] participation throughput and request units (docs/benchmarks.md)
 *   bench-telemetry [devices] [messages] [readings]  ingestion throughput, request units, cost (docs/benchmarks.md)
 *   bench-telemetry-week [reps]  ingestion and telemetry routes after a day and after a week of the demo fleet's data
 *   bench-compression [runs]  bytes and time gzip adds to the largest answer (a page of 5,000 readings)
 *   bench-heic [megapixels] [runs]  a HEIC decoded in the sandbox against native libheif and the same photo as JPEG
 *   bench-throughput [threads] [fill]  booking, voting, rating throughput over HTTP against raw PutItem, before and after fill bookings
 *   capacity                       the capacity model's tables (docs/capacity.md)
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        boolean onlyOptions = args.length == 0 || args[0].startsWith("--");
        String command = onlyOptions ? "run" : args[0];
        List<String> rest = onlyOptions ? Arrays.asList(args) : Arrays.asList(args).subList(1, args.length);
        if (command.startsWith("bench-")) {
            // The functions' log lines and EMF blobs go to .local/logs, as with the run command: the console keeps the figures.
            FunctionLogs.install(LocalPlatform.stateDir().resolve("logs"), false);
        }
        switch (command) {
            case "run" -> run(rest);
            case "token" -> System.out.println(token(rest));
            case "bench-cold-start" -> org.territoire.local.bench.ColdStartBenchmark.main(rest.toArray(String[]::new));
            case "bench-bookings" -> org.territoire.local.bench.BookingBenchmark.main(rest.toArray(String[]::new));
            case "bench-consultations" -> org.territoire.local.bench.ConsultationBenchmark.main(rest.toArray(String[]::new));
            case "bench-telemetry" -> org.territoire.local.bench.TelemetryBenchmark.main(rest.toArray(String[]::new));
            case "bench-telemetry-week" -> org.territoire.local.bench.TelemetryWeekBenchmark.main(rest.toArray(String[]::new));
            case "bench-compression" -> org.territoire.local.bench.CompressionBenchmark.main(rest.toArray(String[]::new));
            case "bench-throughput" -> org.territoire.local.bench.ThroughputBenchmark.main(rest.toArray(String[]::new));
            case "bench-heic" -> org.territoire.local.bench.HeicBenchmark.main(rest.toArray(String[]::new));
            case "capacity" -> org.territoire.local.bench.CapacityModel.main(rest.toArray(String[]::new));
            default -> {
                System.err.println("usage: run | token --sub ID --groups resident,agent [--district D] [--organisation O] [--hours H]");
                System.exit(2);
            }
        }
    }

    /**
     * The public figures of reports (GET /reports/stats) are computed by the feedback sweep, which its schedule runs
     * hourly: run once over the demo's reports here, so that a first run shows them at once, not an hour later.
     */
    private static void computePublicFigures(LocalPlatform platform) {
        var template = platform.aws().template();
        try {
            var schedule = template.schedules().stream()
                    .filter(s -> s.functionLogicalId().equals("FeedbackSweepFunction")).findFirst().orElseThrow();
            new FunctionHost().invoke(template.function("FeedbackSweepFunction"),
                    ScheduleEmulator.event(schedule).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (Exception e) {
            System.err.println("[demo] the public figures of reports wait for the feedback sweep's schedule: " + e);
        }
    }

    /**
     * The demo's connected devices: registered through the API, a day of history published at
     * once, then a reading a minute each, over MQTT like real devices.
     */
    private static void simulateDevices(LocalPlatform platform, String agent) {
        var fleet = DeviceSimulator.fleet();
        DeviceSimulator simulator = new DeviceSimulator("127.0.0.1", platform.iot().port());
        // Each device registers with its own CSR and connects as itself, with the certificate it was issued.
        simulator.register(platform.apiUrl(), agent, fleet);
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        int history = simulator.backfill(fleet, now.minus(Duration.ofHours(24)), now, Duration.ofMinutes(15));
        var live = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "device-simulator");
            t.setDaemon(true);
            return t;
        });
        live.scheduleAtFixedRate(() -> {
            try {
                java.time.Instant at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                simulator.backfill(fleet, at, at.plusMillis(1), Duration.ofMinutes(1));
            } catch (RuntimeException e) {
                System.err.println("device simulator: " + e.getMessage());
            }
        }, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            live.shutdownNow();
            simulator.close();
        }));
        System.out.println("Simulated devices: " + fleet.size() + " (each registered with its own CSR and connected with its"
                + " certificate; a day of history, " + history + " readings, then one a minute each over MQTT).");
    }

    private static void run(List<String> args) throws Exception {
        boolean demo = !args.contains("--no-demo");
        // First, before any function starts: their output goes to their own files.
        FunctionLogs logs = FunctionLogs.install(LocalPlatform.stateDir().resolve("logs"), args.contains("--verbose"));
        PrintStream console = logs.console();
        LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.DEFAULT);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Territoire...");
            platform.close();
            platform.aws().close();
            stopped.countDown();
        }));
        String agent = platform.issuer().mint(LocalIssuer.User.of("agent-demo", "agent").ofOrganisation("mairie"));
        // Calendar events link back to a booking's page in the web client below, as in AWS (template: WEB_CLIENT_URL).
        org.territoire.shared.config.Env.override(java.util.Map.of("WEB_CLIENT_URL", "http://127.0.0.1:8080"));
        if (demo) {
            new DemoData(platform).load();
            simulateDevices(platform, agent);
            computePublicFigures(platform);
        }
        String resident = platform.issuer().mint(LocalIssuer.User.of("resident-demo", "resident").inDistrict("centre"));
        // Scripts read the local user pool's address and client id (made anew each run) from here.
        java.nio.file.Files.writeString(LocalPlatform.stateDir().resolve("user-pool.json"), org.territoire.shared.json.Json.write(
                java.util.Map.of("url", platform.userPool().url().toString(), "clientId", platform.userPool().clientId(),
                        "outbox", platform.userPool().outbox().toString())));
        // Notification mails (SES on the local endpoint), copied to files a person can open.
        java.nio.file.Path mails = LocalPlatform.stateDir().resolve("mail").resolve("ses");
        var mirror = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-mail");
            t.setDaemon(true);
            return t;
        });
        mirror.scheduleWithFixedDelay(() -> {
            try {
                platform.mail().mirror(mails);
            } catch (Exception e) {
                System.err.println("[mail] " + e);
            }
        }, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
        // The built web client and its local sign-in (the stand-in for Cognito's managed login), on its own port.
        WebClientServer web = new WebClientServer(java.nio.file.Path.of("web", "dist"), platform.apiUrl(), platform.issuer(), platform.userPool(), 8080,
                WebClientServer.TOKEN_TTL);
        Runtime.getRuntime().addShutdownHook(new Thread(web::close));
        console.printf("""

                Territoire is running locally.
                  Web client          %s   (sign in with a demo user)
                  HTTP API            %s   (routes of template.yaml: %s)
                  JWKS (local issuer) %s/.well-known/jwks.json
                  API reference       %2$s/docs   (the description: %2$s/openapi.yaml, %2$s/openapi.json)
                  MQTT (IoT Core)     %s   (topic rules of template.yaml: %s)
                  Schedules           %s
                  EventBridge         %s   (rules: %s)
                  AWS endpoint        %s   (DynamoDB tables: %s)

                Tokens for a resident of the district "centre" and an agent of the "mairie":
                  export RESIDENT=%s
                  export AGENT=%s

                Try:
                  curl -H "Authorization: Bearer $RESIDENT" "%s/services?kind=TERRITORIAL"
                Mint other tokens with: ./run-local.sh token --sub alice --groups resident --district centre
                Function logs (JSON lines, EMF metrics): %s/<function>.log%s
                Sign up as a newcomer: the local user pool %s (Cognito's API: SignUp, ConfirmSignUp, InitiateAuth;
                  client id %s, both in .local/user-pool.json), its emailed codes in %s; the README walks through it.
                Notification mails (SES): %s/<id>.eml (also %s/_territoire/ses/sent), sent from %s.
                Ctrl-C stops everything. Requests, one line each:
                %n""", web.url() + "/", platform.apiUrl(), platform.api().routeKeys().size(), platform.apiUrl(), platform.iot().url(),
                platform.iot().ruleNames().isEmpty() ? "none yet" : String.join(", ", platform.iot().ruleNames()),
                String.join(", ", platform.schedules().timers().stream()
                        .map(t -> t.schedule().functionLogicalId() + " every " + t.every().toMinutes() + " min").toList()),
                platform.events().url(), String.join(", ", platform.events().ruleNames()),
                platform.aws().url(),
                String.join(", ", platform.aws().tables()), resident, agent, platform.apiUrl(),
                ProjectRoot.find().relativize(logs.dir()), args.contains("--verbose") ? " (and here, --verbose)" : "",
                platform.userPool().url(), platform.userPool().clientId(), ProjectRoot.find().relativize(platform.userPool().outbox()),
                ProjectRoot.find().relativize(mails), platform.aws().url(), LocalMail.SENDER);
        // From now on, as sam local does: one line per request (the demo's own loading is not shown).
        platform.api().onRequest(console::println);
        stopped.await();
    }

    static String token(List<String> args) {
        String sub = option(args, "--sub").orElseThrow(() -> new IllegalArgumentException("--sub is required"));
        String named = option(args, "--groups").orElse("resident");
        // "none": a signed-up account that no one has given a role yet.
        List<String> groups = named.equals("none") ? List.of() : Arrays.stream(named.split(",")).filter(g -> !g.isBlank()).toList();
        LocalIssuer.User user = new LocalIssuer.User(sub, new ArrayList<>(groups),
                option(args, "--district"), option(args, "--organisation"));
        int hours = Integer.parseInt(option(args, "--hours").orElse("12"));
        return LocalIssuer.loadOrCreate(LocalPlatform.stateDir()).mint(user, Duration.ofHours(hours));
    }

    private static Optional<String> option(List<String> args, String name) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? Optional.of(args.get(at + 1)) : Optional.empty();
    }
}
