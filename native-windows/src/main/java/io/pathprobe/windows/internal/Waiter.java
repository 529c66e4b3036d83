package io.pathprobe.windows.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A thread that waits on up to 63 request events at once, plus its own wake event (index 0), with
 * one blocking WaitForMultipleObjects call (64 handles is MAXIMUM_WAIT_OBJECTS): no polling, no
 * timeout while it runs. When Windows signals a request's event, the call returns with its index
 * and the waiter handles that completion on the spot (IcmpParseReplies, decoding, the listener), so
 * an answer is processed as soon as the thread is scheduled after it arrived. A request handed to
 * the waiter, and {@link #stop()}, signal the wake event so the next wait includes the new handle.
 *
 * <p>Requests' events are manual-reset: a signalled event stays signalled until the waiter removes
 * it from its array, so one signalled while the waiter was busy, or before it was added, is seen by
 * the next wait; the lowest signalled index wins each wait, and every handled request leaves the
 * array, so none is starved. The wake event is auto-reset.
 *
 * <p>The transport keeps one waiter for its whole life and starts more when 63 requests are
 * outstanding in every one (a trace of many silent hops); those end when they have nothing to wait for.
 */
final class Waiter implements Runnable {
    static final int CAPACITY = Win32.MAXIMUM_WAIT_OBJECTS - 1;

    private final WindowsTransport transport;
    private final IcmpApi api;
    private final long wake;
    private final boolean permanent;
    private final Thread thread;
    private final ConcurrentLinkedQueue<PendingEcho> inbox = new ConcurrentLinkedQueue<>();
    private final PendingEcho[] slots = new PendingEcho[CAPACITY];
    private final long[] handles = new long[Win32.MAXIMUM_WAIT_OBJECTS];
    private int count;
    /** Requests handed to this waiter and not yet released; guarded by the transport's waiter lock. */
    int reserved;
    private volatile boolean stopping;
    /** The wake event is closed (the thread ended): signalling it is no longer allowed; guarded by this. */
    private boolean wakeClosed;

    Waiter(WindowsTransport transport, IcmpApi api, long wake, boolean permanent, String name) {
        this.transport = transport;
        this.api = api;
        this.wake = wake;
        this.permanent = permanent;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean permanent() {
        return permanent;
    }

    Thread thread() {
        return thread;
    }

    /** Hands a request over (any thread); the waiter includes its event in its next wait. */
    void submit(PendingEcho p) {
        inbox.add(p);
        signal();
    }

    /** Asks the waiter to end once its outstanding requests completed (bounded by the transport's stop timeout). */
    void stop() {
        stopping = true;
        signal();
    }

    /**
     * Signals the wake event unless the thread ended and closed it: the transport's close() stops the waiters it
     * listed, and one of them may have retired (or failed) and closed its handle in between; SetEvent on a closed
     * handle would signal whatever Windows gave that handle value next.
     */
    private synchronized void signal() {
        if (!wakeClosed) {
            api.setEvent(wake);
        }
    }

    private synchronized void closeWake() {
        wakeClosed = true;
        api.closeHandle(wake);
    }

    @Override
    public void run() {
        long stopDeadline = 0;
        try {
            while (true) {
                for (PendingEcho p; count < CAPACITY && (p = inbox.poll()) != null; ) {
                    slots[count++] = p;
                }
                int millis = Win32.INFINITE;
                if (stopping) {
                    if (count == 0 && inbox.isEmpty()) {
                        return;
                    }
                    long now = System.nanoTime();
                    if (stopDeadline == 0) {
                        stopDeadline = now + TimeUnit.MILLISECONDS.toNanos(transport.stopTimeoutMillis());
                    }
                    millis = (int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(stopDeadline - now));
                } else if (count == 0 && transport.retire(this)) {
                    return;
                }
                handles[0] = wake;
                for (int i = 0; i < count; i++) {
                    handles[i + 1] = slots[i].event;
                }
                int r = api.waitForMultipleObjects(handles, count + 1, millis);
                if (r == Win32.WAIT_OBJECT_0) {
                    continue; // woken: new requests, or stop
                }
                if (r > Win32.WAIT_OBJECT_0 && r <= count) {
                    long received = System.nanoTime();
                    PendingEcho p = slots[r - 1];
                    slots[r - 1] = slots[--count];
                    slots[count] = null;
                    transport.release(this);
                    p.session.completed(p, received);
                    continue;
                }
                if (r == Win32.WAIT_TIMEOUT && stopping) {
                    abandonAll("did not complete within " + transport.stopTimeoutMillis()
                            + " ms of the transport closing");
                    return;
                }
                // WAIT_FAILED (an invalid handle?) or a value the call never returns for events: do
                // not spin on it; give the requests up (their memory stays allocated) and end.
                abandonAll("WaitForMultipleObjects returned " + r + ", " + IcmpStatus.describe(api.lastError()));
                return;
            }
        } catch (Throwable t) {
            transport.waiterFailure(t);
            abandonAll("the waiter failed: " + t);
        } finally {
            transport.ended(this);
            closeWake();
        }
    }

    private void abandonAll(String why) {
        int n = count;
        for (int i = 0; i < count; i++) {
            PendingEcho p = slots[i];
            slots[i] = null;
            transport.release(this);
            p.session.abandoned(p);
        }
        count = 0;
        for (PendingEcho p; (p = inbox.poll()) != null; ) {
            n++;
            transport.release(this);
            p.session.abandoned(p);
        }
        if (n > 0) {
            transport.abandonedRequests(n, why);
        }
    }
}
