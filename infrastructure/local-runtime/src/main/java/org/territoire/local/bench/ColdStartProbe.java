package org.territoire.local.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Runs in a fresh JVM whose classpath is one unpacked deployment package (plus this class):
 * builds the handler as Lambda's runtime would (its init), serves one event, and prints
 * {@code RESULT jvmMs initMs firstRequestMs status cpuMs}, where cpuMs is the process's CPU
 * time (all threads, user and system) until then. It depends only on the Lambda interface,
 * which every package carries.
 *
 * <p>With {@code primed} as third argument it runs the SnapStart hooks after init, as Lambda
 * does around the snapshot ({@code beforeCheckpoint}, then {@code afterRestore}), then
 * times the first request and {@value #WARM} more, and prints
 * {@code PRIMED primeMs firstMs warmMedianMs status firstCpuMs warmMedianCpuMs} (the CPU of the
 * serving thread alone).
 */
public final class ColdStartProbe {
    static final int WARM = 20;

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        // The benchmark passes the instant it spawned this JVM (/proc's start time is too coarse).
        long jvmMs = System.currentTimeMillis() - Long.parseLong(System.getenv().getOrDefault("BENCH_SPAWN_MS", "0"));
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        boolean primed = args.length > 2 && args[2].equals("primed");
        long t0 = System.nanoTime();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long t1 = System.nanoTime();
        if (!primed) {
            String status = serve(handler, event, args[0]);
            long t2 = System.nanoTime();
            long cpuMs = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
            System.out.printf("RESULT %d %.1f %.1f %s %d%n", jvmMs, (t1 - t0) / 1e6, (t2 - t1) / 1e6, status, cpuMs);
            return;
        }
        // The serving thread's own CPU, beside the wall time: the endpoint's time and other
        // processes' load do not count in it, so first/warm compares what priming can change.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadCpuTime();
        checkpointAndRestore(handler);
        // Marks in -Xlog:class+load's log (the benchmark's --classes-primed): what follows is the first event's own.
        new FirstEventMark();
        long t2 = System.nanoTime();
        long c2 = threads.getCurrentThreadCpuTime();
        String status = serve(handler, event, args[0]);
        long t3 = System.nanoTime();
        double firstCpu = (threads.getCurrentThreadCpuTime() - c2) / 1e6;
        new WarmEventsMark();
        double[] warm = new double[WARM];
        double[] warmCpu = new double[WARM];
        for (int i = 0; i < WARM; i++) {
            long s = System.nanoTime();
            long c = threads.getCurrentThreadCpuTime();
            serve(handler, event, args[0]);
            warm[i] = (System.nanoTime() - s) / 1e6;
            warmCpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
        }
        Arrays.sort(warm);
        Arrays.sort(warmCpu);
        System.out.printf("PRIMED %.1f %.1f %.1f %s %.2f %.2f%n", (t2 - t1) / 1e6, (t3 - t2) / 1e6, warm[WARM / 2], status,
                firstCpu, warmCpu[WARM / 2]);
    }

    /** Loaded just before the first event after priming: a mark in the class-load log. */
    static final class FirstEventMark {
    }

    /** Loaded just after the first event after priming. */
    static final class WarmEventsMark {
    }

    /**
     * What Lambda does when it publishes a SnapStart version, then restores it: the CRaC
     * resources get {@code beforeCheckpoint}, then {@code afterRestore}. Outside a CRaC JVM
     * org.crac keeps no list of them, so this calls the handler's hooks (it registers itself;
     * no library of the packages registers one since Powertools left them). By reflection:
     * this class sees only the Lambda interface; the package carries org.crac.
     */
    private static void checkpointAndRestore(RequestStreamHandler handler) throws ReflectiveOperationException {
        ClassLoader loader = handler.getClass().getClassLoader();
        Class<?> context = Class.forName("org.crac.Context", true, loader);
        Class<?> resource = Class.forName("org.crac.Resource", true, loader);
        if (!resource.isInstance(handler)) {
            throw new IllegalStateException(handler.getClass().getName() + " is not a CRaC resource");
        }
        resource.getMethod("beforeCheckpoint", context).invoke(handler, new Object[] {null});
        resource.getMethod("afterRestore", context).invoke(handler, new Object[] {null});
    }

    private static String serve(RequestStreamHandler handler, byte[] event, String name) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new ProbeContext(name));
        String response = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        return response.matches("(?s).*\"statusCode\"\\s*:\\s*\\d+.*")
                ? response.replaceAll("(?s).*?\"statusCode\"\\s*:\\s*(\\d+).*", "$1") : "ok";
    }

    private record ProbeContext(String name) implements com.amazonaws.services.lambda.runtime.Context {
        public String getAwsRequestId() { return "bench"; }
        public String getLogGroupName() { return "/aws/lambda/" + name; }
        public String getLogStreamName() { return "bench"; }
        public String getFunctionName() { return name; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:local:000000000000:function:" + name; }
        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() { return null; }
        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 15_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
            return new com.amazonaws.services.lambda.runtime.LambdaLogger() {
                public void log(String message) { System.out.print(message); }
                public void log(byte[] message) { System.out.print(new String(message)); }
            };
        }
    }
}
