package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tasks to run now go through the loop's inbox: in order, without starving a timer that has come due,
 * and all of them still run when the loop is shut down behind them.
 */
class EngineLoopInboxTest {
    private static final int TASKS = 5 * EngineLoop.DRAIN_BATCH;

    @Test
    void tasksRunInOrderAndADueTimerRunsBetweenBatches() throws Exception {
        EngineLoop loop = new EngineLoop();
        try {
            CountDownLatch release = blockLoop(loop);
            List<Integer> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            loop.schedule(() -> order.add(-1), 0);
            for (int i = 0; i < TASKS; i++) {
                int n = i;
                assertThat(loop.execute(() -> {
                    order.add(n);
                    if (n == TASKS - 1) {
                        done.countDown();
                    }
                })).isTrue();
            }
            release.countDown();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(order).hasSize(TASKS + 1);
            int timerAt = order.indexOf(-1);
            assertThat(timerAt).as("the due timer waits for one batch at most, not for the whole inbox")
                    .isBetween(0, EngineLoop.DRAIN_BATCH);
            assertThat(order.stream().filter(i -> i >= 0).toList())
                    .isEqualTo(java.util.stream.IntStream.range(0, TASKS).boxed().toList());
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void tasksQueuedBeforeShutdownAllRunAndLaterOnesAreRefused() throws Exception {
        EngineLoop loop = new EngineLoop();
        CountDownLatch release = blockLoop(loop);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < TASKS; i++) {
            assertThat(loop.execute(ran::incrementAndGet)).isTrue();
        }
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        releaser.start();
        loop.shutdown(); // returns once the loop has ended
        releaser.join();

        assertThat(ran.get()).isEqualTo(TASKS);
        assertThat(loop.execute(ran::incrementAndGet)).isFalse();
        assertThat(loop.offer(ran::incrementAndGet)).isFalse();
    }

    /** Occupies the loop until the returned latch is counted down. */
    static CountDownLatch blockLoop(EngineLoop loop) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertThat(loop.execute(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).isTrue();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }
}
