package org.territoire.local.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.ProjectRoot;
import org.territoire.local.aws.SamTemplate;

/**
 * Cold start of each function's deployment package, in a new JVM per run: the JVM's own
 * start, the handler's init (constructor: clients, schemas), and its first request (a real
 * call to the local endpoint where the route reads DynamoDB), beside the same figures for a
 * bare hello-world handler measured in the same run. Not a test: it prints figures for
 * docs/benchmarks.md. Without SnapStart; in AWS, SnapStart restores a snapshot taken after init.
 *
 * <p>Usage: {@code ./run-local.sh bench-cold-start [runs]}
 */
public final class ColdStartBenchmark {
    private static final List<String> JVM_FLAGS = List.of(
            // What Lambda's java21 runtime does: C1 only, class data sharing, serial GC.
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx768m");

    record Sample(double jvmMs, double initMs, double firstMs, String status) {
    }

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = ProjectRoot.find();
        LocalAws aws = LocalAws.shared();
        Path work = Files.createTempDirectory("territoire-cold-start");
        Path probe = probeClasses(work.resolve("probe"));
        Path events = work.resolve("events");
        Files.createDirectories(events);

        Map<String, Path> packages = new LinkedHashMap<>();
        Map<String, String> handlers = new LinkedHashMap<>();
        packages.put("hello-world (baseline)", helloWorldZip(work));
        handlers.put("hello-world (baseline)", HelloWorldHandler.class.getName());
        for (SamTemplate.Function f : aws.template().functions()) {
            String module = f.handlerClass().split("\\.")[2];
            packages.put(f.logicalId(), root.resolve("functions/" + module + "/target/" + module + ".zip"));
            handlers.put(f.logicalId(), f.handlerClass());
        }

        System.out.printf("Cold start, %d runs each, JVM %s (%s), flags %s%n%n", runs,
                System.getProperty("java.version"), System.getProperty("java.vm.name"), String.join(" ", JVM_FLAGS));
        System.out.println("| package | size (MiB) | JVM start (ms) | init (ms) | first request (ms) | init + first (ms) | x hello | first status |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        double baseline = 0;
        for (var entry : packages.entrySet()) {
            Path zip = entry.getValue();
            if (!Files.exists(zip)) {
                throw new IllegalStateException(zip + " is missing: run mvn package first");
            }
            Path dir = unzip(zip, work.resolve(entry.getKey().replaceAll("\\W", "_")));
            Path event = events.resolve(entry.getKey().replaceAll("\\W", "_") + ".json");
            Files.writeString(event, firstEvent(entry.getKey()));
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                samples.add(run(probe, dir, handlers.get(entry.getKey()), event, aws.environment(), entry.getKey()));
            }
            double init = median(samples.stream().mapToDouble(Sample::initMs).toArray());
            double first = median(samples.stream().mapToDouble(Sample::firstMs).toArray());
            double total = median(samples.stream().mapToDouble(s -> s.initMs() + s.firstMs()).toArray());
            if (baseline == 0) {
                baseline = total;
            }
            System.out.printf("| %s | %.1f | %.0f | %.0f | %.0f | %.0f | %.1f | %s |%n", entry.getKey(),
                    Files.size(zip) / 1048576.0, median(samples.stream().mapToDouble(Sample::jvmMs).toArray()),
                    init, first, total, total / baseline, samples.get(0).status());
        }
        System.out.println("\nMedians. 'init' is the handler's constructor (what SnapStart snapshots); "
                + "'first request' includes the first DynamoDB call where the route makes one.");
        aws.close();
        System.exit(0);
    }

    private static String firstEvent(String function) {
        String path = function.startsWith("Feedback") ? "/services" : "/";
        return """
                {"version":"2.0","routeKey":"GET %1$s","rawPath":"%1$s","rawQueryString":"limit=5","headers":{},
                 "queryStringParameters":{"limit":"5"},
                 "requestContext":{"requestId":"bench","http":{"method":"GET","path":"%1$s"},
                   "authorizer":{"jwt":{"claims":{"sub":"bench","cognito:groups":"[resident]","custom:district":"centre"}}}},
                 "isBase64Encoded":false}""".formatted(path);
    }

    private static Sample run(Path probe, Path dir, String handler, Path event, Map<String, String> env, String name)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(probe + ":" + dir + ":" + dir.resolve("lib") + "/*");
        command.add(ColdStartProbe.class.getName());
        command.add(handler);
        command.add(event.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("POWERTOOLS_SERVICE_NAME", name);
        builder.environment().put("POWERTOOLS_LOG_LEVEL", "WARN");
        Process process = builder.start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        if (process.waitFor() != 0 || result == null) {
            throw new IllegalStateException("probe failed for " + name + ":\n" + output);
        }
        String[] f = result.split(" ");
        return new Sample(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), f[4]);
    }

    private static Path probeClasses(Path dir) throws IOException, ClassNotFoundException {
        for (Class<?> type : List.of(ColdStartProbe.class, Class.forName(ColdStartProbe.class.getName() + "$ProbeContext", false,
                ColdStartProbe.class.getClassLoader()))) {
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

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
