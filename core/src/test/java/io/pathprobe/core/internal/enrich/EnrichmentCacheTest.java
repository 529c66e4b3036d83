package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EnrichmentCacheTest {
    final FakeTicker ticker = new FakeTicker();
    final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<Timed<String>>> pending = new ConcurrentHashMap<>();
    /** Failures reported by the cache, as "key: message". */
    final List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();

    EnrichmentCache<String, String> cache(EnrichmentCache.Limits limits) {
        return new EnrichmentCache<>(k -> {
            loads.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
            CompletableFuture<Timed<String>> p = pending.get(k);
            if (p != null) {
                return p;
            }
            if (k.startsWith("fail")) {
                return CompletableFuture.failedFuture(new IOException("SERVFAIL"));
            }
            if (k.startsWith("none")) {
                return CompletableFuture.completedFuture(Timed.notFound(Duration.ofSeconds(30)));
            }
            if (k.startsWith("big-none")) {
                return CompletableFuture.completedFuture(Timed.notFound(Duration.ofHours(2)));
            }
            if (k.startsWith("zero")) {
                return CompletableFuture.completedFuture(Timed.found(k, Duration.ZERO));
            }
            return CompletableFuture.completedFuture(Timed.found(k.toUpperCase(), Duration.ofSeconds(300)));
        }, limits, ticker, Runnable::run, (k, t) -> reported.add(k + ": " + t.getMessage()));
    }

    EnrichmentCache<String, String> cache() {
        return cache(EnrichmentCache.Limits.DEFAULT);
    }

    int loads(String k) {
        AtomicInteger n = loads.get(k);
        return n == null ? 0 : n.get();
    }

    @Test
    void positiveEntriesExpireAtTheirTtl() {
        EnrichmentCache<String, String> c = cache();
        assertThat(c.get("a").join().value()).contains("A");
        ticker.advance(Duration.ofSeconds(299));
        c.get("a").join();
        assertThat(loads("a")).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(1));
        c.get("a").join();
        assertThat(loads("a")).isEqualTo(2);
        EnrichmentCache.Stats s = c.stats();
        assertThat(s.hits()).isEqualTo(1);
        assertThat(s.misses()).isEqualTo(2);
        assertThat(s.loads()).isEqualTo(2);
        assertThat(s.evictions()).isEqualTo(1);
    }

    @Test
    void negativeEntriesExpireSooner() {
        EnrichmentCache<String, String> c = cache();
        c.get("a").join();
        assertThat(c.get("none").join().found()).isFalse();
        ticker.advance(Duration.ofSeconds(30));
        c.get("none").join();
        c.get("a").join();
        assertThat(loads("none")).isEqualTo(2);
        assertThat(loads("a")).isEqualTo(1);
    }

    @Test
    void negativeTtlIsCapped() {
        EnrichmentCache<String, String> c = cache();
        c.get("big-none").join();
        ticker.advance(Duration.ofMinutes(5));
        c.get("big-none").join();
        assertThat(loads("big-none")).isEqualTo(2);
    }

    @Test
    void positiveTtlIsClampedUpToTheMinimum() {
        EnrichmentCache<String, String> c = cache();
        c.get("zero").join();
        ticker.advance(Duration.ofSeconds(4));
        c.get("zero").join();
        assertThat(loads("zero")).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(1));
        c.get("zero").join();
        assertThat(loads("zero")).isEqualTo(2);
    }

    @Test
    void positiveTtlIsClampedDownToTheMaximum() {
        EnrichmentCache<String, String> c = cache(new EnrichmentCache.Limits(100, Duration.ZERO, Duration.ofSeconds(60),
                Duration.ofSeconds(10)));
        c.get("a").join();
        ticker.advance(Duration.ofSeconds(60));
        c.get("a").join();
        assertThat(loads("a")).isEqualTo(2);
    }

    /**
     * A lookup that completes after the tracer's executor was shut down (the tracer closed right after
     * an AWAIT result) must neither throw nor make Caffeine log a WARNING for its rejected
     * maintenance task; its answer is still kept.
     */
    @Test
    void aLookupCompletingAfterTheExecutorShutDownLogsNothing() throws Exception {
        java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newSingleThreadExecutor();
        CompletableFuture<Timed<String>> p = new CompletableFuture<>();
        EnrichmentCache<String, String> c = new EnrichmentCache<>(k -> p, EnrichmentCache.Limits.DEFAULT, ticker, exec);
        List<java.util.logging.LogRecord> logged = new ArrayList<>();
        java.util.logging.Logger caffeine = java.util.logging.Logger.getLogger("com.github.benmanes.caffeine");
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                synchronized (logged) {
                    logged.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        caffeine.addHandler(h);
        try {
            CompletableFuture<Timed<String>> f = c.get("late");
            exec.shutdown();
            assertThat(exec.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            p.complete(Timed.found("LATE", Duration.ofSeconds(300)));
            assertThat(f.join().value()).contains("LATE");
            assertThat(c.get("late").join().value()).contains("LATE");
        } finally {
            caffeine.removeHandler(h);
        }
        assertThat(logged).extracting(java.util.logging.LogRecord::getMessage).isEmpty();
    }

    /**
     * Issue 21: a failed lookup (SERVFAIL, timeout) is kept for the failure TTL: a second request of
     * the name within it sends nothing and gets the same failure; after it the name is asked again.
     * The failure is reported once per lookup that failed, not once per request.
     */
    @Test
    void failuresAreKeptForTheFailureTtlThenAskedAgain() {
        EnrichmentCache<String, String> c = cache(EnrichmentCache.Limits.DEFAULT.withFailureTtl(Duration.ofSeconds(30)));
        assertThat(c.get("fail")).isCompletedExceptionally();
        for (int i = 0; i < 20; i++) {
            ticker.advance(Duration.ofMillis(1_000));
            CompletableFuture<Timed<String>> again = c.get("fail");
            assertThat(again).isCompletedExceptionally();
            assertThat(again.handle((v, t) -> t).join()).isInstanceOf(IOException.class).hasMessage("SERVFAIL");
        }
        assertThat(loads("fail")).as("nothing sent within the failure TTL").isEqualTo(1);
        assertThat(reported).containsExactly("fail: SERVFAIL");
        assertThat(c.stats().failures()).isEqualTo(1);
        assertThat(c.stats().hits()).isEqualTo(20);
        ticker.advance(Duration.ofSeconds(10)); // 30 s after the failure
        assertThat(c.get("fail")).isCompletedExceptionally();
        assertThat(loads("fail")).as("asked again after the failure TTL").isEqualTo(2);
        assertThat(reported).hasSize(2);
        assertThat(c.stats().failures()).isEqualTo(2);
    }

    @Test
    void aKeptFailureEndsWhenTheServerAnswersAgain() {
        EnrichmentCache<String, String> c = cache(EnrichmentCache.Limits.DEFAULT.withFailureTtl(Duration.ofSeconds(5)));
        CompletableFuture<Timed<String>> p = new CompletableFuture<>();
        pending.put("y", p);
        assertThat(c.get("y")).isNotDone();
        p.completeExceptionally(new IOException("timeout"));
        assertThat(c.get("y")).isCompletedExceptionally();
        pending.remove("y"); // the server is back
        ticker.advance(Duration.ofSeconds(4));
        assertThat(c.get("y")).isCompletedExceptionally();
        assertThat(loads("y")).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(c.get("y").join().value()).contains("Y");
        assertThat(loads("y")).isEqualTo(2);
    }

    @Test
    void withAFailureTtlOfZeroFailuresAreNotCached() {
        EnrichmentCache<String, String> c = cache(EnrichmentCache.Limits.DEFAULT.withFailureTtl(Duration.ZERO));
        assertThat(c.get("fail").isCompletedExceptionally()).isTrue();
        assertThat(c.get("fail").isCompletedExceptionally()).isTrue();
        assertThat(loads("fail")).isEqualTo(2);
        assertThat(c.stats().failures()).isEqualTo(2);
        assertThat(c.stats().size()).isZero();
    }

    @Test
    void theFailureTtlIsBounded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnrichmentCache.Limits.DEFAULT.withFailureTtl(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnrichmentCache.Limits.DEFAULT.withFailureTtl(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentRequestsShareOneLookup() {
        EnrichmentCache<String, String> c = cache();
        CompletableFuture<Timed<String>> p = new CompletableFuture<>();
        pending.put("slow", p);
        List<CompletableFuture<Timed<String>>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(c.get("slow"));
        }
        assertThat(c.stats().inFlight()).isEqualTo(1);
        p.complete(Timed.found("S", Duration.ofSeconds(10)));
        for (CompletableFuture<Timed<String>> f : all) {
            assertThat(f.join().value()).contains("S");
        }
        assertThat(loads("slow")).isEqualTo(1);
        assertThat(c.stats().inFlight()).isZero();
        assertThat(c.stats().misses()).isEqualTo(1);
        assertThat(c.stats().hits()).isEqualTo(9);
    }

    @Test
    void aFailedInFlightLookupIsRemovedAndRetried() {
        EnrichmentCache<String, String> c = cache(EnrichmentCache.Limits.DEFAULT.withFailureTtl(Duration.ZERO));
        CompletableFuture<Timed<String>> p = new CompletableFuture<>();
        pending.put("x", p);
        CompletableFuture<Timed<String>> f1 = c.get("x");
        CompletableFuture<Timed<String>> f2 = c.get("x");
        p.completeExceptionally(new IOException("timeout"));
        assertThat(f1).isCompletedExceptionally();
        assertThat(f2).isCompletedExceptionally();
        pending.remove("x");
        assertThat(c.get("x").join().value()).contains("X");
        assertThat(loads("x")).isEqualTo(2);
    }

    @Test
    void sizeIsBounded() {
        EnrichmentCache<String, String> c = cache(new EnrichmentCache.Limits(10, Duration.ofSeconds(5),
                Duration.ofHours(1), Duration.ofMinutes(5)));
        for (int i = 0; i < 100; i++) {
            c.get("k" + i).join();
        }
        c.cleanUp();
        assertThat(c.stats().size()).isLessThanOrEqualTo(10);
        assertThat(c.stats().evictions()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void cachesAreIndependent() {
        EnrichmentCache<String, String> c1 = cache();
        EnrichmentCache<String, String> c2 = cache();
        c1.get("a").join();
        c2.get("a").join();
        assertThat(loads("a")).isEqualTo(2);
    }
}
