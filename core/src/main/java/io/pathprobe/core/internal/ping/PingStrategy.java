package io.pathprobe.core.internal.ping;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Ping of one target as pure logic: an absolute send schedule ({@code start + k × interval}, the
 * start claimed from the ping's {@link PingPacer} so targets are staggered by the gap), the ping's gap
 * schedule on top (a send leaves at the later of its own slot and the ping's next gap slot, never
 * within half a gap of the previous send of the ping: see {@link PingPacer}), one timeout per probe,
 * and the answers classified by the {@link PingAccumulator} accumulator (reply, late, duplicate,
 * unmatched; a late probe is reported as {@code TIMEOUT} with the late answer's RTT). Memory is constant: the
 * accumulator's window and histogram, a ring of send times of the same window, and at most
 * {@code recentProbes} completed probes.
 *
 * <p>Schedule ({@link PingSchedule}): probe {@code k} has slot {@code start + k × interval}, whatever happened
 * before it. A probe that leaves a whole interval or more after its slot (a stalled engine: a GC pause, CPUs taken
 * by others; the rate budget or the gap held it) does not move the later slots: the probes after it catch up, each at
 * least half an interval after the one before (never a burst, at most twice the rate), until one is back on its
 * slot. Were the missed slot skipped instead, one stall would leave every later probe a whole interval behind its
 * sequence number's slot. Only a stall of more than {@value #MAX_CATCH_UP_SLOTS} intervals (a suspended machine)
 * skips the slots it missed, so that a ping never spends long sending at twice its rate. A failed send uses its slot.
 * The count is the number of slots used (sends and failed sends).
 *
 * <p>An ICMP error (unreachable, time exceeded; for UDP any but the destination's own port
 * unreachable) decides its probe lost at once and is kept as the target's last error. A send that can
 * never succeed (no route, no source address of the family) ends the target at once with that error
 * ({@link PingError.Type#NO_ROUTE}, {@link PingError.Type#SEND_FAILED}); a transient one does not.
 *
 * <p>A UDP ping's answers are the destination's Port Unreachables, which it rate-limits (Linux: 6, then one a
 * second, per source). A miss is lost ({@code TIMEOUT}) unless the limiter was shown refusing when it left: this
 * target's own answers kept a limiter's refill clock around it ({@link RefusalEvidence}); then it is
 * {@link ProbeStatus#RATE_LIMITED}, neither received nor lost. Evidence that comes after a miss was decided turns it
 * then (the probe among the recent ones too; the listener heard it as a timeout). The answers of other targets show
 * nothing of this one's: addresses of one host share its limit, but one address that answers every refill while
 * another never does looks the same as a live host beside a dead one. A target that never answered has every miss
 * lost. A lost UDP probe that left while the ping's {@link RefusalFloor}
 * held less than a token could have been refused, for all the ping knows: it stays lost, and is counted in
 * {@code mayBeRefused}, the bound on the loss ({@link io.pathprobe.ping.PingStatistics#lossLow()}). ICMP echo and
 * TCP answers are not limited so: their misses are lost.
 */
public final class PingStrategy implements ProbingStrategy<PingTargetResult> {

    /** Where the strategy reports completed probes (on the engine loop; the handle moves them to the listener). */
    public interface Events {
        void probeCompleted(PingProbe probe);

        void duplicate(PingProbe probe);

        void late(PingProbe probe);
    }

    /** What one target pings with. */
    public record Setup(int index, String target, InetAddress destination, PingKind kind, String transport,
            Optional<String> kindNote, int ttl, long count, long intervalNanos, long timeoutNanos, int recentProbes,
            long pingStartTick) {}

    private final Setup setup;
    private final PingPacer pacer;
    private final @Nullable Events events;
    private final PingAccumulator stats;
    private final int window;
    private final long[] sentTick;
    /** The ping's floor of the destinations' ICMP budget: UDP only, else null. */
    private final @Nullable RefusalFloor refusals;
    /** Per probe in the window: whether it left while the floor held less than a token (a miss may be a refusal). */
    private final boolean[] mayBeRefused;
    /** Whether this target's own answers show its limiter refusing: UDP only, else null. */
    private final @Nullable RefusalEvidence own;
    /** Per probe in the window: its ticket in {@link #own} (-1: not reported there). */
    private final long[] ownTicket;
    /** Per probe in the window: the transport's send time, on which the evidence keeps its clock. */
    private final long[] sentNanosOf;
    /** The evidence's version when the window was last searched for shown refusals. */
    private long ownSeen = -1;
    private final int maxInFlight;
    private final int maxSequence;
    private final boolean ipv6;
    private final ArrayDeque<PingProbe> recent;
    /** Most slots a late target catches up on; a stall longer than this many intervals skips its missed slots. */
    static final int MAX_CATCH_UP_SLOTS = PingSchedule.MAX_CATCH_UP_SLOTS;
    /** When each probe may leave: its slot, or half an interval after a late probe while catching up. */
    private final PingSchedule schedule;
    private long errors;
    private @Nullable PingError lastError;
    private boolean stopped;
    /** A send failed for good (no route, no source address of the family): this target sends nothing more and ends. */
    private boolean sendImpossible;
    private final java.util.function.BooleanSupplier queued;
    private ProbeObserver observer = ProbeObserver.NONE;

    /**
     * @param queued whether the run is waiting in the tracer's send queue: then a probe that may leave
     *     now needs no wake-up (the send scheduler asks for it when the rate budget allows); otherwise
     *     it asks for one at once
     * @param refusals the ping's floor of its UDP destinations' ICMP budget, shared by its UDP targets; null for
     *     other kinds (ignored for them)
     */
    public PingStrategy(Setup setup, PingPacer pacer, int maxSequence, int maxInFlight, long now,
            @Nullable Events events, java.util.function.BooleanSupplier queued, @Nullable RefusalFloor refusals) {
        this.setup = setup;
        boolean udp = setup.kind() == PingKind.UDP;
        this.refusals = udp ? refusals : null;
        this.own = udp ? new RefusalEvidence() : null;
        this.queued = queued;
        this.pacer = pacer;
        this.events = events;
        this.maxInFlight = Math.max(1, maxInFlight);
        this.maxSequence = maxSequence;
        // enough for every probe that can be outstanding within one timeout, plus slack
        long outstanding = setup.timeoutNanos() / setup.intervalNanos() + 16;
        this.window = (int) Math.min(Math.min(Math.max(64, outstanding), 65_536), (long) maxSequence + 1);
        this.stats = new PingAccumulator(maxSequence, Duration.ofNanos(setup.timeoutNanos()), window,
                PingAccumulator.DEFAULT_RECENT_SAMPLES);
        this.sentTick = new long[window];
        this.mayBeRefused = new boolean[window];
        this.ownTicket = new long[window];
        this.sentNanosOf = new long[window];
        this.recent = new ArrayDeque<>(Math.min(setup.recentProbes(), 1024));
        this.ipv6 = setup.destination() instanceof Inet6Address;
        this.schedule = new PingSchedule(setup.intervalNanos(), pacer.claimStart(now));
    }

    private boolean moreToSend() {
        return !stopped && !sendImpossible && (setup.count() == 0 || schedule.used() < setup.count());
    }

    /** Whether the next probe could leave now but for the tracer's rate budget. */
    private boolean readyNow(long now) {
        return moreToSend() && stats.canSend() && now - schedule.due() >= 0 && pacer.mayStart(schedule.due(), now);
    }

    @Override
    public @Nullable ProbeSpec next(long now) {
        if (!readyNow(now)) {
            return null;
        }
        if (stats.pending() >= maxInFlight) {
            // the session holds one kernel object per probe: sending releases the oldest
            long oldest = stats.oldestPending();
            if (oldest >= 0) {
                giveUp(oldest);
            }
        }
        return ProbeSpec.of(stats.nextWireSequence(), setup.ttl());
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        long seq = stats.sent(probe.sequence(), sentNanos);
        int slot = (int) (seq % window);
        sentTick[slot] = now;
        mayBeRefused[slot] = refusals != null && refusals.send(now);
        sentNanosOf[slot] = sentNanos;
        ownTicket[slot] = own != null ? own.sent(sentNanos) : -1;
        pacer.sent(schedule.due(), now);
        schedule.used(now);
    }

    /** The failure of the send being handled: its path MTU, when the system refused the probe as too big. */
    private int failedMtu = -1;

    @Override
    public void onSendFailed(ProbeSpec probe, io.pathprobe.spi.SendFailedException failure, long now) {
        failedMtu = failure.mtu();
        try {
            onSendFailed(probe, String.valueOf(failure.getMessage()), failure.noRoute(), failure.permanent(), now);
        } finally {
            failedMtu = -1;
        }
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now) {
        pacer.sent(schedule.due(), now);
        errors++;
        if (noRoute || permanent) {
            // no probe can reach this target from here: it ends now with the cause; the others go on
            sendImpossible = true;
            lastError = noRoute ? PingError.of(PingError.Type.NO_ROUTE, "no route from this host: " + reason)
                    : PingError.of(PingError.Type.SEND_FAILED, "no probe can be sent from this host: " + reason);
        } else {
            lastError = PingError.of(PingError.Type.SEND_FAILED, "send failed: " + reason);
        }
        // its reason and, refused as too big, the path MTU, for a line as iputils' "local error: ..., mtu=1400"
        complete(new PingProbe(stats.nextSequence(), sinceStart(now), ProbeStatus.SEND_FAILED, Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                failedMtu > 0 ? OptionalInt.of(failedMtu) : OptionalInt.empty(), Optional.of(reason)));
        schedule.used(now);
    }

    @Override
    public void onAnswer(ProbeResponse r, long now) {
        if (stopped) {
            observer.late(); // read before the session closed, handled after the end
            return;
        }
        if (isReply(r)) {
            long pendingBefore = stats.pending();
            PingAccumulator.Answer a = stats.answer(r.sequence(), r.receivedNanos());
            switch (a.kind()) {
                case REPLY -> {
                    observer.answered(setup.ttl(), a.rttNanos(), r.responder(), r.kind());
                    evidence(a.sequence(), true);
                    complete(probe(a.sequence(), ProbeStatus.REPLY, a.rtt(), r));
                    reviseRefusals();
                }
                case LATE -> {
                    // lost (TIMEOUT) with the late answer's time: PingProbe.late()
                    PingProbe late = probe(a.sequence(), ProbeStatus.TIMEOUT, a.rtt(), r);
                    observer.late();
                    if (stats.pending() < pendingBefore) { // decided now (it was not timed out yet)
                        observer.timedOut(setup.ttl(), setup.timeoutNanos());
                        evidence(a.sequence(), true); // not refused: the limiter sent it, only late
                        complete(late);
                    } else {
                        markLate(late);
                    }
                    if (events != null) {
                        events.late(late);
                    }
                }
                case DUPLICATE -> {
                    observer.late();
                    if (events != null) {
                        events.duplicate(probe(a.sequence(), ProbeStatus.REPLY, a.rtt(), r));
                    }
                }
                case UNMATCHED -> observer.unmatched();
            }
            return;
        }
        // an ICMP error: decides its probe lost at once
        long seq = sequenceOf(r.sequence());
        if (seq < 0 || !stats.timedOut(seq)) {
            // about no probe of ours (never sent, out of the window) or one already decided (answered, given up,
            // or a copy of an error that decided it): not an error that answered a probe, so not counted
            if (seq >= 0) {
                observer.late();
            } else {
                observer.unmatched();
            }
            return;
        }
        Optional<IcmpMessage> icmp = r.icmpType() == ProbeResponse.UNKNOWN || r.kind() == ResponseKind.TCP_RESET
                ? Optional.empty() : Optional.of(new IcmpMessage(r.icmpType(), r.icmpCode(), ipv6));
        String what = icmp.map(IcmpMessage::description).orElse(r.kind() == ResponseKind.TCP_RESET
                ? "connection refused (TCP RST)" : "no valid " + setup.kind() + " answer");
        errors++;
        lastError = new PingError(PingError.Type.UNREACHABLE, "from " + r.responder().getHostAddress() + ": " + what
                + (r.kind() == ResponseKind.PACKET_TOO_BIG && r.mtu() > 0 ? " (mtu = " + r.mtu() + ")" : ""),
                icmp, Optional.of(r.responder()));
        // RTT on the engine's clock: the statistics keep the transport's send time of replies only
        observer.answered(setup.ttl(), Math.max(0, now - sentTick[(int) (seq % window)]), r.responder(), r.kind());
        evidence(seq, false); // no Port Unreachable of the destination's: a miss of its stream
        complete(probe(seq, ProbeStatus.UNREACHABLE, Optional.empty(), r));
    }

    /** Probe {@code seq} was decided: answered by the destination or not; the evidence hears it. */
    private void evidence(long seq, boolean answered) {
        int slot = (int) (seq % window);
        if (own != null && ownTicket[slot] >= 0) {
            if (answered) {
                own.answered(ownTicket[slot]);
            } else {
                own.missed(ownTicket[slot]);
            }
        }
    }

    /** Whether a UDP miss sent at {@code tick} was sent while this target's limiter was shown refusing. */
    private boolean shownRefused(long tick) {
        return own != null && own.refused(tick);
    }

    /**
     * Turns the target's lost misses still in the window that the evidence now shows refused (a period shown after
     * they were decided) into rate-limited ones. Searches only when the evidence changed since the last search.
     */
    private void reviseRefusals() {
        if (own == null || own.version() == ownSeen) {
            return;
        }
        ownSeen = own.version();
        if (!own.shownAny()) {
            return;
        }
        long sent = stats.nextSequence();
        for (long seq = Math.max(0, sent - window); seq < sent; seq++) {
            if (stats.lostUnanswered(seq) && shownRefused(sentNanosOf[(int) (seq % window)]) && stats.refused(seq)) {
                restatus(seq);
            }
        }
    }

    /** Probe {@code seq}, lost, was shown refused: its entry among the recent ones becomes a rate-limited one. */
    private void restatus(long seq) {
        for (java.util.Iterator<PingProbe> it = recent.descendingIterator(); it.hasNext();) {
            PingProbe p = it.next();
            if (p.sequence() == seq) {
                if (p.status() == ProbeStatus.TIMEOUT && p.rtt().isEmpty()) {
                    replaceRecent(p, new PingProbe(p.sequence(), p.sentAt(), ProbeStatus.RATE_LIMITED, p.rtt(),
                            p.responder(), p.icmp(), p.replyTtl(), p.replyBytes(), p.mtu(), p.failure()));
                }
                return;
            }
            if (p.sequence() < seq) {
                return;
            }
        }
    }

    private void replaceRecent(PingProbe old, PingProbe now) {
        ArrayDeque<PingProbe> newer = new ArrayDeque<>();
        while (!recent.isEmpty()) {
            PingProbe p = recent.pollLast();
            if (p == old) {
                recent.addLast(now);
                break;
            }
            newer.addFirst(p);
        }
        recent.addAll(newer);
    }

    /** Whether the answer comes from the destination as this kind's reply. */
    private boolean isReply(ProbeResponse r) {
        return switch (r.kind()) {
            case ECHO_REPLY -> setup.kind() != PingKind.TCP && setup.kind() != PingKind.UDP;
            case TCP_SYN_ACK, TCP_RESET, TCP_ACK -> setup.kind() == PingKind.TCP;
            case DESTINATION_UNREACHABLE -> setup.kind() == PingKind.UDP && r.portUnreachable()
                    && r.responder().equals(setup.destination());
            case TIME_EXCEEDED, PACKET_TOO_BIG -> false;
        };
    }

    /** The probe that carried {@code wire}, or -1: the most recent carrier within the window. */
    private long sequenceOf(int wire) {
        long sent = stats.nextSequence();
        if (sent == 0 || wire < 0) {
            return -1;
        }
        long last = sent - 1;
        long modulus = (long) maxSequence + 1;
        long seq = last - Math.floorMod(last - wire, modulus);
        return seq < 0 || seq < sent - window ? -1 : seq;
    }

    @Override
    public void onWakeup(long now) {
        long o;
        while ((o = stats.oldestPending()) >= 0 && now - sentTick[(int) (o % window)] >= setup.timeoutNanos()) {
            giveUp(o);
        }
        reviseRefusals();
    }

    @Override
    public boolean expiryDue(long now) {
        long o = stats.oldestPending();
        return o >= 0 && now - sentTick[(int) (o % window)] >= setup.timeoutNanos();
    }

    /**
     * No answer in time: lost ({@code TIMEOUT}; counted among those a limit could have refused when the ping's
     * {@link RefusalFloor} held less than a token as it left), or {@code RATE_LIMITED} when a limiter was shown
     * refusing as it left and the target answered before.
     */
    private void giveUp(long seq) {
        int slot = (int) (seq % window);
        if (stats.timedOut(seq, mayBeRefused[slot])) {
            observer.timedOut(setup.ttl(), setup.timeoutNanos());
            evidence(seq, false);
            boolean refused = shownRefused(sentNanosOf[slot]) && stats.refused(seq);
            complete(probe(seq, refused ? ProbeStatus.RATE_LIMITED : ProbeStatus.TIMEOUT, Optional.empty(), null));
        }
    }

    @Override
    public long nextWakeup(long now) {
        long wake = NO_WAKEUP;
        long o = stats.oldestPending();
        if (o >= 0) {
            wake = Math.max(0, sentTick[(int) (o % window)] + setup.timeoutNanos() - now);
        }
        if (moreToSend() && stats.canSend() && !(readyNow(now) && queued.getAsBoolean())) {
            // not due yet, held by the gap, or due but not queued for sending (time moved on since
            // the send scheduler last asked): wake up then; a queued run is called back by the scheduler
            long at = pacer.nextFree(schedule.due(), now); // not before the target's own slot
            wake = Math.min(wake, Math.max(0, at - now));
        }
        return wake;
    }

    @Override
    public boolean done() {
        return sendImpossible || (!moreToSend() && stats.pending() == 0);
    }

    @Override
    public PingTargetResult outcome(Stop reason, long now) {
        if (!stopped) {
            observer.abandoned(stats.pending()); // reported pending in the result: never decided
        }
        stopped = true;
        return result();
    }

    @Override
    public PingTargetResult snapshot(long now) {
        return result();
    }

    private PingTargetResult result() {
        reviseRefusals();
        List<PingProbe> probes = new ArrayList<>(recent);
        probes.sort(Comparator.comparingLong(PingProbe::sequence));
        return new PingTargetResult(setup.index(), setup.target(), Optional.of(setup.destination()), setup.kind(),
                setup.transport(), setup.kindNote(), Optional.ofNullable(lastError),
                statistics(stats.snapshot(), errors),
                probes);
    }

    /**
     * The public statistics of a snapshot. A target that never answered is lost whole: no bound then, whatever a
     * limit could have refused ({@code mayBeRefused} 0).
     */
    static io.pathprobe.ping.PingStatistics statistics(PingSnapshot s, long errors) {
        return new io.pathprobe.ping.PingStatistics(s.sent(), s.received(), s.lost(), s.pending(),
                s.duplicates(), s.late(),
                s.outOfOrder(), errors, s.loss(),
                s.rtt().map(r -> new io.pathprobe.probe.RttStatistics(r.last(), r.min(), r.avg(), r.max(), r.mdev(),
                        Optional.of(new io.pathprobe.probe.RttPercentiles(r.p50(), r.p90(), r.p95(), r.p99(),
                                r.exactPercentiles())))),
                s.jitter(), s.rateLimited(), s.received() == 0 ? 0 : s.mayBeRefused());
    }

    // ---- probes --------------------------------------------------------------------------------

    private Duration sinceStart(long tick) {
        return Duration.ofNanos(Math.max(0, tick - setup.pingStartTick()));
    }

    private PingProbe probe(long seq, ProbeStatus status, Optional<Duration> rtt, @Nullable ProbeResponse r) {
        boolean icmpKnown = r != null && r.icmpType() != ProbeResponse.UNKNOWN
                && r.kind() != ResponseKind.TCP_SYN_ACK && r.kind() != ResponseKind.TCP_RESET
                && r.kind() != ResponseKind.TCP_ACK;
        return new PingProbe(seq, sinceStart(sentTick[(int) (seq % window)]), status, rtt,
                r == null ? Optional.empty() : Optional.of(r.responder()),
                r != null && icmpKnown ? Optional.of(new IcmpMessage(r.icmpType(), r.icmpCode(), ipv6))
                        : Optional.empty(),
                r == null || r.replyTtl() == ProbeResponse.UNKNOWN ? OptionalInt.empty() : OptionalInt.of(r.replyTtl()),
                r == null || r.replyLength() == ProbeResponse.UNKNOWN ? OptionalInt.empty()
                        : OptionalInt.of(r.replyLength()),
                r == null || r.kind() != ResponseKind.PACKET_TOO_BIG || r.mtu() <= 0 ? OptionalInt.empty()
                        : OptionalInt.of(r.mtu()), Optional.empty());
    }

    /**
     * A probe already reported as timed out (or rate-limited: answered after all, so not refused) got its late
     * answer: its entry among the recent ones becomes the late probe (searched from the newest, as far back as probes
     * can be outstanding; a first late answer only, the probe was reported once).
     */
    private void markLate(PingProbe late) {
        ArrayDeque<PingProbe> newer = new ArrayDeque<>();
        try {
            while (!recent.isEmpty() && newer.size() <= window) {
                PingProbe p = recent.pollLast();
                if (p.sequence() == late.sequence()) {
                    if ((p.status() == ProbeStatus.TIMEOUT || p.status() == ProbeStatus.RATE_LIMITED)
                            && p.rtt().isEmpty()) {
                        p = late;
                    }
                    recent.addLast(p);
                    return;
                }
                newer.addFirst(p);
            }
        } finally {
            recent.addAll(newer);
        }
    }

    /** A probe was decided: kept among the recent ones and reported. */
    private void complete(PingProbe p) {
        if (setup.recentProbes() > 0) {
            if (recent.size() >= setup.recentProbes()) {
                recent.pollFirst();
            }
            recent.addLast(p);
        }
        if (events != null) {
            events.probeCompleted(p);
        }
    }

    @Override
    public void observe(ProbeObserver o) {
        this.observer = o;
    }

    @Override
    public Subject<PingTargetResult> subject() {
        return new Subject<>(io.pathprobe.MeasurementType.PING,
                setup.destination().getHostAddress(), setup.transport());
    }

    /** Probes sent, for tests. */
    public long sent() {
        return stats.nextSequence();
    }

    public Setup setup() {
        return setup;
    }
}
