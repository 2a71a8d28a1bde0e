package org.territoire.local.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Fires many calls at once (released together by a latch) and collects every outcome. */
public final class Concurrently {
    private Concurrently() {
    }

    public record Outcome<T>(T value, Throwable error) {
        public boolean ok() {
            return error == null;
        }
    }

    public static <T> List<Outcome<T>> run(int count, IntFunction<Callable<T>> task) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 64));
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> call = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return new Outcome<>(call.call(), null);
                    } catch (Throwable t) {
                        return new Outcome<T>(null, t);
                    }
                }));
            }
            start.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> f : futures) {
                outcomes.add(f.get(2, TimeUnit.MINUTES));
            }
            return outcomes;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
