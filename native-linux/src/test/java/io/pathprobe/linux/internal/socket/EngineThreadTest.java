package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine thread's timer slack is lowered to 1 µs on Linux, on that thread only. */
class EngineThreadTest {
    private static final int PR_GET_TIMERSLACK = 30;

    @Test
    void lowersTheTimerSlackOfTheCallingThreadOnly() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux") && Posix.loadFailure() == null);
        AtomicLong before = new AtomicLong();
        AtomicLong after = new AtomicLong();
        AtomicLong other = new AtomicLong();
        Thread engine = new Thread(() -> {
            before.set(timerSlack());
            EngineThread.configure();
            EngineThread.configure(); // once per thread: the second call does nothing
            after.set(timerSlack());
        });
        engine.start();
        engine.join();
        Thread bystander = new Thread(() -> other.set(timerSlack()));
        bystander.start();
        bystander.join();
        assertThat(before.get()).isPositive().isNotEqualTo(EngineThread.DEFAULT_SLACK_NANOS);
        assertThat(after.get()).isEqualTo(EngineThread.DEFAULT_SLACK_NANOS);
        assertThat(other.get()).isEqualTo(before.get());
    }

    /** The calling thread's timer slack in nanoseconds ({@code PR_GET_TIMERSLACK}). */
    private static long timerSlack() {
        return Posix.libc().prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    }
}
