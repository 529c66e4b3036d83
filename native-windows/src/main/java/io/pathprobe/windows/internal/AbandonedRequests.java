package io.pathprobe.windows.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Requests the transport gave up on (their completion had not come within the stop timeout of the
 * transport closing), kept for the whole process until they complete: each one's event handle stays
 * open and its native block allocated, because the request may still be pending, and Windows (or
 * Wine) may still signal that event and write the reply into that block.
 *
 * <p>Why not close the event at once: Windows keeps the event object alive for a pending request
 * whatever the caller does with its handle (an object lives until its last reference goes), but Wine
 * 8 does not cope: a process that exits with an ICMP request pending whose event handle was closed, or
 * whose issuing thread had ended, leaves the wineserver wedged, and every later process of that Wine
 * prefix hangs at start. So the handle stays open, and the JVM's exit waits (a shutdown hook, added
 * with the first abandoned request) until every held request has completed or passed its own Timeout
 * (plus a margin), at most {@value #EXIT_WAIT_CAP_MILLIS} ms in all. Whenever a request is adopted,
 * those already completed are released (event closed, block freed), so only requests still pending
 * are held.
 *
 * <p>On Windows, if IcmpCloseHandle cancels outstanding requests as assumed (see
 * {@link WindowsTransport}), nothing is ever abandoned and this class holds nothing.
 */
final class AbandonedRequests {
    /** The most the JVM's exit waits for held requests: the default request Timeout plus a second. */
    static final long EXIT_WAIT_CAP_MILLIS = WindowsTransport.DEFAULT_REQUEST_TIMEOUT_MILLIS + 1_000L;
    /** Beyond a request's own Timeout, how long it may take to be signalled. */
    static final long MARGIN_MILLIS = 500;

    private record Held(IcmpApi api, long event, NativeBlock block, long deadlineNanos) {}

    private static final Object LOCK = new Object();
    /** Guarded by {@link #LOCK}. */
    private static final List<Held> HELD = new ArrayList<>();
    /** Guarded by {@link #LOCK}. */
    private static boolean hookAdded;

    private AbandonedRequests() {}

    /**
     * Takes an abandoned request's event and block; releases them once the event is signalled.
     *
     * @param timeoutNanos when the request's own Timeout ends (System.nanoTime)
     */
    static void adopt(IcmpApi api, long event, NativeBlock block, long timeoutNanos) {
        synchronized (LOCK) {
            releaseCompleted();
            HELD.add(new Held(api, event, block, timeoutNanos + TimeUnit.MILLISECONDS.toNanos(MARGIN_MILLIS)));
            if (!hookAdded) {
                hookAdded = true;
                try {
                    Thread hook = new Thread(() -> awaitAll(EXIT_WAIT_CAP_MILLIS),
                            "pathprobe-" + WindowsTransport.NAME + "-exit");
                    Runtime.getRuntime().addShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already exiting: nothing to wait in
                }
            }
        }
    }

    /** How many abandoned requests are held (still pending, or not looked at since they completed). */
    static int held() {
        synchronized (LOCK) {
            return HELD.size();
        }
    }

    /**
     * Waits for the held requests, each until its Timeout (plus the margin) or until {@code capMillis}
     * have passed in all, and releases those that completed; returns how many are still held. The JVM's
     * exit runs this (and tests).
     */
    static int awaitAll(long capMillis) {
        long cap = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(capMillis);
        synchronized (LOCK) {
            for (Iterator<Held> it = HELD.iterator(); it.hasNext(); ) {
                Held h = it.next();
                long left = Math.min(h.deadlineNanos(), cap) - System.nanoTime();
                int millis = (int) Math.max(0, Math.min(Integer.MAX_VALUE - 1L, TimeUnit.NANOSECONDS.toMillis(left)));
                if (h.api().waitForSingleObject(h.event(), millis) == Win32.WAIT_OBJECT_0) {
                    release(h);
                    it.remove();
                }
            }
            return HELD.size();
        }
    }

    /** Guarded by {@link #LOCK}: releases the held requests whose event is signalled. */
    private static void releaseCompleted() {
        for (Iterator<Held> it = HELD.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.api().waitForSingleObject(h.event(), 0) == Win32.WAIT_OBJECT_0) {
                release(h);
                it.remove();
            }
        }
    }

    private static void release(Held h) {
        h.api().closeHandle(h.event());
        h.block().free();
    }
}
