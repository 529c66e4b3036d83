package io.pathprobe.core.internal.enrich;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.pathprobe.core.internal.runtime.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One kind of lookup (host names, AS numbers, AS names) behind a Caffeine {@link AsyncLoadingCache}:
 * one per enricher, so one per tracer, never static.
 *
 * <ul>
 *   <li>One lookup in flight per key: concurrent requests share its future.</li>
 *   <li>Found answers are kept for their TTL clamped to [{@link Limits#minPositiveTtl},
 *       {@link Limits#maxPositiveTtl}] (default 5 s .. 24 h: a TTL of 0 would otherwise make every hop
 *       of one trace ask again).</li>
 *   <li>Not-found answers are kept for their (negative) TTL, at most {@link Limits#maxNegativeTtl}
 *       (default 5 min), and not less than 0.</li>
 *   <li>Failures (the future fails: timeout, SERVFAIL, REFUSED, an unreachable server, ...) are kept
 *       for {@link Limits#failureTtl} (default {@value Limits#DEFAULT_FAILURE_TTL_SECONDS} s, at most
 *       5 min as RFC 9520 bounds the caching of resolution failures): a request within it gets the
 *       same failure at once and sends nothing; after it, the next request asks again. A failed
 *       lookup is reported ({@code failed}, e.g. logged) once, when it fails: once per key per
 *       period. {@link Limits#failureTtl} 0 keeps none.</li>
 *   <li>At most {@link Limits#maximumSize} entries (default 10 000; Caffeine's W-TinyLFU evicts).</li>
 *   <li>Time is the tracer's {@link Ticker}; maintenance and loads run on the given executor (the
 *       tracer's), never on Caffeine's default {@code ForkJoinPool.commonPool()}. No scheduler:
 *       expired entries are dropped as the cache is used.</li>
 * </ul>
 */
public final class EnrichmentCache<K, V> {
    /**
     * Bounds of one cache.
     *
     * @param maximumSize entries at most
     * @param minPositiveTtl the least time a found answer is kept
     * @param maxPositiveTtl the most time a found answer is kept
     * @param maxNegativeTtl the most time a not-found answer is kept
     * @param failureTtl how long a failed lookup is kept (0: not at all), at most {@link #MAX_FAILURE_TTL}
     */
    public record Limits(long maximumSize, Duration minPositiveTtl, Duration maxPositiveTtl, Duration maxNegativeTtl,
            Duration failureTtl) {
        static final long DEFAULT_FAILURE_TTL_SECONDS = 30;
        /** How long a failed lookup is kept by default. */
        public static final Duration DEFAULT_FAILURE_TTL = Duration.ofSeconds(DEFAULT_FAILURE_TTL_SECONDS);
        /** The most a failure may be kept (RFC 9520: resolution failures are cached at most 5 minutes). */
        public static final Duration MAX_FAILURE_TTL = Duration.ofMinutes(5);
        public static final Limits DEFAULT =
                new Limits(10_000, Duration.ofSeconds(5), Duration.ofHours(24),
                        Duration.ofMinutes(5), DEFAULT_FAILURE_TTL);

        public Limits {
            Objects.requireNonNull(minPositiveTtl, "minPositiveTtl");
            Objects.requireNonNull(maxPositiveTtl, "maxPositiveTtl");
            Objects.requireNonNull(maxNegativeTtl, "maxNegativeTtl");
            Objects.requireNonNull(failureTtl, "failureTtl");
            if (maximumSize < 0) {
                throw new IllegalArgumentException("maximumSize must not be negative: " + maximumSize);
            }
            if (minPositiveTtl.isNegative() || maxPositiveTtl.compareTo(minPositiveTtl) < 0
                    || maxNegativeTtl.isNegative()) {
                throw new IllegalArgumentException("need 0 <= minPositiveTtl <= maxPositiveTtl "
                        + "and 0 <= maxNegativeTtl");
            }
            if (failureTtl.isNegative() || failureTtl.compareTo(MAX_FAILURE_TTL) > 0) {
                throw new IllegalArgumentException("failureTtl must be 0 to 5 minutes, was " + failureTtl);
            }
        }

        /** These bounds, failures kept for {@link #DEFAULT_FAILURE_TTL}. */
        public Limits(long maximumSize, Duration minPositiveTtl, Duration maxPositiveTtl, Duration maxNegativeTtl) {
            this(maximumSize, minPositiveTtl, maxPositiveTtl, maxNegativeTtl, DEFAULT_FAILURE_TTL);
        }

        /** These limits with failures kept for {@code ttl}. */
        public Limits withFailureTtl(Duration ttl) {
            return new Limits(maximumSize, minPositiveTtl, maxPositiveTtl, maxNegativeTtl, ttl);
        }

        /** How long {@code answer} is kept, in nanoseconds. */
        long keepNanos(Timed<?> answer) {
            Duration ttl = answer.ttl();
            if (answer.found()) {
                ttl = ttl.compareTo(minPositiveTtl) < 0 ? minPositiveTtl
                        : ttl.compareTo(maxPositiveTtl) > 0 ? maxPositiveTtl : ttl;
            } else if (ttl.compareTo(maxNegativeTtl) > 0) {
                ttl = maxNegativeTtl;
            }
            return ttl.toNanos();
        }
    }

    /**
     * Counters of one cache (Caffeine's, plus the lookups in flight).
     *
     * @param hits requests answered from the cache (a request that joins a lookup in flight is a hit)
     * @param misses requests that started a lookup
     * @param loads lookups that completed with an answer (found or not)
     * @param failures lookups that failed (each kept for the failure TTL: a request that gets a kept
     *     failure is a hit, not a failure)
     * @param evictions entries dropped for size or expiry
     * @param inFlight lookups not completed yet
     * @param size entries now (an estimate, expired ones may still count)
     */
    public record Stats(long hits, long misses, long loads, long failures, long evictions, int inFlight, long size) {}

    /** What the cache keeps for a key: an answer, or the failure of its lookup. */
    private record Entry<V>(@Nullable Timed<V> answer, @Nullable Throwable failure) {}

    private final AsyncLoadingCache<K, Entry<V>> cache;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Set by the loader, which Caffeine calls on the requesting thread: this request started the lookup. */
    private final ThreadLocal<boolean[]> loadedHere = ThreadLocal.withInitial(() -> new boolean[1]);

    /**
     * @param loader starts a lookup; must not block; its future fails for failures
     */
    public EnrichmentCache(Function<K, CompletableFuture<Timed<V>>> loader, Limits limits, Ticker ticker,
            Executor executor) {
        this(loader, limits, ticker, executor, (key, failure) -> {});
    }

    /**
     * @param loader starts a lookup; must not block; its future fails for failures
     * @param failed told of each lookup that failed, once, when it fails (not for requests that get
     *     the kept failure): where a failure is reported once per key per failure TTL
     */
    public EnrichmentCache(Function<K, CompletableFuture<Timed<V>>> loader, Limits limits, Ticker ticker,
            Executor executor, BiConsumer<K, Throwable> failed) {
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(failed, "failed");
        long failureNanos = limits.failureTtl().toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(limits.maximumSize())
                .expireAfter(new Expiry<K, Entry<V>>() {
                    @Override
                    public long expireAfterCreate(K key, Entry<V> value, long currentTime) {
                        Timed<V> answer = value.answer();
                        return answer == null ? failureNanos : limits.keepNanos(answer);
                    }

                    @Override
                    public long expireAfterUpdate(K key, Entry<V> value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(K key, Entry<V> value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(ticker::read)
                .executor(orInline(executor))
                .recordStats()
                .buildAsync((key, exec) -> {
                    loadedHere.get()[0] = true;
                    inFlight.incrementAndGet();
                    CompletableFuture<Timed<V>> f;
                    try {
                        f = Objects.requireNonNull(loader.apply(key), "the loader returned null");
                    } catch (RuntimeException e) {
                        f = CompletableFuture.failedFuture(e);
                    }
                    CompletableFuture<Entry<V>> out = new CompletableFuture<>();
                    f.whenComplete((v, t) -> {
                        inFlight.decrementAndGet();
                        if (t == null) {
                            loads.incrementAndGet();
                            out.complete(new Entry<>(v, null));
                            return;
                        }
                        Throwable cause = unwrap(t);
                        failures.incrementAndGet();
                        try {
                            failed.accept(key, cause);
                        } catch (RuntimeException e) {
                            // a reporter's failure changes nothing
                        }
                        if (failureNanos > 0) {
                            out.complete(new Entry<>(null, cause)); // kept for the failure TTL
                        } else {
                            out.completeExceptionally(new Quiet(cause)); // not kept: Caffeine removes it
                        }
                    });
                    return out;
                });
    }

    /**
     * A failed lookup as the cache sees it. Caffeine logs a WARNING with the stack trace for every
     * failed asynchronous load except a {@link java.util.concurrent.TimeoutException} or a
     * cancellation: with DNS down that would be one warning per hop. Failures are wrapped in this
     * while inside the cache (still counted as load failures, still removed) and unwrapped by
     * {@link #get}.
     */
    private static final class Quiet extends java.util.concurrent.TimeoutException {
        private static final long serialVersionUID = 1L;

        Quiet(Throwable cause) {
            super(cause.getMessage());
            initCause(cause);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /**
     * The executor, or the calling thread once it rejects work: a lookup that completes while the
     * tracer closes (its executor shut down, e.g. right after an AWAIT result, whose stages run before
     * Caffeine's own completion handler) makes Caffeine schedule its maintenance, and a rejection
     * there is logged by Caffeine as a WARNING with a stack trace. Maintenance is cheap and never
     * blocks.
     */
    private static Executor orInline(Executor executor) {
        return r -> {
            try {
                executor.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                r.run();
            }
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof Quiet) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * The answer for {@code key}: cached, joined to the lookup in flight, or a new lookup. Fails with
     * the lookup's own exception.
     */
    public CompletableFuture<Timed<V>> get(K key) {
        boolean[] loaded = loadedHere.get();
        loaded[0] = false;
        CompletableFuture<Entry<V>> f = cache.get(key);
        if (f.isCompletedExceptionally() && !loaded[0]) {
            // a failure not kept (failure TTL 0), and Caffeine's callback has not removed it yet: it
            // is never an answer to a later request
            cache.asMap().remove(key, f);
            f = cache.get(key);
        }
        CompletableFuture<Timed<V>> out = new CompletableFuture<>();
        f.whenComplete((e, t) -> {
            Timed<V> answer = e == null ? null : e.answer();
            if (answer != null) {
                out.complete(answer);
            } else {
                Throwable failure = e != null ? e.failure() : t;
                out.completeExceptionally(unwrap(failure != null ? failure : new IllegalStateException("no entry")));
            }
        });
        return out;
    }

    /** The counters now. */
    public Stats stats() {
        CacheStats s = cache.synchronous().stats();
        return new Stats(s.hitCount(), s.missCount(), loads.get(), failures.get(), s.evictionCount(),
                inFlight.get(), cache.synchronous().estimatedSize());
    }

    /** Runs pending maintenance (tests: after advancing the ticker, to count evictions). */
    void cleanUp() {
        cache.synchronous().cleanUp();
    }
}
