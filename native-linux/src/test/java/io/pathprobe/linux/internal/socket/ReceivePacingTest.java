package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ReceivePacing} on a real I/O loop, with a recorded registration and scripted reads: which readiness
 * switches a socket to polling, what brings it back to being woken, and that nothing queued is left unread.
 * The intervals are long (a quarter of a second) so that "within an interval" holds on a loaded machine.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReceivePacingTest {
    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int BUDGET = 8;

    private final IoLoop loop = new IoLoop("pacing-test");
    private final Registration registration = new Registration();
    /** What each read returns, in order; 0 once the script is used up. */
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Integer> budgets = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final ReceivePacing pacing = new ReceivePacing(loop, BUDGET, INTERVAL, budget -> {
        budgets.add(budget);
        Integer n = script.poll();
        return n == null ? 0 : n;
    }, failures::add);

    @AfterEach
    void stop() {
        loop.shutdown();
    }

    @Test
    void aSingleReadinessIsReadAndTheSocketStaysWoken() throws Exception {
        script.add(3);
        onLoop(() -> {
            pacing.registered(registration);
            pacing.onReadable();
            return null;
        });
        assertThat(budgets).containsExactly(BUDGET);
        assertThat(registration.submitted).isEmpty();
        assertThat(onLoop(pacing::polling)).isFalse();
    }

    @Test
    void readinessTwiceWithinAnIntervalPollsUntilAReadFindsNothing() throws Exception {
        script.addAll(List.of(1, 1, 5, 2, 0));
        onLoop(() -> {
            pacing.registered(registration);
            pacing.onReadable();
            pacing.onReadable();
            return null;
        });
        assertThat(registration.submitted).as("EPOLLIN off: epoll stops waking the reader")
                .containsExactly(EpollOps.EPOLLERR);
        assertThat(onLoop(pacing::polling)).isTrue();
        awaitReads(5);
        assertThat(registration.submitted).as("the read that found nothing put EPOLLIN back")
                .containsExactly(EpollOps.EPOLLERR, EpollOps.EPOLLIN);
        assertThat(onLoop(pacing::polling)).isFalse();
        assertThat(failures).isEmpty();
    }

    @Test
    void fullBudgetsAreReadUntilTheQueueIsEmpty() throws Exception {
        script.addAll(List.of(1, 1, BUDGET, BUDGET, BUDGET, 0));
        onLoop(() -> {
            pacing.registered(registration);
            pacing.onReadable();
            pacing.onReadable();
            return null;
        });
        awaitReads(6);
        assertThat(registration.submitted).containsExactly(EpollOps.EPOLLERR, EpollOps.EPOLLIN);
        assertThat(onLoop(pacing::polling)).isFalse();
    }

    @Test
    void readinessThatFindsNothingOrComesAfterAQuietIntervalIsNotPaced() throws Exception {
        script.addAll(List.of(0, 0, 1));
        onLoop(() -> {
            pacing.registered(registration);
            pacing.onReadable(); // reads nothing
            pacing.onReadable(); // reads nothing again: nothing to pace
            return null;
        });
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(INTERVAL) * 2);
        onLoop(() -> {
            pacing.onReadable(); // an answer, but the last readiness was two intervals ago
            return null;
        });
        assertThat(budgets).hasSize(3);
        assertThat(registration.submitted).isEmpty();
    }

    @Test
    void withoutAValidRegistrationReadinessIsNeverPaced() throws Exception {
        script.addAll(List.of(1, 1, 1, 1));
        onLoop(() -> {
            pacing.onReadable(); // not registered yet
            pacing.onReadable();
            pacing.registered(registration);
            registration.valid = false; // closed
            pacing.onReadable();
            pacing.onReadable();
            return null;
        });
        assertThat(budgets).hasSize(4);
        assertThat(registration.submitted).isEmpty();
        assertThat(onLoop(pacing::polling)).isFalse();
    }

    @Test
    void aSocketThatCannotBeWokenAgainIsReportedAndStillRead() throws Exception {
        script.addAll(List.of(1, 1, 0, 0, 4));
        registration.refuse = EpollOps.EPOLLIN;
        onLoop(() -> {
            pacing.registered(registration);
            pacing.onReadable();
            pacing.onReadable();
            return null;
        });
        awaitReads(5);
        assertThat(failures).isNotEmpty();
        assertThat(onLoop(pacing::polling)).as("still polled: nothing would wake it").isTrue();
    }

    private void awaitReads(int n) throws InterruptedException {
        while (budgets.size() < n) {
            Thread.sleep(5);
        }
        loop.barrier();
    }

    private <T> T onLoop(Supplier<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        assertThat(loop.execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        })).isTrue();
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Records what is submitted (on the loop thread); can refuse one kind of ops, as a closed epoll entry does. */
    private static final class Registration implements EpollRegistration {
        final List<EpollOps> submitted = Collections.synchronizedList(new ArrayList<>());
        volatile boolean valid = true;
        volatile EpollOps refuse;

        @Override
        public void submit(EpollOps ops) {
            if (ops.equals(refuse)) {
                throw new java.io.UncheckedIOException(new java.io.IOException("epoll_ctl: No such file or directory"));
            }
            submitted.add(ops);
        }

        @Override
        public boolean isValid() {
            return valid;
        }

        @Override
        public void cancel() {
            valid = false;
        }
    }
}
