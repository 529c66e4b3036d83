package io.pathprobe.ping;

import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
/**
 * What a ping found: one {@link PingTargetResult} per target, in the order of
 * {@link PingRequest#targets()}, errors included.
 *
 * @param targets the targets' results
 * @param status how the ping ended
 * @param startedAt when it started (wall clock)
 * @param duration how long it ran, name resolution included
 * @param request the request that was pinged, as {@link TraceResult#request()} and
 *     {@link MultipathResult#request()} carry theirs
 * @param masking what of it is hidden ({@link io.pathprobe.evidence.Masking#apply(PingResult)}: a ping has no hops
 *     and its targets are the user's, so this host's addresses a message or a probe names), as the statement masked
 *     outputs carry; {@link MaskStatement#NONE} as measured
 */
public record PingResult(List<PingTargetResult> targets, PingStatus status, Instant startedAt, Duration duration,
        PingRequest request, MaskStatement masking) {
    /**
     * Checks the components (see the record's description) and copies {@code targets}.
     *
     * @param targets the targets' results
     * @param status how the ping ended
     * @param startedAt when it started (wall clock)
     * @param duration how long it ran, name resolution included
     * @param request the request that was pinged, as {@link TraceResult#request()} and
     *     {@link MultipathResult#request()} carry theirs
     * @param masking what of it is hidden, as a statement (its addresses are not kept)
     * @throws NullPointerException if a component is null, or {@code targets} holds null
     */
    public PingResult {
        targets = List.copyOf(targets);
        Checks.nonNull("status", status, "startedAt", startedAt, "duration", duration, "request", request);
    }

    /**
     * A ping as it was measured (not masked).
     *
     * @param targets the targets' results
     * @param status how the ping ended
     * @param startedAt when it started (wall clock)
     * @param duration how long it ran, name resolution included
     * @param request the request that was pinged
     */
    public PingResult(List<PingTargetResult> targets, PingStatus status, Instant startedAt, Duration duration,
            PingRequest request) {
        this(targets, status, startedAt, duration, request, MaskStatement.NONE);
    }

    /**
     * A result whose request is {@code PingRequest.of(the targets' names)}, every other option at its
     * default (the request not at hand); at least one target.
     *
     * @param targets the targets' results
     * @param status how the ping ended
     * @param startedAt when it started (wall clock)
     * @param duration how long it ran, name resolution included
     */
    public PingResult(List<PingTargetResult> targets, PingStatus status, Instant startedAt, Duration duration) {
        this(targets, status, startedAt, duration,
                PingRequest.of(targets.stream().map(PingTargetResult::target).toArray(String[]::new)));
    }

    /** {@return whether every target answered at least once (fping's exit status 0)} */
    public boolean allAnswered() {
        return targets.stream().allMatch(PingTargetResult::answered);
    }

    /** {@return what the ping cost its targets: each target's {@link PingTargetResult#cost()} added up} */
    public ProbeCost cost() {
        return ProbeCost.sum(targets, PingTargetResult::cost);
    }

    /** {@return the result of the first target (the only one of a one-target ping)} */
    public PingTargetResult first() {
        return targets.get(0);
    }

    /** fping -c style: one line per target. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (PingTargetResult t : targets) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(t);
        }
        return masking.active() ? masking + "\n" + b : b.toString();
    }
}
