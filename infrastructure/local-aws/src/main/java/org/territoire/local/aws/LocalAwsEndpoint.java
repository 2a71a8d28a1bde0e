package org.territoire.local.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local AWS endpoint process (infrastructure/local/endpoint.py, moto behind a lock),
 * started from the project's virtualenv on a free loopback port.
 */
public final class LocalAwsEndpoint implements AutoCloseable {
    private static final String READY = "territoire-local-aws ready ";

    private final Process process;
    private final URI url;

    private LocalAwsEndpoint(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    public static LocalAwsEndpoint start(Path root, int port) {
        Path python = root.resolve(".venv/bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException(python + " is missing: run ./run-tests.sh or infrastructure/setup.sh first");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(python.toString(),
                root.resolve("infrastructure/local/endpoint.py").toString(), "--port", Integer.toString(port)))
                .redirectErrorStream(true);
        try {
            Process process = builder.start();
            CompletableFuture<URI> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> pump(process, ready), "local-aws-output");
            reader.setDaemon(true);
            reader.start();
            URI url = ready.get(60, TimeUnit.SECONDS);
            LocalAwsEndpoint endpoint = new LocalAwsEndpoint(process, url);
            Runtime.getRuntime().addShutdownHook(new Thread(endpoint::close));
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the local AWS endpoint did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pump(Process process, CompletableFuture<URI> ready) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                int at = line.indexOf(READY);
                if (at >= 0 && !ready.isDone()) {
                    ready.complete(URI.create(line.substring(at + READY.length()).strip()));
                } else if (System.getenv("TERRITOIRE_LOCAL_AWS_VERBOSE") != null || !ready.isDone()) {
                    System.err.println("[local-aws] " + line);
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
        ready.completeExceptionally(new IllegalStateException("the local AWS endpoint exited"));
    }

    public URI url() {
        return url;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
