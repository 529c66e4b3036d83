package io.pathprobe.nativecommon;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The bounded wait of a native transport's closing and barriers: a caller that is interrupted keeps waiting (the
 * resources it waits for must go first), and leaves with its interrupt flag set again.
 */
public final class BoundedWait {
    private BoundedWait() {}

    /**
     * Waits until {@code latch} reaches zero or {@code timeoutMillis} have passed. An interrupt does not end the
     * wait; the thread's interrupt flag is set again before this returns.
     *
     * @return whether the latch reached zero in time
     */
    public static boolean await(CountDownLatch latch, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean interrupted = false;
        while (true) {
            try {
                boolean reached = latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return reached;
            } catch (InterruptedException e) { // the flag is clear now: the next await waits out the rest
                interrupted = true;
            }
        }
    }
}
