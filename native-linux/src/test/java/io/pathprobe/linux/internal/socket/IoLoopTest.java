package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transports' own epoll loop: tasks from any thread run on its one thread in order, timers run in deadline
 * order (and not before their deadline), a registered descriptor's readiness reaches its handler until it is
 * cancelled, and shutdown closes what is still registered and refuses new work.
 */
@Timeout(60)
class IoLoopTest {

    @BeforeEach
    void linux() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux") && Posix.loadFailure() == null);
    }

    @Test
    void tasksFromOtherThreadsRunOnTheLoopInOrder() throws Exception {
        IoLoop loop = new IoLoop("io-loop-test");
        try {
            List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger offLoop = new AtomicInteger();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                assertThat(loop.execute(() -> {
                    if (!loop.inLoop()) {
                        offLoop.incrementAndGet();
                    }
                    ran.add(n);
                })).isTrue();
            }
            loop.barrier();
            assertThat(ran).hasSize(1000).isSorted();
            assertThat(offLoop).hasValue(0);
            assertThat(loop.inLoop()).isFalse();
        } finally {
            assertThat(loop.shutdown()).isTrue();
        }
    }

    @Test
    void timersRunInDeadlineOrderAndNeverEarly() throws Exception {
        IoLoop loop = new IoLoop("io-loop-test");
        try {
            // scheduled by one task on the loop, latest first, 30 ms apart: all are queued before any is due (unless
            // scheduling three timers took 30 ms), and they run in the order of their deadlines
            List<Long> order = Collections.synchronizedList(new ArrayList<>());
            List<Long> early = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(8);
            long[] spaced = {60_000_000, 0, 30_000_000};
            boolean[] accepted = new boolean[spaced.length];
            assertThat(loop.execute(() -> {
                for (int i = 0; i < spaced.length; i++) {
                    long d = spaced[i];
                    long due = System.nanoTime() + d;
                    accepted[i] = loop.schedule(() -> {
                        if (System.nanoTime() - due < 0) {
                            early.add(d);
                        }
                        order.add(d);
                        done.countDown();
                    }, d);
                }
            })).isTrue();
            long[] delays = {3_000_000, 100_000, 20_000_000, 0, 500_000};
            // and from another thread (through the loop's queue): none runs before its deadline either
            for (long d : delays) {
                long due = System.nanoTime() + d;
                assertThat(loop.schedule(() -> {
                    if (System.nanoTime() - due < 0) {
                        early.add(d);
                    }
                    done.countDown();
                }, d)).isTrue();
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(early).isEmpty();
            assertThat(accepted).containsOnly(true);
            assertThat(order).containsExactly(0L, 30_000_000L, 60_000_000L);
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void readinessReachesTheHandlerUntilCancelledAndShutdownClosesTheRest() throws Exception {
        LibC libc = Posix.libc();
        NativeMemory counter = NativeMemory.allocate(8);
        IoLoop loop = new IoLoop("io-loop-test");
        try {
            int a = libc.eventfd(0, Abi.EFD_NONBLOCK | Abi.EFD_CLOEXEC);
            int b = libc.eventfd(0, Abi.EFD_NONBLOCK | Abi.EFD_CLOEXEC);
            assertThat(a).isNotNegative();
            assertThat(b).isNotNegative();
            FileDescriptor fdA = new FileDescriptor(a);
            FileDescriptor fdB = new FileDescriptor(b);
            Pointer p = counter.pointer();
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch closedB = new CountDownLatch(1);
            CompletableFuture<EpollOps> firstA = new CompletableFuture<>();
            EpollRegistration ra = loop.register(new FdHandle(fdA, ops -> {
                seen.add("a " + ops);
                firstA.complete(ops);
                libc.read(a, p, 8); // level-triggered: drained, or it is reported again
            }, () -> seen.add("closed a")));
            EpollRegistration rb = loop.register(new FdHandle(fdB, ops -> seen.add("b " + ops), closedB::countDown));
            assertThat(ra.isValid()).isTrue();
            p.putLong(0, 1);
            assertThat(libc.write(a, p, 8)).isEqualTo(8);
            assertThat(firstA.get(10, TimeUnit.SECONDS).contains(EpollOps.EPOLLIN)).isTrue();
            loop.barrier();
            // cancelled: a later write is not reported
            CompletableFuture<Void> cancelled = new CompletableFuture<>();
            assertThat(loop.execute(() -> {
                FdHandle.deregisterAndClose(ra, fdA, cancelled::completeExceptionally);
                cancelled.complete(null);
            })).isTrue();
            cancelled.get(10, TimeUnit.SECONDS);
            assertThat(ra.isValid()).isFalse();
            assertThat(fdA.isOpen()).isFalse();
            assertThat(seen).containsExactly("a EPOLLIN");
            assertThatThrownBy(() -> ra.submit(EpollOps.EPOLLIN)).isInstanceOf(IllegalStateException.class);
            // b never became readable: shutdown closes it through its handle
            assertThat(loop.shutdown()).isTrue();
            assertThat(closedB.await(1, TimeUnit.SECONDS)).isTrue();
            assertThat(rb.isValid()).isFalse();
            assertThat(seen).containsExactly("a EPOLLIN");
            assertThat(loop.execute(() -> { })).isFalse();
            assertThat(loop.schedule(() -> { }, 0)).isFalse();
            assertThatThrownBy(() -> loop.register(new FdHandle(fdB, ops -> { }, () -> { })))
                    .isInstanceOf(io.pathprobe.spi.TransportException.class);
            fdB.close();
        } finally {
            loop.shutdown();
            counter.free();
        }
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheLoop() throws Exception {
        IoLoop loop = new IoLoop("io-loop-test");
        try {
            assertThat(loop.execute(() -> {
                throw new IllegalStateException("thrown on purpose by IoLoopTest");
            })).isTrue();
            CountDownLatch after = new CountDownLatch(1);
            assertThat(loop.schedule(after::countDown, 1_000_000)).isTrue();
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            loop.shutdown();
        }
    }
}
