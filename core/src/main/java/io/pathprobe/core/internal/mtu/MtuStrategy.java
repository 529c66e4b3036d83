package io.pathprobe.core.internal.mtu;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.mtu.MtuBlackHole;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.trace.TraceStatus;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Path MTU discovery as pure logic, tracepath's walk plus a black-hole search. One probe is outstanding at
 * a time; TTL by TTL, from the request's first:
 * <ul>
 *   <li>a probe of the current size with DF. This host refusing it as larger than the first link
 *       ({@link SendFailedException#mtu()}) sets the size to that MTU at once; a router answering
 *       Packet Too Big ({@link ResponseKind#PACKET_TOO_BIG}) records the drop at this TTL and sets the
 *       size to the MTU it reports, and the TTL is probed again;
 *   <li>Time Exceeded completes the TTL at this size; an answer from the destination ends the walk
 *       ({@link TraceStatus#DESTINATION_REACHED}); another unreachable ends it at that hop;
 *   <li>a size lost on every attempt is tried again at the smallest size ({@link #floor}: 68 bytes for
 *       IPv4, 1280 for IPv6). Lost too: the TTL is silent and the walk goes on at the same size. Answered:
 *       the current size is tried once more (a loss that was only a loss passes now); lost again, it is
 *       an MTU black hole; sizes between are searched (bisection, every lost size on every attempt) for
 *       the largest that passes, which the walk goes on with.
 * </ul>
 * No threads, locks or clock reads: times are handed in ({@code now}, engine ticks in nanoseconds;
 * RTTs from the transport's send and receive times).
 */
public final class MtuStrategy implements ProbingStrategy<MtuResult> {
    /** Streams what is found (on the engine thread; the handle queues it for the listener). */
    public interface Events {
        void hopCompleted(MtuHop hop);

        void blackHoleFound(MtuBlackHole blackHole);
    }

    private enum Mode {
        /** Probing the TTL at the current size. */
        WALK,
        /** The current size was lost at this TTL: is the smallest answered? */
        SMALL,
        /** The smallest was answered: the current size once more (a loss that was only a loss passes now). */
        RECHECK,
        /** Large lost twice, small answered at this TTL: bisecting between them. */
        SEARCH
    }

    private final MtuRequest request;
    private final InetAddress destination;
    private final String transportName;
    private final int maxSequence;
    private final Instant startedAt;
    private final long startTick;
    private final long timeoutNanos;
    private final int floor;
    private final @Nullable Events events;
    private ProbeObserver observer = ProbeObserver.NONE;

    private final List<MtuHop> hops = new ArrayList<>();
    private int ttl;
    private int size;
    private Mode mode = Mode.WALK;
    private int attempt;
    private int sequence;
    private int probesSent;
    /** Sends that failed (transiently: a lasting failure ends the discovery at once). */
    private int sendFailures;
    private OptionalInt firstLinkMtu = OptionalInt.empty();
    private @Nullable MtuBlackHole blackHole;
    private @Nullable TraceStatus ended;
    /** The search's bounds at this TTL: the largest answered size, the smallest lost on every attempt. */
    private int passing;
    private int lost;
    /** This TTL's Packet Too Big, smallest first. */
    private int tooBig = -1;
    private @Nullable InetAddress tooBigFrom;
    /** This TTL's answer, at the size last answered. */
    private @Nullable InetAddress answeredBy;
    private long answeredRtt = -1;
    private int answeredSize;
    /** The address of the last TTL that answered at the walk's size, for a black hole's "after". */
    private @Nullable InetAddress lastAnswered;
    private int lastAnsweredTtl;

    // the outstanding probe
    private boolean outstanding;
    private boolean outstandingSent;
    private int outstandingSequence;
    private int outstandingSize;
    private long outstandingTick;
    private long outstandingSentNanos;

    /**
     * @param maxSequence the session's largest sequence number
     * @param startedAt the wall-clock start, for the result
     * @param startTick the engine tick of the start
     */
    public MtuStrategy(MtuRequest request, InetAddress destination, String transportName, int maxSequence,
            Instant startedAt, long startTick, @Nullable Events events) {
        this.request = request;
        this.destination = destination;
        this.transportName = transportName;
        this.maxSequence = maxSequence;
        this.startedAt = startedAt;
        this.startTick = startTick;
        this.timeoutNanos = request.probeTimeout().toNanos();
        this.floor = floor(destination);
        this.events = events;
        this.ttl = request.firstTtl();
        this.size = request.maxSize();
    }

    /** The smallest probe: IPv4's minimum MTU (RFC 791, 68 bytes), IPv6's (RFC 8200, 1280). */
    public static int floor(InetAddress destination) {
        return destination instanceof Inet6Address ? 1280 : 68;
    }

    /** The headers of a probe (IP and UDP): the smallest size a transport can send. */
    static int headers(InetAddress destination) {
        return (destination instanceof Inet6Address ? 40 : 20) + 8;
    }

    @Override
    public void observe(ProbeObserver o) {
        this.observer = o;
    }

    @Override
    public @Nullable ProbeSpec next(long now) {
        if (ended != null || outstanding) {
            return null;
        }
        int probeSize = switch (mode) {
            case WALK -> size;
            case SMALL -> floor;
            case RECHECK -> size;
            case SEARCH -> passing + (lost - passing) / 2;
        };
        outstanding = true;
        outstandingSent = false;
        outstandingSequence = sequence;
        outstandingSize = probeSize;
        outstandingTick = now;
        sequence = sequence >= maxSequence ? 0 : sequence + 1;
        return ProbeSpec.unfragmented(outstandingSequence, ttl, probeSize);
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        outstandingSent = true;
        outstandingSentNanos = sentNanos;
        outstandingTick = now;
        probesSent++;
    }

    @Override
    public void onSendFailed(ProbeSpec probe, SendFailedException failure, long now) {
        int mtu = failure.mtu();
        if (mtu > 0 && probe.size() > mtu) {
            outstanding = false;
            if (firstLinkMtu.isEmpty()) {
                firstLinkMtu = OptionalInt.of(mtu);
            }
            int fits = Math.max(mtu, headers(destination));
            if (mode == Mode.WALK) {
                size = Math.min(size, fits);
            } else if (mode == Mode.SEARCH) {
                lost = Math.min(lost, fits + 1);
                settleSearch();
            }
            return;
        }
        onSendFailed(probe, String.valueOf(failure.getMessage()), failure.noRoute(), failure.permanent(), now);
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now) {
        if (permanent) {
            outstanding = false;
            end(noRoute ? TraceStatus.NO_ROUTE : TraceStatus.SEND_FAILED);
            return;
        }
        sendFailures++;
        lose(); // a transient failure counts as a lost attempt
    }

    @Override
    public void onAnswer(ProbeResponse r, long now) {
        if (ended != null || !outstanding || !outstandingSent || r.sequence() != outstandingSequence) {
            observer.late();
            return;
        }
        long rtt = Math.max(0, r.receivedNanos() - outstandingSentNanos);
        observer.answered(ttl, rtt, r.responder(), r.kind());
        outstanding = false;
        if (r.kind() == ResponseKind.PACKET_TOO_BIG) {
            packetTooBig(r);
            return;
        }
        boolean fromDestination = r.kind() == ResponseKind.ECHO_REPLY || r.kind() == ResponseKind.TCP_SYN_ACK
                || r.kind() == ResponseKind.TCP_RESET || r.kind() == ResponseKind.TCP_ACK
                || (r.portUnreachable() && r.responder().equals(destination));
        if (r.kind() != ResponseKind.TIME_EXCEEDED && !fromDestination) {
            answered(r.responder(), rtt, outstandingSize);
            completeTtl(false);
            end(TraceStatus.UNREACHABLE);
            return;
        }
        answered(r.responder(), rtt, outstandingSize);
        switch (mode) {
            case WALK, RECHECK -> {
                completeTtl(fromDestination);
                if (fromDestination) {
                    end(TraceStatus.DESTINATION_REACHED);
                }
            }
            case SMALL -> {
                passing = outstandingSize;
                mode = Mode.RECHECK;
                attempt = 0;
            }
            case SEARCH -> {
                passing = outstandingSize;
                attempt = 0;
                settleSearch();
            }
        }
    }

    private void packetTooBig(ProbeResponse r) {
        int reported = r.mtu();
        int probe = outstandingSize;
        // 0 (an RFC 792 router) or a bogus value: one byte below the probe, found by further reports or loss
        int mtu = reported > 0 && reported < probe ? reported : probe - 1;
        mtu = Math.max(mtu, headers(destination));
        if (tooBig < 0 || mtu < tooBig) {
            tooBig = mtu;
            tooBigFrom = r.responder();
        }
        size = Math.min(size, mtu);
        mode = Mode.WALK; // the report explains the loss: probe this TTL again at the reported size
        attempt = 0;
    }

    private void answered(InetAddress responder, long rtt, int probeSize) {
        answeredBy = responder;
        answeredRtt = rtt;
        answeredSize = probeSize;
    }

    @Override
    public void onWakeup(long now) {
        if (ended != null || !outstanding || now - outstandingTick < timeoutNanos) {
            return;
        }
        observer.timedOut(ttl, now - outstandingTick);
        outstanding = false;
        lose();
    }

    /** The outstanding probe is lost (timed out, or a transient send failure). */
    private void lose() {
        outstanding = false;
        attempt++;
        if (attempt < request.probesPerTtl()) {
            return; // the same probe again
        }
        attempt = 0;
        switch (mode) {
            case WALK -> {
                if (size > floor) {
                    mode = Mode.SMALL;
                } else {
                    completeTtl(false); // silent at the smallest size
                }
            }
            case SMALL -> {
                mode = Mode.WALK;
                completeTtl(false); // silent at every size: go on at the walk's size
            }
            case RECHECK -> {
                lost = size;
                mode = Mode.SEARCH;
                settleSearch();
            }
            case SEARCH -> {
                lost = passing + (lost - passing) / 2;
                settleSearch();
            }
        }
    }

    /** The search found the boundary: the black hole is recorded and the walk goes on at the size that passes. */
    private void settleSearch() {
        if (lost - passing > 1) {
            return;
        }
        MtuBlackHole hole = new MtuBlackHole(ttl, Optional.ofNullable(lastAnsweredTtl == ttl - 1 ? lastAnswered : null),
                passing, lost, false);
        if (blackHole == null) {
            blackHole = hole;
            if (events != null) {
                events.blackHoleFound(hole);
            }
        }
        size = passing;
        mode = Mode.WALK;
        attempt = 0;
        boolean fromDestination = destination.equals(answeredBy);
        completeTtl(fromDestination);
        if (fromDestination) {
            end(TraceStatus.DESTINATION_REACHED);
        }
    }

    /** This TTL is done: its hop is recorded and the walk moves to the next TTL (or ends past the last). */
    private void completeTtl(boolean fromDestination) {
        InetAddress by = answeredBy;
        MtuHop hop = new MtuHop(ttl, Optional.ofNullable(by),
                answeredRtt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(answeredRtt)),
                by == null ? size : answeredSize, tooBig < 0 ? OptionalInt.empty() : OptionalInt.of(tooBig),
                Optional.ofNullable(tooBigFrom), fromDestination, false);
        hops.add(hop);
        if (events != null) {
            events.hopCompleted(hop);
        }
        if (by != null) {
            lastAnswered = by;
            lastAnsweredTtl = ttl;
        }
        answeredBy = null;
        answeredRtt = -1;
        tooBig = -1;
        tooBigFrom = null;
        attempt = 0;
        mode = Mode.WALK;
        if (probesSent == 0 && sendFailures > 0) {
            // every attempt of a whole TTL failed to leave this host, none ever did: a send failure, not silence
            // (not MAX_HOPS_EXCEEDED after a "no reply" at every TTL)
            end(TraceStatus.SEND_FAILED);
        } else if (!fromDestination && ttl >= request.maxTtl()) {
            end(TraceStatus.MAX_HOPS_EXCEEDED);
        }
        ttl++;
    }

    private void end(TraceStatus status) {
        if (ended == null) {
            ended = status;
        }
    }

    @Override
    public long nextWakeup(long now) {
        if (ended != null || !outstanding || !outstandingSent) {
            return NO_WAKEUP;
        }
        return Math.max(0, outstandingTick + timeoutNanos - now);
    }

    @Override
    public boolean done() {
        return ended != null;
    }

    @Override
    public MtuResult outcome(Stop reason, long now) {
        TraceStatus status = ended != null ? ended : switch (reason) {
            case CANCELLED -> TraceStatus.CANCELLED;
            case DEADLINE -> TraceStatus.DEADLINE_EXCEEDED;
            case COMPLETED -> TraceStatus.MAX_HOPS_EXCEEDED;
        };
        if (outstanding && outstandingSent) {
            observer.abandoned();
        }
        outstanding = false;
        if (ended == null) {
            ended = status;
        }
        return result(status, now);
    }

    @Override
    public MtuResult snapshot(long now) {
        return result(ended != null ? ended : TraceStatus.RUNNING, now);
    }

    private MtuResult result(TraceStatus status, long now) {
        OptionalInt pathMtu = OptionalInt.empty();
        for (MtuHop h : hops) {
            if (h.answered()) {
                pathMtu = OptionalInt.of(h.pathMtu());
            }
        }
        return new MtuResult(request.target(), Optional.of(destination), transportName, status, firstLinkMtu, hops,
                pathMtu, Optional.ofNullable(blackHole), probesSent, startedAt,
                Duration.ofNanos(Math.max(0, now - startTick)), MaskStatement.NONE);
    }

    @Override
    public Subject<MtuResult> subject() {
        return new Subject<>(io.pathprobe.MeasurementType.MTU, request.target(), transportName, MtuResult::status);
    }
}
