package io.pathprobe.core.internal.probe;

import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.ProbeResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Mutable state of one probe; confined to the engine loop. Status moves once from unsent (null) to
 * {@link ProbeStatus#PENDING} (or straight to SEND_FAILED) and once from PENDING to a terminal status
 * ({@link #complete}); only a late-read answer may revise TIMEOUT to an answer afterwards.
 */
public final class ProbeState {
    private final int ttl;
    private final int attempt;
    /** Position in its {@link ProbeTable}, or in send order: what {@link SequenceSpace} remembers. */
    private final int index;
    /** Null until sent. */
    private @Nullable ProbeStatus status;
    /** The sequence number it was sent with, -1 before. */
    private int sequence = -1;
    /** Engine tick when it was sent. */
    private long sentTick;
    /** The transport's send time (the clock of answers' receive times). */
    private long sentTransportNanos;
    /** The wait that applied when it was given up. */
    private long waitApplied;
    /** Given up well after its wait ran out (the engine was behind): see {@link WaitPolicy#lateGiveUp}. */
    private boolean givenUpLate;
    private @Nullable InetAddress responder;
    private long rttNanos = -1;
    /** Engine tick when the answer was taken: orders "last RTT". */
    private long answeredTick;
    private int icmpType = -1;
    private int icmpCode = -1;
    private boolean destination;
    private int replyTtl = -1;
    private List<MplsLabel> mplsLabels = List.of();
    private List<io.pathprobe.probe.InterfaceInfo> interfaces = List.of();
    private io.pathprobe.probe.@Nullable NodeId nodeId;
    private io.pathprobe.probe.@Nullable TrafficClass quotedMarking;
    private List<io.pathprobe.probe.HeaderChange> headerChanges = List.of();
    private @Nullable String failure;
    /** Abandoned beyond the end of the path, and its answer came anyway (once). */
    private boolean answeredBeyondPath;
    /** The flow it carries; -1 when the transport chooses per probe (classic). */
    private int flow = -1;
    /** Dublin's NAT ID of its answer (quoted minus sent checksum), -1 when unknown. */
    private int natId = -1;
    /** {@code ratelimit.RateLimitCharges}'s: the responder it was expected to reach, null when none was known. */
    private @Nullable InetAddress expectedResponder;
    /** {@code ratelimit.RateLimitCharges}'s: whether that responder's budget was spent when it was charged. */
    private boolean overBudget;
    private boolean mayBeDrained;
    /** A timed-out probe whose miss the evidence could not tell from a refusal (see {@link #undecided}). */
    private boolean undecided;

    public ProbeState(int ttl, int attempt, int index) {
        this.ttl = ttl;
        this.attempt = attempt;
        this.index = index;
    }

    // ---- the rate-limit charges' (ratelimit.RateLimitCharges) ----------------------------------------

    /** Charges it to {@code responder}, {@code over} that responder's budget or not. */
    public void expect(InetAddress responder, boolean over, boolean drained) {
        expectedResponder = responder;
        overBudget = over;
        mayBeDrained = drained;
    }

    public @Nullable InetAddress expectedResponder() {
        return expectedResponder;
    }

    /** Whether its expected responder's bucket may have been empty when it left, for all the tracer knew. */
    public boolean mayBeDrained() {
        return mayBeDrained;
    }

    public boolean overBudget() {
        return overBudget;
    }

    /**
     * Whether this timed-out probe is counted lost while a refusal is not excluded: its responder's bucket may
     * have been empty when it left, and nothing showed either way (no refusal pattern, no answers too many for an
     * empty bucket). Its hop states the loss as a bound ({@code HopStatistics#undecided}).
     */
    public boolean undecided() {
        return undecided && status == ProbeStatus.TIMEOUT;
    }

    /** Marks this timed-out probe {@link #undecided}. */
    public void undecided(boolean value) {
        undecided = value;
    }

    // ---- the ledger's transitions (package-private: only the ledger, and tests, write) ----------

    void markSent(int seq, long tick, int flowNumber) {
        sequence = seq;
        status = ProbeStatus.PENDING;
        sentTick = tick;
        flow = flowNumber;
    }

    void sentAt(long transportNanos) {
        sentTransportNanos = transportNanos;
    }

    /** It left at {@code tick}, after the tick it was numbered at if it was held back: its wait counts from then. */
    void left(long tick) {
        if (tick - sentTick > 0) {
            sentTick = tick;
        }
    }

    void failure(String reason) {
        failure = reason;
    }

    void waitApplied(long wait) {
        waitApplied = wait;
    }

    void givenUpLate() {
        givenUpLate = true;
    }

    void answeredBeyondPath() {
        answeredBeyondPath = true;
    }

    /** A revision of TIMEOUT by a late-read answer (or a test's status). */
    void status(ProbeStatus s) {
        status = s;
    }

    /** {@return the TTL (hop limit) of the answer's IP header as it arrived; -1: no answer, or not known} */
    public int replyTtl() {
        return replyTtl;
    }

    /** Takes an answer's fields (the status is decided separately). */
    void answer(InetAddress from, long rtt, long tick, int type, int code, boolean isDestination, int ttlOfReply,
            int nat, List<MplsLabel> labels) {
        responder = from;
        rttNanos = rtt;
        answeredTick = tick;
        icmpType = type;
        icmpCode = code;
        destination = isDestination;
        replyTtl = ttlOfReply;
        natId = nat;
        mplsLabels = labels;
    }

    /**
     * Records the RFC 5837 interface objects and the node identification the router appended to its error.
     *
     * @param objects the Interface Information objects, in the router's order
     * @param node the Node Identification object, if any
     */
    void identify(List<io.pathprobe.probe.InterfaceInfo> objects, io.pathprobe.probe.@Nullable NodeId node) {
        interfaces = objects;
        nodeId = node;
    }

    /**
     * Records what the router quoted of the probe (an ICMP error with {@code ProbeResponse.quotedHeader()}).
     *
     * @param marking the DSCP and ECN the router received
     * @param changes what it received differently from what was sent
     */
    void quote(io.pathprobe.probe.@Nullable TrafficClass marking, List<io.pathprobe.probe.HeaderChange> changes) {
        quotedMarking = marking;
        headerChanges = changes;
    }

    // ---- reads -------------------------------------------------------------------------------

    public int ttl() {
        return ttl;
    }

    public int attempt() {
        return attempt;
    }

    public int index() {
        return index;
    }

    /** Null until sent. */
    public @Nullable ProbeStatus status() {
        return status;
    }

    public int sequence() {
        return sequence;
    }

    public long sentTick() {
        return sentTick;
    }

    public long sentTransportNanos() {
        return sentTransportNanos;
    }

    public long waitApplied() {
        return waitApplied;
    }

    /**
     * Whether it was given up well after its wait ran out ({@link WaitPolicy#lateGiveUp}): the engine
     * was behind, its miss says nothing about its responder's rate limit (a revision may still come).
     */
    public boolean wasGivenUpLate() {
        return givenUpLate;
    }

    public @Nullable InetAddress responder() {
        return responder;
    }

    /** The RTT of its answer, or -1. */
    public long rttNanos() {
        return rttNanos;
    }

    public long answeredTick() {
        return answeredTick;
    }

    /** Whether the destination itself answered it. */
    public boolean destination() {
        return destination;
    }

    public @Nullable String failure() {
        return failure;
    }

    public boolean isAnsweredBeyondPath() {
        return answeredBeyondPath;
    }

    /** The flow it carries, or -1. */
    public int flow() {
        return flow;
    }

    /** Dublin's NAT ID of its answer, or -1. */
    public int natId() {
        return natId;
    }

    public boolean sent() {
        return status != null;
    }

    public boolean pending() {
        return status == ProbeStatus.PENDING;
    }

    /** Sent and in a terminal status. */
    public boolean completed() {
        return status != null && status != ProbeStatus.PENDING;
    }

    public boolean answered() {
        return status == ProbeStatus.REPLY || status == ProbeStatus.UNREACHABLE;
    }

    /**
     * The one transition out of PENDING.
     *
     * @return false (and no change) if the probe was not pending
     */
    public boolean complete(ProbeStatus terminal) {
        if (status != ProbeStatus.PENDING || terminal == ProbeStatus.PENDING) {
            return false;
        }
        status = terminal;
        return true;
    }

    /** The probe as a result; {@code ipv6} tells the ICMP numbering. */
    public ProbeResult toResult(boolean ipv6) {
        return toResult(ipv6, null);
    }

    /**
     * The probe as a result, sharing the responder's {@code Optional} with {@code previous} (a probe of the same
     * hop, usually) where both name the same address object.
     */
    public ProbeResult toResult(boolean ipv6, @Nullable ProbeResult previous) {
        ProbeStatus s = status == null ? ProbeStatus.PENDING : status;
        boolean answer = s == ProbeStatus.REPLY || s == ProbeStatus.UNREACHABLE;
        Optional<InetAddress> from = Optional.empty();
        if (answer && responder != null) {
            from = previous != null && previous.responder().orElse(null) == responder ? previous.responder()
                    : Optional.of(responder);
        }
        return new ProbeResult(
                ttl,
                attempt,
                s,
                from,
                answer && rttNanos >= 0 ? Optional.of(Duration.ofNanos(rttNanos)) : Optional.empty(),
                answer && icmpType >= 0 ? ResultValues.icmp(icmpType, icmpCode, ipv6) : Optional.empty(),
                answer && destination,
                Optional.ofNullable(failure),
                answer && replyTtl >= 0 ? ResultValues.optionalInt(replyTtl) : OptionalInt.empty(),
                answer ? mplsLabels : List.of(),
                flow >= 0 ? ResultValues.optionalInt(flow) : OptionalInt.empty(),
                answer && natId >= 0 ? ResultValues.optionalInt(natId) : OptionalInt.empty(),
                answer ? ResultValues.marking(quotedMarking) : Optional.empty(),
                answer ? headerChanges : List.of(),
                answer ? interfaces : List.of(),
                answer ? Optional.ofNullable(nodeId) : Optional.empty());
    }
}
