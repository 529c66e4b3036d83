package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UseGuardTest {

    @Test
    void releasesAtCloseWhenUnused() {
        AtomicInteger released = new AtomicInteger();
        UseGuard g = new UseGuard(released::incrementAndGet);
        assertThat(g.close()).isTrue();
        assertThat(g.close()).isFalse();
        assertThat(released).hasValue(1);
        assertThat(g.enter()).isFalse();
    }

    @Test
    void releasesWhenTheLastUserLeaves() {
        AtomicInteger released = new AtomicInteger();
        UseGuard g = new UseGuard(released::incrementAndGet);
        assertThat(g.enter()).isTrue();
        assertThat(g.enter()).isTrue();
        g.close();
        assertThat(released).hasValue(0);
        g.exit();
        assertThat(released).hasValue(0);
        g.exit();
        assertThat(released).hasValue(1);
    }

    @Test
    void releasesExactlyOnceUnderContention() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicInteger released = new AtomicInteger();
            AtomicInteger usedAfterRelease = new AtomicInteger();
            UseGuard g = new UseGuard(released::incrementAndGet);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 1000; i++) {
                        if (g.enter()) {
                            if (released.get() != 0) {
                                usedAfterRelease.incrementAndGet();
                            }
                            g.exit();
                        }
                    }
                });
                th.start();
                threads.add(th);
            }
            start.countDown();
            g.close();
            for (Thread th : threads) {
                th.join();
            }
            assertThat(released).hasValue(1);
            assertThat(usedAfterRelease).hasValue(0);
        }
    }

    @Test
    void applyAsUserRunsAsAUserAndReturnsZeroWhenClosedOrFailing() {
        AtomicInteger released = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        UseGuard g = new UseGuard(released::incrementAndGet);
        assertThat(g.applyAsUser(n -> {
            g.close(); // closed while in use: released only when this use ends
            assertThat(released).hasValue(0);
            return n + 1;
        }, 41, failures::add)).isEqualTo(42);
        assertThat(released).as("released when the use ended").hasValue(1);
        AtomicInteger ran = new AtomicInteger();
        assertThat(g.applyAsUser(n -> ran.incrementAndGet(), 1, failures::add)).isZero();
        assertThat(ran).as("not run once closed").hasValue(0);

        UseGuard h = new UseGuard(released::incrementAndGet);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThat(h.applyAsUser(n -> {
            throw boom;
        }, 1, failures::add)).isZero();
        assertThat(failures).containsExactly(boom);
        assertThat(h.close()).isTrue();
        assertThat(released).as("the failed use ended too").hasValue(2);
        assertThat(failures).hasSize(1);
    }
}
