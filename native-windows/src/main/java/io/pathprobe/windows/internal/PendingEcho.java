package io.pathprobe.windows.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One outstanding IcmpSendEcho2Ex / Icmp6SendEcho2 request: its event (manual-reset, signalled once
 * by Windows when the request completes: an answer, the Timeout, or cancellation, assumed to come
 * when its ICMP handle is closed) and its native block (options, addresses, request data, reply
 * buffer). Owned by the waiter that watches its event, which releases both exactly once, after the
 * event was signalled, or hands both to {@link AbandonedRequests} when it gives the request up.
 */
final class PendingEcho {
    final WindowsSession session;
    final int sequence;
    final long event;
    final NativeBlock block;
    final int replyOffset;
    final int replySize;
    /** The request data sent (to check what an echo reply brings back). */
    final byte[] data;
    /** When the request was handed to Windows (System.nanoTime). */
    long sentNanos;
    /** Whether the send call left the request under way (ERROR_IO_PENDING) rather than completed at once. */
    boolean underWay;
    /**
     * Barriers of {@link WindowsSession#afterPendingAnswers} waiting for this request; guarded by the session's lock.
     */
    @Nullable List<WindowsSession.Barrier> barriers;

    PendingEcho(WindowsSession session, int sequence, long event, NativeBlock block, int replyOffset, int replySize,
            byte[] data) {
        this.session = session;
        this.sequence = sequence;
        this.event = event;
        this.block = block;
        this.replyOffset = replyOffset;
        this.replySize = replySize;
        this.data = data;
    }

    void addBarrier(WindowsSession.Barrier barrier) {
        if (barriers == null) {
            barriers = new ArrayList<>(1);
        }
        barriers.add(barrier);
    }
}
