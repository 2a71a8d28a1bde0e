package org.territoire.local.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.territoire.shared.http.ApiResponse;

/** Fires a scenario's requests from a pool of client threads and prints its row: answers, throughput, latency. */
final class Load {
    private Load() {
    }

    record Result(int status, double millis) {
    }

    /** One scenario's answers, and how long the whole scenario took. */
    record Run(List<Result> results, double seconds) {
    }

    static Run run(int threads, int count, IntFunction<Callable<ApiResponse>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            var call = task.apply(i);
            futures.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                ApiResponse response = call.call();
                results.add(new Result(response.statusCode(), (System.nanoTime() - t0) / 1e6));
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Run(List.copyOf(results), seconds);
    }

    /** Two runs of one scenario as one: their answers, and their times added. */
    static Run add(Run a, Run b) {
        if (a == null) {
            return b;
        }
        List<Result> all = new ArrayList<>(a.results());
        all.addAll(b.results());
        return new Run(List.copyOf(all), a.seconds() + b.seconds());
    }

    static void header() {
        System.out.println("| scenario | requests | 2xx | 409 | 5xx | throughput (req/s) | p50 (ms) | p99 (ms) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    }

    static void row(String label, Run run) {
        double[] ms = run.results().stream().mapToDouble(Result::millis).sorted().toArray();
        long ok = run.results().stream().filter(r -> r.status() / 100 == 2).count();
        long conflict = run.results().stream().filter(r -> r.status() == 409).count();
        long errors = run.results().stream().filter(r -> r.status() >= 500).count();
        System.out.printf("| %s | %d | %d | %d | %d | %.0f | %.1f | %.1f |%n", label, ms.length, ok, conflict, errors,
                ms.length / run.seconds(), percentile(ms, 50), percentile(ms, 99));
    }

    private static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
