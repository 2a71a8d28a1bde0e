package org.territoire.local.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM whose classpath is one unpacked deployment package (plus this class):
 * builds the handler as Lambda's runtime would (its init), serves one event, and prints
 * {@code jvmMs initMs firstRequestMs status}. It depends only on the Lambda interface,
 * which every package carries.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        long t0 = System.nanoTime();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long t1 = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new ProbeContext(args[0]));
        long t2 = System.nanoTime();
        String response = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        String status = response.replaceAll("(?s).*\"statusCode\"\\s*:\\s*(\\d+).*", "$1");
        System.out.printf("RESULT %d %.1f %.1f %s%n", jvmMs, (t1 - t0) / 1e6, (t2 - t1) / 1e6, status);
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
