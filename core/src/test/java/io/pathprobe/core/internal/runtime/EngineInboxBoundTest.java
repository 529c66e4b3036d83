package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The engine's inbox is bounded for what comes from outside: with the loop stuck, at most
 * {@link EngineLoop#MAX_QUEUED_OFFERS} answers wait; the rest are refused and counted, the accepted
 * ones all run once the loop moves again, and the loop's own tasks are never refused.
 */
class EngineInboxBoundTest {

    @Test
    void answersBeyondTheBoundAreRefusedAndCountedWhileTheLoopIsStuck() throws Exception {
        EngineLoop loop = new EngineLoop();
        try {
            CountDownLatch release = EngineLoopInboxTest.blockLoop(loop);

            AtomicInteger ran = new AtomicInteger();
            int accepted = 0;
            int extra = 1000;
            for (int i = 0; i < EngineLoop.MAX_QUEUED_OFFERS + extra; i++) {
                if (loop.offer(ran::incrementAndGet)) {
                    accepted++;
                }
            }
            assertThat(accepted).isEqualTo(EngineLoop.MAX_QUEUED_OFFERS);
            assertThat(loop.refusedOffers()).isEqualTo(extra);
            assertThat(loop.queuedOffers()).isEqualTo(EngineLoop.MAX_QUEUED_OFFERS);
            // the engine's own work is not an offer: never refused for the bound
            CompletableFuture<Boolean> own = new CompletableFuture<>();
            assertThat(loop.execute(() -> own.complete(true))).isTrue();

            release.countDown();
            assertThat(own.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.get()).as("every accepted answer ran").isEqualTo(EngineLoop.MAX_QUEUED_OFFERS);
            assertThat(loop.queuedOffers()).isZero();
            // room again
            CompletableFuture<Boolean> again = new CompletableFuture<>();
            assertThat(loop.offer(() -> again.complete(true))).isTrue();
            assertThat(again.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.refusedOffers()).isEqualTo(extra);
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void anOfferAfterShutdownIsRefusedButNotCountedAsOverflow() {
        EngineLoop loop = new EngineLoop();
        loop.shutdown();
        assertThat(loop.offer(() -> {})).isFalse();
        assertThat(loop.refusedOffers()).isZero();
        assertThat(loop.queuedOffers()).isZero();
    }

    @Test
    void aRunHandsItsAnswersToTheLoopAsOffers() {
        AtomicInteger offers = new AtomicInteger();
        AtomicInteger executes = new AtomicInteger();
        Scheduler refusing = new Scheduler() {
            @Override
            public boolean execute(Runnable task) {
                executes.incrementAndGet();
                return true;
            }

            @Override
            public boolean offer(Runnable task) {
                offers.incrementAndGet();
                return false; // the loop is too far behind: the answer is dropped here
            }

            @Override
            public Timer schedule(Runnable task, long delayNanos) {
                return NO_TIMER;
            }

            @Override
            public boolean inLoop() {
                return false;
            }
        };
        FakeScheduler clock = new FakeScheduler();
        ProbeRun<String> run = new ProbeRun<>(refusing, clock, new SendScheduler(refusing, clock,
                new RateBudget(0, 1, clock.read())), new ProbeRun.Completion<>() {
                    @Override
                    public void completed(String result) {}

                    @Override
                    public void failed(Throwable error) {}
                });
        ResponseListener l = run.listener();
        l.onResponse(new ProbeResponse(1, io.pathprobe.spi.ResponseKind.ECHO_REPLY, 0, 0,
                java.net.InetAddress.getLoopbackAddress(), 1_000));
        assertThat(offers.get()).isEqualTo(1);
        assertThat(executes.get()).isZero();
    }
}
