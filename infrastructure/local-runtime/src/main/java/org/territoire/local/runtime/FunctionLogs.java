package org.territoire.local.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Where the hosted functions write: in Lambda, a function's stdout and stderr (the kernel's
 * JSON log lines, the EMF metric blobs) go to its own CloudWatch log group; here they go to
 * {@code .local/logs/<function>.log}, one file per function, so that the console keeps the
 * platform's own lines (its URLs, one line per HTTP request, failures). With
 * {@code verbose}, function output goes to the console as well, as before.
 *
 * <p>All functions share this JVM, so output is routed by the thread that writes it: while a
 * thread runs an invocation ({@link #within}), what it (or a thread it starts) writes to
 * {@code System.out} or {@code System.err} belongs to that function.
 */
public final class FunctionLogs implements AutoCloseable {
    private static final InheritableThreadLocal<String> CURRENT = new InheritableThreadLocal<>();
    /** A logical id of template.yaml; anything else never names a file. */
    private static final Pattern LOGICAL_ID = Pattern.compile("[A-Za-z0-9]{1,255}");

    private final Path dir;
    private final boolean verbose;
    private final PrintStream consoleOut;
    private final PrintStream consoleErr;
    private final Map<String, OutputStream> files = new HashMap<>();

    private FunctionLogs(Path dir, boolean verbose, PrintStream consoleOut, PrintStream consoleErr) {
        this.dir = dir;
        this.verbose = verbose;
        this.consoleOut = consoleOut;
        this.consoleErr = consoleErr;
    }

    /** Runs one invocation of {@code function}: whatever it writes meanwhile is that function's. */
    public static <T> T within(String function, Callable<T> invocation) throws Exception {
        String outer = CURRENT.get();
        CURRENT.set(function);
        try {
            return invocation.call();
        } finally {
            CURRENT.set(outer);
        }
    }

    /**
     * Routes this process's {@code System.out} and {@code System.err} until {@link #close}; the
     * kernel's logger and metrics look {@code System.out} up at each line, so they follow.
     */
    public static FunctionLogs install(Path dir, boolean verbose) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        FunctionLogs logs = new FunctionLogs(dir, verbose, System.out, System.err);
        PrintStream out = new PrintStream(logs.new Router(logs.consoleOut), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(logs.new Router(logs.consoleErr), true, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(err);
        return logs;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String function) {
        return dir.resolve(function + ".log");
    }

    /** The platform's own console, whatever thread writes: the request lines, the banner. */
    public PrintStream console() {
        return consoleOut;
    }

    /** Gives the console back to the process (tests) and closes the files. */
    @Override
    public synchronized void close() {
        System.setOut(consoleOut);
        System.setErr(consoleErr);
        for (OutputStream file : files.values()) {
            try {
                file.close();
            } catch (IOException ignored) {
                // Nothing more to write there.
            }
        }
        files.clear();
    }

    private synchronized void write(PrintStream console, byte[] bytes, int off, int len) {
        String function = CURRENT.get();
        if (function == null || !LOGICAL_ID.matcher(function).matches()) {
            console.write(bytes, off, len);
            return;
        }
        try {
            OutputStream file = files.get(function);
            if (file == null) {
                // Each run starts a function's file anew, at its first line.
                file = Files.newOutputStream(file(function), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                files.put(function, file);
            }
            file.write(bytes, off, len);
            file.flush();
        } catch (IOException e) {
            // A full disk must not fail the request: the line goes to the console instead.
            console.write(bytes, off, len);
            return;
        }
        if (verbose) {
            console.write(bytes, off, len);
        }
    }

    /** One of the process's two streams: a function's output to its file, the rest to the console. */
    private final class Router extends OutputStream {
        private final PrintStream console;

        Router(PrintStream console) {
            this.console = console;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            FunctionLogs.this.write(console, bytes, off, len);
        }

        @Override
        public void flush() {
            console.flush();
        }
    }
}
