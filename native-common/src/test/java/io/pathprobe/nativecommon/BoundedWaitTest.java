package io.pathprobe.nativecommon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedWaitTest {
    @Test
    void aLatchAtZeroEndsTheWaitAtOnce() {
        assertThat(BoundedWait.await(new CountDownLatch(0), 60_000)).isTrue();
    }

    @Test
    void aLatchNeverCountedDownEndsTheWaitAtItsBound() {
        long start = System.nanoTime();
        assertThat(BoundedWait.await(new CountDownLatch(1), 50)).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void anInterruptedCallerKeepsWaitingAndLeavesWithItsFlagSet() {
        CountDownLatch latch = new CountDownLatch(1);
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(latch::countDown);
        Thread.currentThread().interrupt();
        try {
            assertThat(BoundedWait.await(latch, 60_000)).isTrue();
            assertThat(latch.getCount()).isZero(); // waited for the count down despite the interrupt
        } finally {
            assertThat(Thread.interrupted()).isTrue(); // clears it for the next test
        }
    }
}
