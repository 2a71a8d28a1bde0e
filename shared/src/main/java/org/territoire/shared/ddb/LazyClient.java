package org.territoire.shared.ddb;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An AWS client built on its first use, not at init: a function that publishes on EventBridge,
 * writes to S3 or calls IoT on some routes only does not pay, at every cold start, for
 * building a client (its service model, endpoint rules, interceptors: about 100 to 300 classes
 * each, counted with {@code bench-cold-start --classes}, docs/benchmarks.md) that its first
 * request may never call. The maker runs at most once; concurrent first uses wait for the
 * same client.
 *
 * <p>Under SnapStart the snapshot should still hold the client: the HTTP functions' priming
 * ({@code ApiPriming.prime}) calls {@link #buildAll()} before the checkpoint, so a restored
 * instance does not build it on its first publish.
 * https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html#snapstart-tuning
 */
public final class LazyClient<C> implements Supplier<C> {
    /**
     * The lazy clients of the process, for priming: a function makes a handful at init. Weak, so
     * that handlers made and dropped (tests, the local runtime's pool) do not accumulate here.
     */
    private static final List<WeakReference<LazyClient<?>>> MADE = new CopyOnWriteArrayList<>();

    private final Supplier<C> maker;
    private volatile C client;

    private LazyClient(Supplier<C> maker) {
        this.maker = maker;
    }

    public static <C> LazyClient<C> of(Supplier<C> maker) {
        LazyClient<C> lazy = new LazyClient<>(maker);
        MADE.removeIf(ref -> ref.get() == null);
        MADE.add(new WeakReference<>(lazy));
        return lazy;
    }

    /** An already built client, for tests and callers that have one. */
    public static <C> Supplier<C> ready(C client) {
        return () -> client;
    }

    @Override
    public C get() {
        C made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = maker.get();
                    client = made;
                }
            }
        }
        return made;
    }

    boolean built() {
        return client != null;
    }

    /**
     * Builds every lazy client not built yet (SnapStart priming). A client that cannot be built
     * now is left to its first use, which meets the same error as it would have at init.
     */
    public static void buildAll() {
        for (WeakReference<LazyClient<?>> ref : MADE) {
            LazyClient<?> lazy = ref.get();
            if (lazy == null) {
                continue;
            }
            try {
                lazy.get();
            } catch (RuntimeException e) {
                // Priming is an optimisation: the first use builds it (and reports the failure) instead.
            }
        }
    }
}
