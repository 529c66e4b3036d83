package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.LibC;
import java.lang.System.Logger.Level;

/**
 * Tunes a tracer's engine thread on Linux: its timer slack, {@code prctl(PR_SET_TIMERSLACK)}, lowered
 * from the default 50 µs to 1 µs. The kernel may fire a timed wait of a normal thread up to its slack
 * late (to batch wake-ups), and every wake-up of the engine (a ping's next send, a probe's timeout)
 * is a timed park; 1 µs keeps them on time at a negligible cost for one thread. Done once per thread;
 * failures are logged at debug and change nothing else.
 *
 * <p>System property {@code pathprobe.linux.timerSlackNanos}: the slack to set (default 1000); 0 or
 * less leaves the thread alone (to measure the difference).
 */
public final class EngineThread {
    static final int PR_SET_TIMERSLACK = 29;
    /** The slack set by default, in nanoseconds. */
    public static final long DEFAULT_SLACK_NANOS = 1_000;
    private static final ThreadLocal<Boolean> DONE = notYet();

    private EngineThread() {}

    /** The nice value {@link #configureBackground()} gives a background thread (from 0: lower priority). */
    public static final int BACKGROUND_NICE = 10;
    private static final ThreadLocal<Boolean> BACKGROUND_DONE = notYet();

    /** False on every thread until set (a class, not a lambda: it is made in a fresh JVM's build()). */
    private static ThreadLocal<Boolean> notYet() {
        return new ThreadLocal<>() {
            @Override
            protected Boolean initialValue() {
                return Boolean.FALSE;
            }
        };
    }

    /**
     * On a background (load) thread: nice {@value #BACKGROUND_NICE}, the first time only, so that the
     * engine thread (nice 0) runs first when the CPUs are busy. Raising one's own nice value needs no
     * privilege. System property {@code pathprobe.linux.backgroundNice}: the value (0: leave it).
     */
    public static void configureBackground() {
        set(BACKGROUND_DONE, Integer.getInteger("pathprobe.linux.backgroundNice", BACKGROUND_NICE), false);
    }

    /** On the engine thread: sets its timer slack, the first time only. */
    public static void configure() {
        set(DONE, Long.getLong("pathprobe.linux.timerSlackNanos", DEFAULT_SLACK_NANOS), true);
    }

    /** Sets this thread's timer slack ({@code slack}) or else its nice value to {@code value}, once, on Linux. */
    private static void set(ThreadLocal<Boolean> done, long value, boolean slack) {
        if (done.get()) {
            return;
        }
        done.set(Boolean.TRUE);
        if (value <= 0 || !System.getProperty("os.name", "").startsWith("Linux")) {
            return;
        }
        String what = slack ? "engine thread timer slack" : "background thread priority";
        try {
            if (Posix.loadFailure() != null) {
                LinuxLog.LOG.log(Level.DEBUG, what + " not set: libc not bound", Posix.loadFailure());
                return;
            }
            LibC libc = Posix.libc();
            int rc = slack
                    ? libc.prctl(PR_SET_TIMERSLACK, value, 0, 0, 0)
                    : libc.setpriority(0 /* PRIO_PROCESS */, 0 /* this thread */, (int) value);
            if (rc != 0) {
                int errno = Posix.errno();
                String call = slack ? "prctl(PR_SET_TIMERSLACK, " : "setpriority(PRIO_PROCESS, 0, ";
                LinuxLog.LOG.log(Level.DEBUG, () -> call + value + ") failed: " + libc.strerror(errno));
            }
        } catch (RuntimeException | LinkageError e) {
            LinuxLog.LOG.log(Level.DEBUG, what + " not set", e);
        }
    }
}
