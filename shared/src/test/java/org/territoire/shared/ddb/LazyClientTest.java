package org.territoire.shared.ddb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LazyClientTest {
    @Test
    void nothingIsBuiltUntilTheFirstUse_thenOnce() {
        AtomicInteger made = new AtomicInteger();
        LazyClient<Object> lazy = LazyClient.of(() -> "client-" + made.incrementAndGet());

        assertThat(made).hasValue(0);
        assertThat(lazy.get()).isEqualTo("client-1");
        assertThat(lazy.get()).isEqualTo("client-1");
        assertThat(made).hasValue(1);
    }

    @Test
    void concurrentFirstUses_getTheSameClient() throws Exception {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        LazyClient<Object> lazy = LazyClient.of(() -> {
            made.incrementAndGet();
            return new Object();
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> uses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                uses.add(pool.submit(() -> {
                    start.await();
                    return lazy.get();
                }));
            }
            start.countDown();
            Object first = uses.get(0).get(5, TimeUnit.SECONDS);
            for (Future<Object> use : uses) {
                assertThat(use.get(5, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(made).hasValue(1);
    }

    @Test
    void priming_buildsTheClientsNotBuiltYet() {
        AtomicInteger made = new AtomicInteger();
        LazyClient<Object> lazy = LazyClient.of(() -> "client-" + made.incrementAndGet());

        LazyClient.buildAll();

        assertThat(lazy.built()).isTrue();
        assertThat(lazy.get()).isEqualTo("client-1");
        assertThat(made).hasValue(1);
    }

    @Test
    void aClientThatCannotBeBuilt_isLeftToItsFirstUse_whichMeetsTheError() {
        AtomicInteger attempts = new AtomicInteger();
        LazyClient<Object> lazy = LazyClient.of(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("AWS_REGION is not set");
        });

        LazyClient.buildAll();

        assertThat(lazy.built()).isFalse();
        assertThatThrownBy(lazy::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS_REGION");
        assertThat(attempts).hasValue(2);
    }
}
