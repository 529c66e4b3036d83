package io.pathprobe.core.internal.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.EngineLoop;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The enrichment stage alone: every event on the loop, hopEnriched exactly once per hop told while its lookups were
 * pending and after its hopCompleted, each hop labelled at most twice (no re-enrichment of the path per event), a
 * lookup's end racing the hops' reports, and a late end after the loop stopped dropped.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EnrichmentStageTest {
    private static InetAddress router(int ttl) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (ttl >> 8), (byte) ttl});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Hop hop(int ttl) {
        return new Hop(ttl, List.of(), List.of(new Responder(router(ttl), 1)),
                new HopStatistics(1, 1, 0, 0, Optional.empty()));
    }

    /** What the listener heard: "hop 3 PENDING", "enriched 3", "context"; and whether each was on the loop. */
    private static final class Heard implements EnrichmentStage.Listener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Hop> enriched = Collections.synchronizedList(new ArrayList<>());
        volatile boolean offLoop;
        private final java.util.function.BooleanSupplier inLoop;

        Heard(java.util.function.BooleanSupplier inLoop) {
            this.inLoop = inLoop;
        }

        void completed(Hop told) {
            offLoop |= !inLoop.getAsBoolean();
            events.add("hop " + told.ttl() + (told.lookupsSettled() ? " settled" : " PENDING"));
        }

        @Override
        public void hopEnriched(Hop hop) {
            offLoop |= !inLoop.getAsBoolean();
            enriched.add(hop);
            events.add("enriched " + hop.ttl());
        }

        @Override
        public void contextEnriched(PathContext context) {
            offLoop |= !inLoop.getAsBoolean();
            events.add("context");
        }
    }

    @Test
    void eachHopIsLabelledOnceWhenToldAndOnceWhenItsLookupsEndAndItsEventsComeInOrder() {
        FakeScheduler loop = new FakeScheduler();
        ArrayDeque<Runnable> pool = new ArrayDeque<>();
        FakeLookups lookups = new FakeLookups(loop::inLoop, Duration.ofSeconds(2));
        int hops = 60;
        for (int ttl = 1; ttl <= hops; ttl++) {
            lookups.names.put(router(ttl), "r" + ttl + ".lab.example");
            lookups.asns.put(router(ttl), AsnInfo.of(ttl < hops / 2 ? 64500 : 64510));
        }
        Heard heard = new Heard(loop::inLoop);
        EnrichmentStage stage = new EnrichmentStage(new Enrichment(lookups, pool::add), true, loop, heard);
        loop.execute(() -> stage.start(router(hops)));
        loop.runUntilIdle();
        // hops told in an order of their own (concurrent TTLs), lookups ending between them
        for (int i = 0; i < hops; i++) {
            int ttl = i % 2 == 0 ? hops - i : i;
            loop.execute(() -> {
                stage.seen(router(ttl));
                heard.completed(stage.reported(hop(ttl)));
            });
            loop.runUntilIdle();
            drain(pool);
            if (i % 3 == 0) {
                lookups.answerAll();
                drain(pool);
            }
        }
        for (int i = 0; i < 5; i++) {
            lookups.answerAll();
            drain(pool);
            loop.runUntilIdle();
        }
        assertThat(heard.offLoop).as("every event is told on the loop").isFalse();
        for (int ttl = 1; ttl <= hops; ttl++) {
            int t = ttl;
            long enriched = heard.events.stream().filter(e -> e.equals("enriched " + t)).count();
            int completed = heard.events.indexOf("hop " + t + " PENDING");
            if (completed >= 0) {
                assertThat(enriched).as("hop %d: hopEnriched once", t).isEqualTo(1);
                assertThat(heard.events.indexOf("enriched " + t)).isGreaterThan(completed);
            } else {
                assertThat(heard.events).contains("hop " + t + " settled");
                assertThat(enriched).as("hop %d: told settled, never enriched", t).isZero();
            }
        }
        assertThat(heard.events).containsOnlyOnce("context");
        assertThat(heard.enriched).allMatch(Hop::lookupsSettled).allMatch(h -> h.segment() != Segment.UNKNOWN);
        assertThat(stage.labelled()).as("each responder labelled at most twice: linear in the hops")
                .isLessThanOrEqualTo(2L * hops);
    }

    @Test
    void lookupsEndingOnAnotherThreadWhileHopsAreToldOnTheLoopNeverLoseOrRepeatAHop() throws Exception {
        EngineLoop loop = new EngineLoop();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            FakeLookups lookups = new FakeLookups(loop::inLoop, Duration.ofSeconds(2));
            int hops = 250;
            for (int ttl = 1; ttl <= hops; ttl++) {
                lookups.names.put(router(ttl), "r" + ttl + ".lab.example");
                lookups.asns.put(router(ttl), AsnInfo.of(64500 + ttl % 3));
            }
            Heard heard = new Heard(loop::inLoop);
            EnrichmentStage stage = new EnrichmentStage(new Enrichment(lookups, pool), true, loop, heard);
            CountDownLatch told = new CountDownLatch(hops);
            loop.execute(() -> stage.start(router(hops)));
            // each hop's lookups are asked a little before it is told: their ends race the reports
            for (int ttl = 1; ttl <= hops; ttl++) {
                int t = ttl;
                loop.execute(() -> stage.seen(router(t)));
                pool.execute(lookups::answerAll);
                loop.execute(() -> {
                    heard.completed(stage.reported(hop(t)));
                    told.countDown();
                });
            }
            assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                pool.execute(lookups::answerAll);
                CountDownLatch idle = new CountDownLatch(1);
                loop.execute(idle::countDown);
                idle.await(1, TimeUnit.SECONDS);
                List<String> now = List.copyOf(heard.events); // synchronized: toArray
                long pending = now.stream().filter(e -> e.endsWith("PENDING")).count();
                if (heard.enriched.size() == pending && now.contains("context")) {
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(heard.offLoop).as("every event is told on the loop").isFalse();
            List<String> events = List.copyOf(heard.events);
            for (int ttl = 1; ttl <= hops; ttl++) {
                int t = ttl;
                long enriched = events.stream().filter(e -> e.equals("enriched " + t)).count();
                assertThat(enriched).as("hop %d", t).isEqualTo(events.contains("hop " + t + " PENDING") ? 1 : 0);
            }
            assertThat(events).containsOnlyOnce("context");
        } finally {
            pool.shutdownNow();
            loop.shutdown();
        }
    }

    @Test
    void aLookupEndingAfterTheLoopStoppedIsDroppedQuietly() {
        EngineLoop loop = new EngineLoop();
        ArrayDeque<Runnable> pool = new ArrayDeque<>();
        FakeLookups lookups = new FakeLookups(loop::inLoop, Duration.ofSeconds(2));
        Heard heard = new Heard(loop::inLoop);
        EnrichmentStage stage = new EnrichmentStage(new Enrichment(lookups, pool::add), true, loop, heard);
        CountDownLatch told = new CountDownLatch(1);
        loop.execute(() -> {
            stage.start(router(2));
            stage.seen(router(1));
            heard.completed(stage.reported(hop(1)));
            told.countDown();
        });
        try {
            assertThat(told.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        loop.shutdown();
        drain(pool);
        lookups.answerAll(); // the ends: handed to a loop that has stopped
        drain(pool);
        assertThat(heard.events).containsExactly("hop 1 PENDING");
    }

    private static void drain(ArrayDeque<Runnable> pool) {
        while (!pool.isEmpty()) {
            pool.poll().run();
        }
    }
}
