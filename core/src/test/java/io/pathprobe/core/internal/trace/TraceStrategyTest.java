package io.pathprobe.core.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The traceroute strategy alone: plain calls with made-up times, no runtime at all. */
@Timeout(5)
class TraceStrategyTest {
    private static final long MS = 1_000_000;
    private static final InetAddress DEST = Scenario.DESTINATION;

    private static TraceStrategy strategy(TraceRequest.Builder b, int maxSequence) {
        return new TraceStrategy(b.build(), DEST, b.build().protocol(), "test", Optional.empty(), maxSequence,
                Instant.EPOCH, 0, null);
    }

    private static List<ProbeSpec> sendAll(TraceStrategy s, long now) {
        List<ProbeSpec> out = new ArrayList<>();
        ProbeSpec p;
        while ((p = s.next(now)) != null) {
            s.onSent(p, now, now);
            out.add(p);
        }
        return out;
    }

    private static ProbeSpec find(List<ProbeSpec> sent, int ttl) {
        return sent.stream().filter(p -> p.ttl() == ttl).findFirst().orElseThrow();
    }

    private static ProbeResponse router(ProbeSpec p, long at) {
        return new ProbeResponse(p.sequence(), ResponseKind.TIME_EXCEEDED, 11, 0, Scenario.address(10, 0, p.ttl(), 1), at);
    }

    private static ProbeResponse destination(ProbeSpec p, long at) {
        return new ProbeResponse(p.sequence(), ResponseKind.ECHO_REPLY, 0, 0, DEST, at);
    }

    /**
     * Defect 1, at the strategy: the old TraceRun decremented in-flight again for probes beyond an
     * earlier horizon when the horizon shrank a second time (TTL-4 answer first, then TTL 3).
     */
    @Test
    void inFlightCannotGoNegativeWhenTheHorizonShrinksTwice() {
        TraceStrategy s = strategy(TraceRequest.builder(DEST).maxTtl(10).probesPerTtl(1), 65535);
        List<ProbeSpec> sent = sendAll(s, 0);
        assertThat(sent).hasSize(10);
        assertThat(s.inFlight()).isEqualTo(10);
        s.onAnswer(destination(find(sent, 4), MS), MS); // horizon 10 -> 4: TTL 5..10 abandoned
        assertThat(s.inFlight()).isEqualTo(3);
        s.onAnswer(destination(find(sent, 3), 2 * MS), 2 * MS); // horizon 4 -> 3
        assertThat(s.inFlight()).isEqualTo(2);
        for (int ttl = 5; ttl <= 10; ttl++) {
            s.onAnswer(destination(find(sent, ttl), 5 * MS), 5 * MS); // slower answers beyond the path
        }
        assertThat(s.inFlight()).isEqualTo(2);
        s.onAnswer(router(find(sent, 1), 3 * MS), 6 * MS);
        s.onAnswer(router(find(sent, 2), 3 * MS), 6 * MS);
        assertThat(s.inFlight()).isZero();
        assertThat(s.done()).isTrue();
        TraceResult r = s.outcome(Stop.COMPLETED, 7 * MS);
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).hasSize(3);
        assertThat(r.unmatchedReplies()).isZero();
    }

    /**
     * A cold JVM's UDP trace on an unlimited lab (CliColdJvmLabTest, beside a CPU hog): the destination's
     * last attempt was answered late, after the adaptive wait gave it up, and the rate-limit model called
     * that give-up RATE_LIMITED; the trace ended at once and showed a star. A give-up at the destination's
     * hop is waited for up to its probe timeout whatever the model called it: the late answer revises it.
     * Without an answer it stays RATE_LIMITED, claimed once its timeout passed.
     */
    @Test
    void aGiveUpAtTheDestinationCalledRateLimitedStillWaitsForItsLateAnswer() {
        assertThat(runWithLateThirdAnswer(50 * MS)).extracting(ProbeResult::status)
                .containsExactly(ProbeStatus.REPLY, ProbeStatus.REPLY, ProbeStatus.REPLY);
        assertThat(runWithLateThirdAnswer(-1)).extracting(ProbeResult::status)
                .containsExactly(ProbeStatus.REPLY, ProbeStatus.REPLY, ProbeStatus.RATE_LIMITED);
    }

    /**
     * A 3-hop UDP trace, routers and the destination's first two attempts answered after 1 ms, its third
     * after {@code lateNanos} (never if negative), with a model that calls every miss at the destination
     * rate-limited; the destination hop's probes at the end.
     */
    private static List<ProbeResult> runWithLateThirdAnswer(long lateNanos) {
        TraceStrategy s = new TraceStrategy(TraceRequest.builder(DEST).protocol(io.pathprobe.probe.ProbeProtocol.UDP).maxTtl(3)
                .probesPerTtl(3).probeTimeout(Duration.ofSeconds(1)).build(), DEST, io.pathprobe.probe.ProbeProtocol.UDP, "test",
                Optional.empty(), 65535, Instant.EPOCH, 0, null).pacing(new DestinationCalledLimited());
        int[] destinationAttempts = new int[1];
        long end = drive(s, (p, now) -> {
            if (p.ttl() < 3) {
                return router(p, now + MS);
            }
            if (++destinationAttempts[0] < 3 || lateNanos >= 0) {
                long at = now + (destinationAttempts[0] < 3 ? MS : lateNanos);
                return new ProbeResponse(p.sequence(), ResponseKind.DESTINATION_UNREACHABLE, 3, 3, DEST, at);
            }
            return null;
        });
        assertThat(destinationAttempts[0]).isEqualTo(3);
        return s.outcome(Stop.COMPLETED, end).hop(3).orElseThrow().probes();
    }

    /**
     * Runs {@code s} on fake time until it is done (a liveness bound of 30 s): each probe it sends is given to
     * {@code answer} with the time it left, which returns its answer (received when the answer says) or null for
     * none; returns the time it ended.
     */
    private static long drive(TraceStrategy s,
            java.util.function.BiFunction<ProbeSpec, Long, @org.jspecify.annotations.Nullable ProbeResponse> answer) {
        java.util.TreeMap<Long, List<ProbeResponse>> due = new java.util.TreeMap<>();
        long now = 0;
        while (!s.done() && now < 30_000 * MS) {
            ProbeSpec p;
            while ((p = s.next(now)) != null) {
                s.onSent(p, now, now);
                ProbeResponse r = answer.apply(p, now);
                if (r != null) {
                    due.computeIfAbsent(r.receivedNanos(), k -> new ArrayList<>()).add(r);
                }
            }
            long wake = s.nextWakeup(now);
            long next = due.isEmpty() ? Long.MAX_VALUE : due.firstKey();
            if (wake != ProbingStrategy.NO_WAKEUP) {
                next = Math.min(next, now + wake);
            }
            if (next == Long.MAX_VALUE) {
                break;
            }
            now = Math.max(now, next);
            List<ProbeResponse> answers = due.remove(now);
            if (answers != null) {
                for (ProbeResponse r : answers) {
                    s.onAnswer(r, now);
                }
            }
            if (wake != ProbingStrategy.NO_WAKEUP) {
                s.onWakeup(now);
            }
        }
        assertThat(s.done()).as("liveness").isTrue();
        return now;
    }

    /** A rate-limit model that takes the destination (TTL 3) for a limiter and every miss there for a refusal. */
    /**
     * Issue 68: a UDP trace's wave reaches the destination with every probe past its TTL, and a clean Linux host
     * answers the first 6 and refuses the rest, its TTL's later attempts among them: that shape (answers first, then
     * only misses) is the evidence that they were refusals. A lossy path's destination that answers at random is lost.
     */
    @Test
    void aDestinationDrainedByTheTracesOwnWaveRefusedAndARandomLossIsLost() {
        assertThat(runAgainstDestination(n -> n <= 6)).extracting(ProbeResult::status)
                .containsExactly(ProbeStatus.REPLY, ProbeStatus.RATE_LIMITED, ProbeStatus.RATE_LIMITED);
        assertThat(runAgainstDestination(n -> n % 2 == 1)).extracting(ProbeResult::status)
                .contains(ProbeStatus.TIMEOUT).doesNotContain(ProbeStatus.RATE_LIMITED);
        assertThat(runAgainstDestination(n -> n <= 6 || n == 12)).as("an answer after the misses: no emptied bucket")
                .extracting(ProbeResult::status).doesNotContain(ProbeStatus.RATE_LIMITED);
    }

    /**
     * A 12-TTL UDP trace to a destination at TTL 3 on the tracer's own rate-limit model: every probe at TTL 3 or
     * beyond reaches it and the {@code n}th of them, in the order they left, is answered when {@code answered} says;
     * the destination hop's probes at the end.
     */
    private static List<ProbeResult> runAgainstDestination(java.util.function.IntPredicate answered) {
        TraceRequest request = TraceRequest.builder(DEST).protocol(io.pathprobe.probe.ProbeProtocol.UDP).maxTtl(12)
                .probesPerTtl(3).probeTimeout(Duration.ofSeconds(1)).build();
        TraceStrategy s = new TraceStrategy(request, DEST, io.pathprobe.probe.ProbeProtocol.UDP, "test", Optional.empty(),
                65535, Instant.EPOCH, 0, null).pacing(new io.pathprobe.core.internal.ratelimit.RateLimitTable(16,
                        600_000 * MS));
        int[] reached = new int[1];
        long end = drive(s, (p, now) -> p.ttl() < 3 ? router(p, now + MS) : answered.test(++reached[0])
                ? new ProbeResponse(p.sequence(), ResponseKind.DESTINATION_UNREACHABLE, 3, 3, DEST, now + MS) : null);
        return s.outcome(Stop.COMPLETED, end).hop(3).orElseThrow().probes();
    }

    private static final class DestinationCalledLimited extends io.pathprobe.core.internal.sim.OneLimiter {
        DestinationCalledLimited() {
            super(DEST, 3);
        }

        @Override
        public boolean rateLimited(InetAddress responder, boolean over, long sentTick) {
            return responder.equals(DEST);
        }
    }

    /** Defect 4: an answer stamped before its probe was sent is not that probe's answer. */
    @Test
    void anAnswerReceivedBeforeItsProbeWasSentIsUnmatched() {
        TraceStrategy s = strategy(TraceRequest.builder(DEST).maxTtl(2).probesPerTtl(1), 65535);
        ProbeSpec p = s.next(10 * MS);
        s.onSent(p, 10 * MS, 10 * MS);
        s.onAnswer(router(p, 9 * MS), 11 * MS);
        assertThat(s.inFlight()).isEqualTo(1);
        assertThat(s.snapshot(11 * MS).unmatchedReplies()).isEqualTo(1);
        assertThat(s.snapshot(11 * MS).hop(1).orElseThrow().probes().get(0).status()).isEqualTo(ProbeStatus.PENDING);
        s.onAnswer(router(p, 12 * MS), 12 * MS);
        assertThat(s.snapshot(12 * MS).hop(1).orElseThrow().rtts()).containsExactly(Duration.ofMillis(2));
    }

    @Test
    void anAnswerReadAfterItsWaitButStampedWithinItRevisesTheTimeout() {
        TraceStrategy s = strategy(TraceRequest.builder(DEST).maxTtl(1).probesPerTtl(1)
                .probeTimeout(Duration.ofMillis(10)).adaptiveWait(false), 65535);
        ProbeSpec p = s.next(0);
        s.onSent(p, 0, 0);
        assertThat(s.nextWakeup(0)).isEqualTo(10 * MS);
        s.onWakeup(10 * MS);
        assertThat(s.snapshot(10 * MS).hop(1).orElseThrow().probes().get(0).status()).isEqualTo(ProbeStatus.TIMEOUT);
        s.onAnswer(router(p, 4 * MS), 15 * MS); // arrived at 4 ms, read at 15 ms
        ProbeResult revised = s.snapshot(15 * MS).hop(1).orElseThrow().probes().get(0);
        assertThat(revised.status()).isEqualTo(ProbeStatus.REPLY);
        assertThat(revised.rtt()).contains(Duration.ofMillis(4));
        s.onAnswer(router(p, 4 * MS), 16 * MS);
        assertThat(s.snapshot(16 * MS).unmatchedReplies()).as("a duplicate").isEqualTo(1);
    }

    /**
     * A slow answer at a hop whose later hop answered fast (a router's slow path, or the lab's
     * user-space NAT relay on a busy machine): the NEAR rule gives the probe up after 2 ms, and its
     * answer at 3 ms, while the trace still runs, makes it answered, not a backward loss. An answer
     * after the probe timeout stays unmatched.
     */
    @Test
    void anAnswerAfterTheAdaptiveWaitGaveUpButWithinTheTimeoutRevisesTheTimeout() {
        TraceStrategy s = strategy(TraceRequest.builder(DEST).maxTtl(3).probesPerTtl(1)
                .probeTimeout(Duration.ofMillis(100)), 65535);
        List<ProbeSpec> sent = sendAll(s, 0);
        assertThat(sent).hasSize(3);
        s.onAnswer(router(find(sent, 2), MS / 10), MS / 10);
        assertThat(s.nextWakeup(MS / 10)).as("hop 1: max(2 ms, 10 x 0.1 ms)").isEqualTo(2 * MS - MS / 10);
        s.onWakeup(2 * MS);
        assertThat(s.snapshot(2 * MS).hop(1).orElseThrow().probes().get(0).status()).isEqualTo(ProbeStatus.TIMEOUT);
        assertThat(s.done()).as("hop 3 is still waited for").isFalse();

        s.onAnswer(router(find(sent, 1), 3 * MS), 3 * MS);
        ProbeResult revised = s.snapshot(3 * MS).hop(1).orElseThrow().probes().get(0);
        assertThat(revised.status()).isEqualTo(ProbeStatus.REPLY);
        assertThat(revised.rtt()).contains(Duration.ofMillis(3));
        assertThat(s.snapshot(3 * MS).unmatchedReplies()).isZero();

        s.onAnswer(destination(find(sent, 3), 4 * MS), 4 * MS);
        assertThat(s.done()).isTrue();
        TraceResult r = s.outcome(Stop.COMPLETED, 4 * MS);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().received()).isEqualTo(1));
        assertThat(r.hop(1).orElseThrow().statistics().backwardLost()).isZero();
    }

    @Test
    void anAnswerAfterTheProbeTimeoutDoesNotReviseAnEarlyGiveUp() {
        TraceStrategy s = strategy(TraceRequest.builder(DEST).maxTtl(3).probesPerTtl(1)
                .probeTimeout(Duration.ofMillis(10)), 65535);
        List<ProbeSpec> sent = sendAll(s, 0);
        s.onAnswer(router(find(sent, 2), MS / 10), MS / 10);
        s.onWakeup(2 * MS); // hop 1 given up early; hop 3 waits its 10 ms
        s.onAnswer(router(find(sent, 1), 11 * MS), 11 * MS); // after the 10 ms probe timeout, hop 3 not yet woken
        assertThat(s.done()).isFalse();
        assertThat(s.snapshot(11 * MS).hop(1).orElseThrow().probes().get(0).status()).isEqualTo(ProbeStatus.TIMEOUT);
        assertThat(s.snapshot(11 * MS).unmatchedReplies()).isEqualTo(1);
    }

    @Test
    void aSmallSequenceRangeWaitsForNumbersToComeBack() {
        TraceStrategy s = strategy(TraceRequest.builder(DEST).maxTtl(5).probesPerTtl(1), 1); // numbers 0 and 1
        List<ProbeSpec> first = sendAll(s, 0);
        assertThat(first).extracting(ProbeSpec::sequence).containsExactly(0, 1);
        s.onAnswer(router(first.get(0), MS), MS);
        List<ProbeSpec> more = sendAll(s, MS);
        assertThat(more).extracting(ProbeSpec::sequence).containsExactly(0);
        assertThat(more.get(0).ttl()).isEqualTo(3);
        s.onAnswer(router(first.get(0), MS / 2), 2 * MS);
        assertThat(s.snapshot(2 * MS).unmatchedReplies())
                .as("an old answer for a reused number, stamped before the new probe left").isEqualTo(1);
    }

    @Test
    void tcpAnswersHaveNoIcmpMessageAndReachTheDestination() {
        TraceStrategy s = strategy(TraceRequest.builder(DEST).protocol(ProbeProtocol.TCP).maxTtl(1).probesPerTtl(1), 9);
        ProbeSpec p = s.next(0);
        s.onSent(p, 0, 0);
        s.onAnswer(new ProbeResponse(p.sequence(), ResponseKind.TCP_SYN_ACK, -1, -1, DEST, MS), MS);
        TraceResult r = s.outcome(Stop.COMPLETED, MS);
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops().get(0).probes().get(0).icmp()).isEmpty();
    }

    @Test
    void cancellingAbandonsWhatIsOutstandingAndNothingMoreIsSent() {
        TraceStrategy s = strategy(TraceRequest.builder(DEST).maxTtl(4), 65535);
        sendAll(s, 0);
        TraceResult r = s.outcome(Stop.CANCELLED, MS);
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.probes()).extracting(ProbeResult::status)
                .containsOnly(ProbeStatus.ABANDONED));
        assertThat(s.next(2 * MS)).isNull();
        assertThat(s.nextWakeup(2 * MS)).isEqualTo(ProbingStrategy.NO_WAKEUP);
        assertThat(s.inFlight()).isZero();
    }
}
