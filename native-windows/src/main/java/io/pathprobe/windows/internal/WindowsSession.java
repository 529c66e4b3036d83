package io.pathprobe.windows.internal;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One session: its own ICMP handle (IcmpCreateFile or Icmp6CreateFile), one request per probe.
 *
 * <p>A probe: a native block ({@code [IP_OPTION_INFORMATION][sockaddr_in6 source, destination: IPv6
 * only][request data][reply buffer]}, each part 8-aligned), a manual-reset event, then
 * IcmpSendEcho2Ex (IPv4, source address 0: the stack chooses) or Icmp6SendEcho2 with that event, no
 * APC routine, and the transport's request timeout. The call returns at once; the request is handed
 * to a {@link Waiter}, which handles its completion the moment Windows signals the event.
 *
 * <p>The answer belongs to the probe whose request it completes: Windows chooses the ICMP identifier
 * and sequence number and matches the reply to the request itself, so no identifier filtering is
 * left to do here; an IPv4 echo reply whose data differs from what was sent is dropped as
 * {@link DropReason#UNRELATED} all the same.
 *
 * <p>Closing: {@link #close()} stops sends, waits for a delivery in progress on a waiter thread,
 * then closes the ICMP handle, which on Windows is assumed to cancel the requests still outstanding
 * (not documented; Wine does not: they complete at their Timeout); once their events are signalled
 * the waiters release their events and blocks (an answer that completes one of them is dropped as
 * {@link DropReason#SESSION_CLOSED}). The listener is not called once close() returned.
 */
final class WindowsSession implements ProbeSession {
    /** Sequences are the transport's own (Windows numbers the packets): any 16-bit number. */
    static final int MAX_SEQUENCE = 0xffff;

    private final WindowsTransport transport;
    private final IcmpApi api;
    private final ResponseListener listener;
    private final InetAddress destination;
    private final boolean ipv6;
    private final long icmpHandle;
    private final int payloadSize;
    private final int cookie = ThreadLocalRandom.current().nextInt();
    // Block layout, the same for every probe of the session.
    private final int sourceOffset;
    private final int destinationOffset;
    private final int dataOffset;
    private final int replyOffset;
    private final int replySize;
    private final int blockSize;
    /** Held while sending and while closing: a send never runs on a closed handle. */
    private final Object sendLock = new Object();
    /** Guards {@link #pending}, barriers, and delivery against close. */
    private final Object lock = new Object();
    private final Set<PendingEcho> pending = new HashSet<>();
    private volatile boolean closed;

    WindowsSession(WindowsTransport transport, IcmpApi api, InetAddress destination, long icmpHandle, int payloadSize,
            ResponseListener listener) {
        this.transport = transport;
        this.api = api;
        this.destination = destination;
        this.ipv6 = destination instanceof Inet6Address;
        this.icmpHandle = icmpHandle;
        this.payloadSize = payloadSize;
        this.listener = listener;
        int at = EchoLayouts.OPTIONS_SIZE;
        if (ipv6) {
            sourceOffset = at;
            at += EchoLayouts.SOCKADDR_IN6_SIZE;
            destinationOffset = at;
            at += EchoLayouts.SOCKADDR_IN6_SIZE;
        } else {
            sourceOffset = -1;
            destinationOffset = -1;
        }
        dataOffset = EchoLayouts.align8(at);
        replyOffset = EchoLayouts.align8(dataOffset + payloadSize);
        replySize = EchoLayouts.replyBufferSize(payloadSize, ipv6);
        blockSize = replyOffset + replySize;
    }

    @Override
    public int maxSequence() {
        return MAX_SEQUENCE;
    }

    @Override
    public long send(ProbeSpec probe) throws SendFailedException {
        Objects.requireNonNull(probe, "probe");
        if (probe.sequence() > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence must be 0.." + MAX_SEQUENCE + ", was " + probe.sequence());
        }
        if (probe.flow() != 0) {
            throw new IllegalArgumentException("flow must be 0 in a PER_PROBE session, was " + probe.flow());
        }
        PendingEcho p;
        synchronized (sendLock) {
            if (closed) {
                throw new IllegalStateException(transport.isClosed() ? "transport is closed" : "session is closed");
            }
            p = send0(probe.sequence(), probe.ttl());
        }
        // Outside the send lock: a listener (holding the session's lock) may close the session meanwhile;
        // the request then completes cancelled and is released like any other.
        synchronized (lock) {
            pending.add(p);
        }
        if (!p.underWay) {
            // Completed before returning (a number of replies): make sure the waiter sees it as completed.
            api.setEvent(p.event);
        }
        transport.watch(p);
        return p.sentNanos;
    }

    /** Sends with the send lock held (the ICMP handle is open); returns the request under way. */
    private PendingEcho send0(int sequence, int ttl) throws SendFailedException {
        byte[] data = EchoPayload.build(payloadSize, sequence, cookie);
        byte[] head = new byte[dataOffset];
        EchoLayouts.writeOptions(head, 0, ttl);
        if (ipv6) {
            EchoLayouts.writeSockaddrIn6(head, sourceOffset, null);
            EchoLayouts.writeSockaddrIn6(head, destinationOffset, (Inet6Address) destination);
        }
        NativeBlock block;
        try {
            block = api.allocate(blockSize);
        } catch (OutOfMemoryError e) {
            throw new SendFailedException("no native memory for the request: " + e.getMessage(), false);
        }
        block.put(0, head, 0, head.length);
        block.put(dataOffset, data, 0, data.length);
        long event = api.createEvent(true);
        if (event == 0) {
            int error = api.lastError();
            block.free();
            throw new SendFailedException("CreateEventW: " + IcmpStatus.describe(error), false);
        }
        PendingEcho p = new PendingEcho(this, sequence, event, block, replyOffset, replySize, data);
        int timeout = transport.requestTimeoutMillis();
        // Issued on the process's issuer thread, which outlives every request (see Issuer): a request is
        // cancelled on Windows, and wedges Wine, when the thread that issued it ends first.
        Issuer.Issued issued = Issuer.issue(api, ipv6
                ? () -> api.icmp6SendEcho2(icmpHandle, event, block, sourceOffset, destinationOffset, dataOffset,
                        payloadSize, 0, replyOffset, replySize, timeout)
                : () -> api.icmpSendEcho2Ex(icmpHandle, event, 0, EchoLayouts.ipAddr((Inet4Address) destination), block,
                        dataOffset, payloadSize, 0, replyOffset, replySize, timeout));
        p.sentNanos = issued.sentNanos();
        int r = issued.result();
        int error = issued.lastError();
        // With an event the call returns 0 and GetLastError() is ERROR_IO_PENDING; the documentation also
        // words it as "returns ERROR_IO_PENDING", so that return value is taken as under way too.
        p.underWay = (r == 0 && error == Win32.ERROR_IO_PENDING) || r == Win32.ERROR_IO_PENDING;
        if (r == 0 && !p.underWay) {
            api.closeHandle(event);
            block.free();
            throw new SendFailedException((ipv6 ? "Icmp6SendEcho2: " : "IcmpSendEcho2Ex: ")
                    + IcmpStatus.describe(error),
                    IcmpStatus.noRoute(error));
        }
        return p;
    }

    /**
     * On a waiter thread, once the request's event was signalled: reads the reply (if any), delivers
     * or counts it, then releases the request's event and block and runs the barriers it completes.
     */
    void completed(PendingEcho p, long receivedNanos) {
        try {
            int n = ipv6 ? api.icmp6ParseReplies(p.block, p.replyOffset, p.replySize)
                    : api.icmpParseReplies(p.block, p.replyOffset, p.replySize);
            if (n == 0) {
                transport.counters.noAnswer(api.lastError()); // IP_REQ_TIMED_OUT, or cancelled by close
            } else {
                byte[] reply = p.block.get(p.replyOffset, p.replySize);
                handleReply(p, reply, p.block.address() + p.replyOffset, receivedNanos);
            }
        } catch (RuntimeException e) {
            transport.waiterFailure(e);
        } finally {
            List<Runnable> due = settle(p);
            api.closeHandle(p.event);
            p.block.free();
            for (Runnable action : due) {
                runAction(action);
            }
        }
    }

    /** Takes {@code p} off the pending requests: the barrier actions it was the last to hold back. */
    private List<Runnable> settle(PendingEcho p) {
        List<Runnable> due = new ArrayList<>(0);
        synchronized (lock) {
            pending.remove(p);
            List<Barrier> barriers = p.barriers;
            if (barriers != null) {
                for (Barrier b : barriers) {
                    if (--b.remaining == 0) {
                        due.add(b.action);
                    }
                }
            }
        }
        return due;
    }

    /**
     * On a waiter thread, when the transport gives up on a request whose completion did not come: the
     * request may still be pending in Windows (or Wine), which may still signal its event and write the
     * reply into its block, so neither is released here. Both go to {@link AbandonedRequests}, which
     * releases them once the event is signalled and makes the JVM's exit wait for that (bounded): Wine
     * wedges its wineserver when a process exits with a request pending on a closed event (see
     * {@link WindowsTransport}).
     */
    void abandoned(PendingEcho p) {
        List<Runnable> due = settle(p);
        AbandonedRequests.adopt(api, p.event, p.block,
                p.sentNanos + TimeUnit.MILLISECONDS.toNanos(transport.requestTimeoutMillis()));
        transport.counters.abandoned();
        for (Runnable action : due) {
            runAction(action);
        }
    }

    private void handleReply(PendingEcho p, byte[] reply, long replyAddress, long receivedNanos) {
        // Only the first reply: an echo request has one answer.
        EchoLayouts.Reply r = ipv6 ? EchoLayouts.decodeV6(reply, 0) : EchoLayouts.decodeV4(reply, 0, replyAddress);
        if (r == null) {
            transport.counters.read();
            transport.counters.outcome(DropReason.MALFORMED);
            return;
        }
        IcmpStatus.Outcome outcome = IcmpStatus.outcome(r.status(), ipv6);
        switch (outcome.meaning()) {
            case NO_ANSWER -> transport.counters.noAnswer(r.status());
            case OTHER -> {
                transport.counters.read();
                transport.counters.otherStatus(r.status());
                transport.counters.outcome(DropReason.MALFORMED);
            }
            case ANSWER -> {
                transport.counters.read();
                transport.counters.outcome(deliver(p, r, outcome, reply, receivedNanos));
            }
        }
    }

    private @Nullable DropReason deliver(PendingEcho p, EchoLayouts.Reply r, IcmpStatus.Outcome outcome, byte[] reply,
            long receivedNanos) {
        ResponseKind kind = Objects.requireNonNull(outcome.kind());
        int replyLength = ProbeResponse.UNKNOWN;
        if (kind == ResponseKind.ECHO_REPLY) {
            if (ipv6) {
                // ICMPV6_ECHO_REPLY does not give the data's size: the data that follows it is the
                // request's, echoed; the size is known only when it is there as sent.
                if (EchoPayload.echoes(p.data, reply, r.dataOffset(), p.data.length)) {
                    replyLength = 8 + p.data.length;
                }
            } else {
                int size = r.dataSize();
                if (size > 0 && r.dataOffset() >= 0
                        && !EchoPayload.echoes(p.data, reply, r.dataOffset(), Math.min(size, p.data.length))) {
                    return DropReason.UNRELATED; // not what this request sent
                }
                replyLength = 8 + size;
            }
        }
        int replyTtl = r.ttl() > 0 ? r.ttl() : ProbeResponse.UNKNOWN;
        ProbeResponse response = new ProbeResponse(p.sequence, kind, outcome.icmpType(),
                outcome.icmpCode() < 0 ? ProbeResponse.UNKNOWN : outcome.icmpCode(), r.address(), receivedNanos,
                replyTtl, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                List.of(), replyLength);
        synchronized (lock) {
            if (closed) {
                return DropReason.SESSION_CLOSED;
            }
            try {
                listener.onResponse(response);
                return null;
            } catch (Throwable t) { // a listener must not stop a waiter, whatever it throws
                transport.listenerFailed(t);
                return DropReason.LISTENER_FAILED;
            }
        }
    }

    /**
     * Runs {@code action} once every answer already received for this session (a request whose event
     * Windows has signalled) has been delivered; at once when there is none. Checking an event's
     * state (WaitForSingleObject with a zero timeout) only reads it: the waiter still sees it.
     */
    @Override
    public void afterPendingAnswers(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (closed) {
            action.run();
            return;
        }
        Barrier barrier = new Barrier(action);
        boolean now;
        synchronized (lock) {
            for (PendingEcho p : pending) {
                // The event is open while its request is pending: the waiter closes it only after removing it.
                if (api.waitForSingleObject(p.event, 0) == Win32.WAIT_OBJECT_0) {
                    p.addBarrier(barrier);
                    barrier.remaining++;
                }
            }
            now = barrier.remaining == 0;
        }
        if (now) {
            action.run();
        }
    }

    private void runAction(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            transport.waiterFailure(t);
        }
    }

    @Override
    public void close() {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        synchronized (lock) {
            // Nothing: a delivery in progress (on a waiter thread, under this lock) ends before close()
            // returns, and every later one sees the session closed.
        }
        if (!api.icmpCloseHandle(icmpHandle)) {
            transport.waiterFailure(new IllegalStateException("IcmpCloseHandle: "
                    + IcmpStatus.describe(api.lastError())));
        }
        transport.closed(this);
    }

    boolean isClosed() {
        return closed;
    }

    int pendingCount() {
        synchronized (lock) {
            return pending.size();
        }
    }

    @Override
    public String toString() {
        return "WindowsSession[" + destination.getHostAddress()
                + (closed ? ", closed]" : ", " + pendingCount() + " pending]");
    }

    /** An {@link #afterPendingAnswers} action waiting for some requests; guarded by the session's lock. */
    static final class Barrier {
        final Runnable action;
        int remaining;

        Barrier(Runnable action) {
            this.action = action;
        }
    }
}
