package org.territoire.local.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.ProjectRoot;
import org.territoire.local.aws.SamTemplate;

/**
 * Cold start of each function's deployment package, in a new JVM per run: the JVM's own
 * start, the handler's init (constructor: clients, schemas), and its first request (a real
 * route, reading the local endpoint), beside two baselines measured in the same run: a bare
 * hello-world handler, and the SDK floor ({@code infrastructure/sdk-floor}: the same DynamoDB
 * client, url-connection HTTP client, one {@code GetItem}). Packages run in turns (one run of
 * each, then the next round), so that a machine shared with other work slows them alike.
 * The whole process counts: wall time from spawning the JVM to its exit, and its CPU time.
 *
 * <p>Each function, HTTP or event and schedule, is also run with its SnapStart hook
 * ({@code beforeCheckpoint}) called after init, as Lambda does before the snapshot: its first
 * request (or event) is then timed against the warm ones of the same JVM.
 *
 * <p>With {@code --levers}, the same rounds also measure what each part of the kernel adds to
 * the floor ({@link LeverProbe}).
 *
 * <p>Not a test: it prints figures for docs/benchmarks.md. Usage:
 * {@code ./run-local.sh bench-cold-start [runs] [--levers | --levers-only] [--classes | --classes-only] [--primed-only | --primed-only=events] [--classes-primed] [--only=A,B] [--baseline=DIR]}
 */
public final class ColdStartBenchmark {
    private static final List<String> JVM_FLAGS = List.of(
            // What Lambda's java21 runtime does: C1 only, class data sharing, serial GC.
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx768m");
    static final String HELLO = "hello-world";
    static final String FLOOR = "sdk-floor";

    record Sample(double wallMs, double cpuMs, double jvmMs, double initMs, double firstMs, String status) {
    }

    record Primed(double primeMs, double firstMs, double warmMs, String status, double firstCpuMs, double warmCpuMs) {
    }

    record Package(String name, Path zip, Path dir, String handler, Path event, boolean http) {
    }

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = java.util.Arrays.stream(args).filter(a -> a.matches("\\d+")).findFirst().map(Integer::parseInt).orElse(5);
        // --levers-only: the levers alone (each on the floor, in its own JVM), without the packages' rounds.
        boolean leversOnly = List.of(args).contains("--levers-only");
        boolean levers = leversOnly || List.of(args).contains("--levers");
        // --classes: one more run of each package with -Xlog:class+load, counted by origin (not timed).
        // --baseline=DIR: each function's zip as copied into DIR from another build (say, before a change) runs too,
        // as "<function> (base)", in the same rounds: an A/B in one run.
        Path baseline = List.of(args).stream().filter(a -> a.startsWith("--baseline=")).findFirst()
                .map(a -> Path.of(a.substring("--baseline=".length()))).orElse(null);
        boolean classesOnly = List.of(args).contains("--classes-only");
        // --primed-only: the functions' primed runs alone, HTTP and event ones (first request or event after the SnapStart
        // hooks against warm ones). --primed-only=events: the event and schedule functions only.
        boolean primedEventsOnly = List.of(args).contains("--primed-only=events");
        boolean primedOnly = primedEventsOnly || List.of(args).contains("--primed-only");
        boolean classes = classesOnly || List.of(args).contains("--classes");
        // --only=A,B: these functions alone (logical ids), beside the baselines when they run.
        List<String> only = List.of(args).stream().filter(a -> a.startsWith("--only=")).findFirst()
                .map(a -> List.of(a.substring("--only=".length()).split(","))).orElse(null);
        // --classes-primed: one primed run of each function with -Xlog:class+load, listing what its first event after
        // the hooks loads (between the probe's marks), grouped by package. Untimed.
        boolean classesPrimed = List.of(args).contains("--classes-primed");
        Path root = ProjectRoot.find();
        LocalAws aws = LocalAws.shared();
        Path work = Files.createTempDirectory("territoire-cold-start");
        Path probe = probeClasses(work.resolve("probe"));
        Map<String, String> env = new LinkedHashMap<>(aws.environment());
        env.put("FLOOR_TABLE", env.get("FEEDBACK_TABLE"));

        Map<String, Path> zips = zipsOf(root);
        List<Package> packages = new ArrayList<>();
        packages.add(pack(work, HELLO, helloWorldZip(work), HelloWorldHandler.class.getName(), "{}", false));
        packages.add(pack(work, FLOOR, root.resolve("infrastructure/sdk-floor/target/sdk-floor.zip"),
                "org.territoire.floor.SdkFloorHandler", "{}", false));
        for (SamTemplate.Function f : aws.template().functions()) {
            if (only != null && !only.contains(f.logicalId())) {
                continue;
            }
            Path zip = zips.get(f.logicalId());
            if (zip == null) {
                throw new IllegalStateException("the Makefile has no build-" + f.logicalId() + " target");
            }
            packages.add(pack(work, f.logicalId(), zip, f.handlerClass(), firstEvent(f), !f.routes().isEmpty()));
            if (baseline != null && Files.exists(baseline.resolve(zip.getFileName()))) {
                packages.add(pack(work, f.logicalId() + " (base)", baseline.resolve(zip.getFileName()), f.handlerClass(), firstEvent(f),
                        !f.routes().isEmpty()));
            }
        }

        if (classesPrimed) {
            printFirstEventClasses(probe, packages.stream().filter(p -> !p.name().equals(HELLO) && !p.name().equals(FLOOR)).toList(),
                    env, work.resolve("class-load-primed"));
            aws.close();
            System.exit(0);
        }
        Package feedback = packages.stream().filter(p -> p.name().equals("FeedbackFunction")).findFirst().orElse(null);
        if (levers && feedback == null) {
            throw new IllegalStateException("the levers run on FeedbackFunction's package: --only must include it");
        }
        Map<String, String> secretEnv = new LinkedHashMap<>(env);
        if (levers) {
            secretEnv.remove("PAGINATION_KEY");
            secretEnv.put("PAGINATION_SECRET_ARN", paginationSecret(aws));
        }

        if (classesOnly) {
            printClasses(probe, packages, env, work.resolve("class-load"));
            aws.close();
            System.exit(0);
        }
        Map<String, List<Sample>> cold = new LinkedHashMap<>();
        Map<String, List<Primed>> primed = new LinkedHashMap<>();
        Map<String, List<double[]>> leverSamples = new LinkedHashMap<>();
        for (int round = 0; round < runs; round++) {
            for (Package p : leversOnly ? List.<Package>of() : packages) {
                // Every function has a SnapStart hook (the HTTP ones ApiPriming, the others EventPriming); the baselines none.
                boolean function = !p.name().equals(HELLO) && !p.name().equals(FLOOR);
                if (primedOnly && (!function || primedEventsOnly && p.http())) {
                    continue;
                }
                if (!primedOnly) {
                    cold.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(run(probe, p, env, false).cold());
                }
                if (function) {
                    primed.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(run(probe, p, env, true).primed());
                }
            }
            for (String lever : levers ? LEVERS : List.<String>of()) {
                leverSamples.computeIfAbsent(lever, k -> new ArrayList<>())
                        .add(runLever(probe, feedback, lever, lever.equals("secrets-manager") ? secretEnv : env));
            }
        }

        System.out.printf("Cold start, %d runs each in turns, JVM %s (%s), flags %s%n%n", runs,
                System.getProperty("java.version"), System.getProperty("java.vm.name"), String.join(" ", JVM_FLAGS));
        if (leversOnly) {
            printLevers(leverSamples);
            aws.close();
            System.exit(0);
        }
        if (primedOnly) {
            printPrimed(primed);
            aws.close();
            System.exit(0);
        }
        System.out.println("| package | size (MiB) | jars | JVM start (ms) | init (ms) | first request (ms) | process wall (ms) "
                + "| process CPU (ms) | wall x floor | CPU x floor | first status |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        double floorWall = median(cold.get(FLOOR), Sample::wallMs);
        double floorCpu = median(cold.get(FLOOR), Sample::cpuMs);
        for (Package p : packages) {
            List<Sample> s = cold.get(p.name());
            double wall = median(s, Sample::wallMs);
            double cpu = median(s, Sample::cpuMs);
            System.out.printf("| %s | %.1f | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %s |%n", p.name(),
                    Files.size(p.zip()) / 1048576.0, jars(p.zip()), median(s, Sample::jvmMs), median(s, Sample::initMs),
                    median(s, Sample::firstMs), wall, cpu, wall / floorWall, cpu / floorCpu, s.get(0).status());
        }
        printPrimed(primed);
        if (levers) {
            printLevers(leverSamples);
        }
        if (classes) {
            printClasses(probe, packages, env, work.resolve("class-load"));
        }
        System.out.println("\nMedians. 'init' is the handler's constructor (what SnapStart snapshots); 'process wall' runs "
                + "from spawning the JVM to its exit; 'x floor' divides by the SDK floor's median.");
        aws.close();
        System.exit(0);
    }

    private static void printPrimed(Map<String, List<Primed>> primed) {
        System.out.println("\nSnapStart priming: the hooks (beforeCheckpoint, afterRestore) after init, then the same first request, then "
                + ColdStartProbe.WARM + " more (warm: their median); CPU: the serving thread's own, which the load of other "
                + "processes and the endpoint's time do not count in.\n");
        System.out.println("| function | priming (ms) | first request after priming (ms) | warm request (ms) | first / warm "
                + "| first request CPU (ms) | warm request CPU (ms) | first / warm CPU | status |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        primed.forEach((name, s) -> {
            double first = median(s, Primed::firstMs);
            double warm = median(s, Primed::warmMs);
            double firstCpu = median(s, Primed::firstCpuMs);
            double warmCpu = median(s, Primed::warmCpuMs);
            System.out.printf("| %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s |%n", name, median(s, Primed::primeMs), first, warm,
                    first / warm, firstCpu, warmCpu, firstCpu / warmCpu, s.get(0).status());
        });
    }

    private static void printLevers(Map<String, List<double[]>> leverSamples) {
        System.out.println("\nLevers, each in a fresh JVM on FeedbackFunction's package: the floor's client and GetItem, "
                + "then the lever's first use; 'added' subtracts the floor run on the same classpath; 'in its process' is "
                + "the CPU from the floor's GetItem to the lever's end, in the same JVM.\n");
        System.out.println("| lever | process wall (ms) | process CPU (ms) | wall added (ms) | CPU added (ms) | CPU of the lever in its process (ms) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        double baseWall = median(leverSamples.get("floor"), v -> v[0]);
        double baseCpu = median(leverSamples.get("floor"), v -> v[1]);
        leverSamples.forEach((lever, v) -> {
            double wall = median(v, x -> x[0]);
            double cpu = median(v, x -> x[1]);
            System.out.printf("| %s | %.0f | %.0f | %+.0f | %+.0f | %.0f |%n", lever, wall, cpu, wall - baseWall, cpu - baseCpu,
                    median(v, x -> x[2]));
        });
    }

    /** Which zip each function's artifact is unpacked from: the Makefile that sam build runs. */
    static Map<String, Path> zipsOf(Path root) throws IOException {
        Map<String, Path> zips = new LinkedHashMap<>();
        Matcher m = Pattern.compile("build-(\\w+):\\s*\\n\\t\\$\\(call package_function,([\\w-]+)(?:,([\\w-]+))?\\)")
                .matcher(Files.readString(root.resolve("Makefile")));
        while (m.find()) {
            String zip = m.group(3) == null ? m.group(2) : m.group(3);
            zips.put(m.group(1), root.resolve("functions/" + m.group(2) + "/target/" + zip + ".zip"));
        }
        return zips;
    }

    static Package pack(Path work, String name, Path zip, String handler, String event, boolean http) throws IOException {
        if (!Files.exists(zip)) {
            throw new IllegalStateException(zip + " is missing: run mvn package first");
        }
        String safe = name.replaceAll("\\W", "_");
        Path eventFile = work.resolve("events/" + safe + ".json");
        Files.createDirectories(eventFile.getParent());
        Files.writeString(eventFile, event);
        return new Package(name, zip, unzip(zip, work.resolve("packages/" + safe)), handler, eventFile, http);
    }

    /** A real first request for each function: a list route of each API, a message, a schedule, an event. */
    static String firstEvent(SamTemplate.Function f) {
        String handler = f.handlerClass();
        if (!f.routes().isEmpty()) {
            String path = switch (handler.substring(handler.lastIndexOf('.') + 1)) {
                case "FeedbackHandler" -> "/services";
                case "BookingsHandler" -> "/resources";
                case "ConsultationsHandler" -> "/consultations";
                case "TelemetryApiHandler" -> "/alerts";
                case "AccountsHandler" -> "/me";
                case "NotificationsHandler" -> "/me/notifications";
                default -> "/";
            };
            return """
                    {"version":"2.0","routeKey":"GET %1$s","rawPath":"%1$s","rawQueryString":"limit=5","headers":{},
                     "queryStringParameters":{"limit":"5"},
                     "requestContext":{"requestId":"bench","http":{"method":"GET","path":"%1$s"},
                       "authorizer":{"jwt":{"claims":{"sub":"bench","cognito:groups":"[resident]","custom:district":"centre"}}}},
                     "isBase64Encoded":false}""".formatted(path);
        }
        if (handler.endsWith("IngestHandler")) {
            return """
                    {"deviceId":"bench-device","clientId":"bench-device","district":"centre",
                     "readings":[{"at":"%s","kind":"AIR_QUALITY","values":{"pm25":4.2}}]}""".formatted(Instant.now());
        }
        if (handler.endsWith("AccountEventsHandler")) {
            // An erasure of an account nobody has: the real path (the table read whole), nothing to change.
            return """
                    {"id":"bench","detail-type":"Account Deleted","source":"territoire.accounts",
                     "detail":{"accountId":"bench-nobody","deletedAt":"%s"}}""".formatted(Instant.now());
        }
        if (handler.endsWith("EventsHandler")) {
            return """
                    {"id":"bench","detail-type":"Occupancy Changed","source":"territoire.telemetry",
                     "detail":{"resourceId":"bench-resource","occupied":true,"observedAt":"%s"}}""".formatted(Instant.now());
        }
        if (handler.endsWith("PhotoProcessingHandler")) {
            // An upload of no granted photo: the real path (the report read, the leftover deleted), nothing published.
            return """
                    {"Records":[{"eventName":"ObjectCreated:Post","s3":{"bucket":{"name":"report-photos-bucket"},
                     "object":{"key":"quarantine/bench-report/bench-photo","size":1}}}]}""";
        }
        if (handler.endsWith("MfaGuardHandler")) {
            return """
                    {"version":"2","triggerSource":"TokenGeneration_Authentication","userPoolId":"local_pool","userName":"bench",
                     "request":{"groupConfiguration":{"groupsToOverride":["resident"]}},"response":{}}""";
        }
        return "{\"id\":\"bench\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.scheduler\",\"detail\":{}}";
    }

    record Outcome(Sample cold, Primed primed) {
    }

    /** What {@link LeverProbe} measures, the floor first. */
    static final List<String> LEVERS = List.of("floor", "kernel-client", "jackson-plain", "jackson-time", "jackson-kernel",
            "jackson-streaming", "jackson-event-tree", "jackson-event-pojo",
            "logging", "metrics", "secrets-manager", "enhanced-client", "kernel-all");

    /** A pagination secret in the local endpoint's Secrets Manager, as the template makes one in AWS. */
    private static String paginationSecret(LocalAws aws) {
        try (var sm = software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                .endpointOverride(aws.url()).region(software.amazon.awssdk.regions.Region.of(aws.environment().get("AWS_REGION")))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            return sm.createSecret(r -> r.name("bench-pagination-" + System.nanoTime())
                    .secretString(java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(32)))).arn();
        }
    }

    /** {wall, cpu, the lever's own cpu} of one {@link LeverProbe} process. */
    private static double[] runLever(Path probe, Package p, String lever, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(probe + ":" + p.dir() + ":" + p.dir().resolve("lib") + "/*");
        command.add(LeverProbe.class.getName());
        command.add(lever);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("POWERTOOLS_SERVICE_NAME", p.name());
        builder.environment().put("POWERTOOLS_LOG_LEVEL", "WARN");
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", p.name());
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        double wallMs = (System.nanoTime() - start) / 1e6;
        Matcher m = Pattern.compile("RESULT (\\d+) (-?\\d+)").matcher(output);
        if (exit != 0 || !m.find()) {
            throw new IllegalStateException("lever " + lever + " failed:\n" + output);
        }
        return new double[] {wallMs, Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /** Where the classes a cold start loads come from, per package: one logged, untimed run each. */
    static final List<String> ORIGINS = List.of("com.fasterxml.jackson.", "software.amazon.awssdk.", "org.territoire.", "org.slf4j.");

    /**
     * What each function's first event after its SnapStart hooks still loads: the classes logged between
     * {@link ColdStartProbe}'s two marks, counted by package, then listed.
     */
    private static void printFirstEventClasses(Path probe, List<Package> packages, Map<String, String> env, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (Package p : packages) {
            Path log = dir.resolve(p.name().replaceAll("\\W", "_") + ".log");
            run(probe, p, env, true, List.of("-Xlog:class+load=info:file=" + log + ":none"));
            List<String> first = new ArrayList<>();
            boolean in = false;
            for (String line : Files.readAllLines(log)) {
                String name = line.indexOf(' ') < 0 ? line : line.substring(0, line.indexOf(' '));
                if (name.endsWith("ColdStartProbe$FirstEventMark")) {
                    in = true;
                } else if (name.endsWith("ColdStartProbe$WarmEventsMark")) {
                    break;
                } else if (in && line.contains(" source: ")) {
                    first.add(name);
                }
            }
            Map<String, Integer> byPackage = new java.util.TreeMap<>();
            first.forEach(n -> byPackage.merge(n.contains("/0x") || n.contains("$$Lambda") ? "(generated)"
                    : n.lastIndexOf('.') < 0 ? "" : n.substring(0, n.lastIndexOf('.')), 1, Integer::sum));
            System.out.printf("%n%s: the first event after priming loads %d classes%n", p.name(), first.size());
            byPackage.forEach((pkg, n) -> System.out.printf("  %4d %s%n", n, pkg));
            first.forEach(n -> System.out.println("    " + n));
        }
    }

    private static void printClasses(Path probe, List<Package> packages, Map<String, String> env, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        System.out.println("\nClasses loaded by init and the first request (-Xlog:class+load, one run each; JDK: the JDK's own, "
                + "of which from the CDS archive; generated: lambdas and proxies).\n");
        System.out.println("| package | classes | JDK | JDK from CDS | Jackson | AWS SDK | org.territoire | SLF4J | generated | other |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Package p : packages) {
            Path log = dir.resolve(p.name().replaceAll("\\W", "_") + ".log");
            run(probe, p, env, false, List.of("-Xlog:class+load=info:file=" + log + ":none"));
            Map<String, Integer> counts = new LinkedHashMap<>();
            int total = 0;
            for (String line : Files.readAllLines(log)) {
                int space = line.indexOf(' ');
                if (space < 0 || !line.contains(" source: ")) {
                    continue;
                }
                total++;
                String name = line.substring(0, space);
                String source = line.substring(line.indexOf(" source: ") + 9);
                String origin = ORIGINS.stream().filter(name::startsWith).findFirst().orElse(null);
                if (origin == null) {
                    origin = source.startsWith("jrt:") || source.startsWith("shared objects file") ? "JDK"
                            : source.startsWith("__") || name.contains("$$Lambda") || name.contains("/0x") ? "generated" : "other";
                }
                counts.merge(origin, 1, Integer::sum);
                if (source.startsWith("shared objects file")) {
                    counts.merge("CDS", 1, Integer::sum);
                }
            }
            System.out.printf("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", p.name(), total, counts.getOrDefault("JDK", 0),
                    counts.getOrDefault("CDS", 0), counts.getOrDefault(ORIGINS.get(0), 0), counts.getOrDefault(ORIGINS.get(1), 0),
                    counts.getOrDefault(ORIGINS.get(2), 0), counts.getOrDefault(ORIGINS.get(3), 0), counts.getOrDefault("generated", 0),
                    counts.getOrDefault("other", 0));
        }
    }

    static Outcome run(Path probe, Package p, Map<String, String> env, boolean primed)
            throws IOException, InterruptedException {
        return run(probe, p, env, primed, List.of());
    }

    static Outcome run(Path probe, Package p, Map<String, String> env, boolean primed, List<String> extraFlags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(probe + ":" + p.dir() + ":" + p.dir().resolve("lib") + "/*");
        command.add(ColdStartProbe.class.getName());
        command.add(p.handler());
        command.add(p.event().toString());
        if (primed) {
            command.add("primed");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("POWERTOOLS_SERVICE_NAME", p.name());
        builder.environment().put("POWERTOOLS_LOG_LEVEL", "WARN");
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", p.name());
        builder.environment().put("BENCH_SPAWN_MS", Long.toString(System.currentTimeMillis()));
        long start = System.nanoTime();
        Process process = builder.start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("RESULT ") || line.startsWith("PRIMED ")) {
                    result = line;
                }
            }
        }
        int exit = process.waitFor();
        double wallMs = (System.nanoTime() - start) / 1e6;
        if (exit != 0 || result == null) {
            throw new IllegalStateException("probe failed for " + p.name() + ":\n" + output);
        }
        String[] f = result.split(" ");
        if (primed) {
            return new Outcome(null, new Primed(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), f[4],
                    Double.parseDouble(f[5]), Double.parseDouble(f[6])));
        }
        return new Outcome(new Sample(wallMs, Double.parseDouble(f[5]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), f[4]), null);
    }

    static Path probeClasses(Path dir) throws IOException, ClassNotFoundException {
        ClassLoader loader = ColdStartProbe.class.getClassLoader();
        for (Class<?> type : List.of(ColdStartProbe.class, ColdStartProbe.FirstEventMark.class, ColdStartProbe.WarmEventsMark.class, Class.forName(ColdStartProbe.class.getName() + "$ProbeContext", false, loader),
                Class.forName(ColdStartProbe.class.getName() + "$ProbeContext$1", false, loader),
                LeverProbe.class, Class.forName(LeverProbe.class.getName() + "$Context", false, loader),
                LeverProbe.Item.class, LeverProbe.Page.class)) {
            copyClass(type, dir);
        }
        return dir;
    }

    private static Path helloWorldZip(Path work) throws IOException {
        Path zip = work.resolve("hello-world.zip");
        Path lambdaCore = Path.of(com.amazonaws.services.lambda.runtime.RequestStreamHandler.class
                .getProtectionDomain().getCodeSource().getLocation().getPath());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            String entry = HelloWorldHandler.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new ZipEntry(entry));
            try (InputStream in = HelloWorldHandler.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
            out.putNextEntry(new ZipEntry("lib/" + lambdaCore.getFileName()));
            Files.copy(lambdaCore, out);
        }
        return zip;
    }

    private static void copyClass(Class<?> type, Path dir) throws IOException {
        String entry = type.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(entry);
        Files.createDirectories(target.getParent());
        try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
            Files.copy(in, target);
        }
    }

    static long jars(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.stream().filter(e -> e.getName().startsWith("lib/") && e.getName().endsWith(".jar")).count();
        }
    }

    private static Path unzip(Path zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("bad entry " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        in.transferTo(out);
                    }
                }
            }
        }
        return dir;
    }

    static <T> double median(List<T> samples, ToDoubleFunction<T> value) {
        double[] sorted = samples.stream().mapToDouble(value).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
