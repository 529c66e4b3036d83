package io.pathprobe.core.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Traceroute through the whole runtime on fake time (no threads), against scenarios given as data;
 * every scenario is checked against the accounting {@link Invariants}.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TraceScenarioTest {

    private record Run(TraceResult result, FakeTracer fake, TraceStrategy strategy) {}

    private static Run run(Scenario scenario, TraceRequest.Builder request) {
        return run(scenario, request, new FakeScheduler(), 0, 128);
    }

    private static Run run(Scenario scenario, TraceRequest.Builder request, FakeScheduler clock, int pps, int burst) {
        FakeTracer fake = new FakeTracer(scenario, clock, pps, burst);
        TraceRequest req = request.build();
        AtomicReference<TraceStrategy> strategy = new AtomicReference<>();
        TraceResult r = fake.run(req, s -> {
            strategy.set(s);
            Invariants.step(s, req);
        });
        Invariants.result(r, req, strategy.get(), fake.transport);
        fake.close();
        return new Run(r, fake, strategy.get());
    }

    private static TraceRequest.Builder to(Scenario s) {
        return TraceRequest.builder(s.destination());
    }

    private static List<Optional<InetAddress>> path(TraceResult r) {
        return r.hops().stream().map(Hop::address).toList();
    }

    private static List<Optional<InetAddress>> expected(Scenario s, int... silent) {
        List<Optional<InetAddress>> out = new ArrayList<>();
        for (int ttl = 1; ttl < s.destinationTtl(); ttl++) {
            int t = ttl;
            out.add(IntStream.of(silent).anyMatch(x -> x == t) ? Optional.empty() : Optional.of(s.router(ttl)));
        }
        out.add(Optional.of(s.destination()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(ProbeProtocol.class)
    void everyHopSilentOnesEmptyStopsAtTheDestination(ProbeProtocol protocol) {
        Scenario s = Scenario.named("plain", 12).silent(3, 7);
        Run run = run(s, to(s).protocol(protocol));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(path(r)).isEqualTo(expected(s, 3, 7));
        assertThat(r.protocol()).isEqualTo(protocol);
        assertThat(r.transport()).isEqualTo("scenario");
        // a silent router whose rounds went on: its silence, not the path's loss (issue 47)
        assertThat(r.hop(3).orElseThrow().probes()).extracting(ProbeResult::status).containsOnly(ProbeStatus.RATE_LIMITED);
        assertThat(r.hop(3).orElseThrow().statistics().loss()).isZero();
        Hop four = r.hop(4).orElseThrow();
        assertThat(four.statistics().received()).isEqualTo(3);
        assertThat(four.rtts()).containsOnly(Duration.ofNanos(400_000));
        assertThat(four.probes().get(0).icmp()).contains(new IcmpMessage(11, 0, false));
        ProbeResult last = r.hop(12).orElseThrow().probes().get(0);
        assertThat(last.fromDestination()).isTrue();
        assertThat(last.icmp().isPresent()).isEqualTo(protocol != ProbeProtocol.TCP);
        assertThat(r.unmatchedReplies()).isZero();
        // the transport can do FIXED flows: the session is opened so (Paris)
        assertThat(run.fake().transport.sessionSpecs).extracting(spec -> spec.flowPolicy()).containsOnly(FlowPolicy.FIXED);
    }

    /** Defect 1: the horizon shrank twice with answers out of TTL order; in-flight went to -6. */
    @Test
    void horizonShrinkingTwiceOutOfOrderNeverCountsAProbeTwice() {
        Scenario s = Scenario.named("reordered", 3).lose(3, 0).rtt(4, Duration.ofNanos(50_000));
        for (int ttl = 5; ttl <= 10; ttl++) {
            s.rtt(ttl, Duration.ofMillis(5));
        }
        Run run = run(s, to(s).maxTtl(10).deadline(Duration.ofSeconds(30)));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).extracting(Hop::ttl).containsExactly(1, 2, 3);
        assertThat(run.strategy().horizon()).isEqualTo(3);
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(2));
    }

    /** Defect 1, with the trace also ending in NO_ROUTE: it must not wait for its deadline. */
    @Test
    void noRouteAfterReorderedAnswersEndsAtOnce() {
        Scenario s = Scenario.named("reordered, no route", 3).lose(3, 0).rtt(4, Duration.ofNanos(50_000))
                .sendFails(2, true);
        for (int ttl = 5; ttl <= 10; ttl++) {
            s.rtt(ttl, Duration.ofMillis(5));
        }
        Run run = run(s, to(s).maxTtl(10).deadline(Duration.ofSeconds(30)));
        assertThat(run.result().status()).isIn(TraceStatus.DESTINATION_REACHED, TraceStatus.NO_ROUTE);
        assertThat(run.fake().clock.elapsed()).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    /** Defect 7: the destination answered at TTL 6, then a router at TTL 4 answered unreachable. */
    @Test
    void aPathChangeMidTraceKeepsStatusAndHopsInAgreement() {
        Scenario s = Scenario.named("path change", 6).pathChange(Duration.ofNanos(300_000), 6, 4).unreachableAt(-1, 0);
        Run run = run(s, to(s));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.UNREACHABLE);
        assertThat(r.destinationReached()).isFalse();
        assertThat(r.hops()).extracting(Hop::ttl).containsExactly(1, 2, 3, 4);
        assertThat(r.hop(4).orElseThrow().probes()).extracting(ProbeResult::status).contains(ProbeStatus.UNREACHABLE);
    }

    /**
     * Issue 21 (it revises defect 3): a port unreachable answers a UDP probe whatever its source
     * address, as traceroute reads it: a NAT'd or anycast destination answers from another address
     * than the one traced. The path ends there, reached, and the result says who answered. (A
     * firewall that rejects with a port unreachable reads the same; one that rejects otherwise,
     * e.g. administratively prohibited, is UNREACHABLE: the next test.)
     */
    @Test
    void udpPortUnreachableFromAnotherAddressIsTheDestinationAnsweringFromThere() {
        Scenario s = Scenario.named("reject", 10).unreachableAt(5, 3);
        TraceResult r = run(s, to(s).protocol(ProbeProtocol.UDP)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.destinationReached()).isTrue();
        assertThat(r.hops()).hasSize(5);
        assertThat(r.hop(5).orElseThrow().probes()).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(ProbeStatus.REPLY);
            assertThat(p.fromDestination()).isTrue();
            assertThat(p.icmp()).contains(new IcmpMessage(3, 3, false));
        });
        assertThat(r.destinationAnsweredFrom()).isEqualTo(r.hop(5).orElseThrow().address());
        assertThat(r.destinationAnsweredFrom()).isNotEqualTo(r.destination());
    }

    /** Any other unreachable from another address than the destination's is a router ending the path. */
    @Test
    void udpAdminProhibitedFromARouterEndsThePathUnreached() {
        Scenario s = Scenario.named("reject", 10).unreachableAt(5, 13);
        TraceResult r = run(s, to(s).protocol(ProbeProtocol.UDP)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.UNREACHABLE);
        assertThat(r.destinationReached()).isFalse();
        assertThat(r.destinationAnsweredFrom()).isEmpty();
        assertThat(r.hops()).hasSize(5);
        assertThat(r.hop(5).orElseThrow().probes()).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(ProbeStatus.UNREACHABLE);
            assertThat(p.fromDestination()).isFalse();
        });
    }

    @Test
    void aRouterUnreachableEndsThePath() {
        Scenario s = Scenario.named("network unreachable", 10).unreachableAt(4, 0);
        TraceResult r = run(s, to(s)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.UNREACHABLE);
        assertThat(r.hops()).hasSize(4);
        assertThat(r.hop(4).orElseThrow().probes().get(0).icmp().orElseThrow().tracerouteFlag()).isEqualTo("!N");
    }

    /**
     * Defect 6 and issue 21: a send that can never succeed (no source address of the family, an IPv6
     * target on an IPv4-only host) ends the trace at its first failure: SEND_FAILED with the cause,
     * one probe tried, not 90.
     */
    @Test
    void aSendThatCanNeverSucceedEndsTheTraceAtOnce() {
        Scenario s = Scenario.named("ipv6 disabled", 5).allSendsFail(false);
        Run run = run(s, to(s).maxTtl(30).probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1)));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.SEND_FAILED);
        assertThat(r.sendFailure()).hasValueSatisfying(f -> assertThat(f).contains("EADDRNOTAVAIL"));
        assertThat(r.hops().get(0).probes().get(0).failure()).hasValueSatisfying(f -> assertThat(f).contains("EADDRNOTAVAIL"));
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().sent()).isZero());
        assertThat(run.fake().transport.sendCalls.get()).isEqualTo(1);
        assertThat(run.fake().clock.elapsed()).as("fake time: it ends at its first send, waiting for nothing").isZero();
    }

    @Test
    void noRouteFromThisHostIsAResultNotAHang() {
        Scenario s = Scenario.named("no route", 10).allSendsFail(true);
        Run run = run(s, to(s).probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1)));
        assertThat(run.result().status()).isEqualTo(TraceStatus.NO_ROUTE);
        assertThat(run.result().sendFailure()).hasValueSatisfying(f -> assertThat(f).contains("ENETUNREACH"));
        assertThat(run.fake().transport.sendCalls.get()).isEqualTo(1);
        assertThat(run.fake().clock.elapsed()).as("fake time: it ends at its first send, waiting for nothing").isZero();
    }

    /**
     * A transient failure (ENOBUFS, or an error an earlier ICMP message left pending) ends nothing:
     * every probe is still tried, and the trace says SEND_FAILED only because none could leave.
     */
    @Test
    void transientSendFailuresDoNotEndTheTrace() {
        Scenario s = Scenario.named("full buffer", 5).allSendsFailTransiently();
        Run run = run(s, to(s).maxTtl(5).probesPerTtl(3));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.SEND_FAILED);
        assertThat(run.fake().transport.sendCalls.get()).isEqualTo(15);
        assertThat(r.sendFailure()).hasValueSatisfying(f -> assertThat(f).contains("ENOBUFS"));
    }

    /** A transient failure at one TTL: the trace goes on past it and reaches the destination. */
    @Test
    void aTransientFailureAtOneTtlIsOnlyThatProbe() {
        Scenario s = Scenario.named("one failure", 5).sendFails(2, false);
        TraceResult r = run(s, to(s).maxTtl(10)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.sendFailure()).isEmpty();
        assertThat(r.hop(2).orElseThrow().probes()).extracting(ProbeResult::status).contains(ProbeStatus.SEND_FAILED);
    }

    @Test
    void aSmallSequenceRangeIsReusedNotRejected() {
        Scenario s = Scenario.named("sequence wrap", 20).silent(7).maxSequence(7);
        Run run = run(s, to(s).maxTtl(30));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(path(r)).isEqualTo(expected(s, 7));
        assertThat(run.fake().transport.sends).allSatisfy(x -> assertThat(x.sequence()).isBetween(0, 7));
        assertThat(run.fake().transport.sends.size()).isGreaterThan(8);
        assertThat(r.hops()).filteredOn(h -> h.ttl() != 7).allSatisfy(h ->
                assertThat(h.statistics().received()).isEqualTo(3));
    }

    @Test
    void answersAfterTheTimeoutAreUnmatched() {
        Scenario s = Scenario.named("late", 6).late(4, Duration.ofSeconds(2));
        TraceResult r = run(s, to(s).adaptiveWait(false).probeTimeout(Duration.ofSeconds(1))
                .deadline(Duration.ofSeconds(10))).result();
        // given up, never matched; the hop never answered while later ones did: no loss claimed (issue 47)
        assertThat(r.hop(4).orElseThrow().probes()).extracting(ProbeResult::status).containsOnly(ProbeStatus.RATE_LIMITED);
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
    }

    /** Defect 8: unmatched counts deliveries that matched no probe; the transport's drops are its own. */
    @Test
    void duplicatesAreUnmatchedAndTransportDropsAreInItsCounters() {
        Scenario s = Scenario.named("duplicates and noise", 6).duplicate(1, 2, 3, 4, 5).noise(2, 1);
        Run run = run(s, to(s).maxTtl(6));
        TraceResult r = run.result();
        assertThat(r.unmatchedReplies()).isEqualTo(5 * 3);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().received()).isEqualTo(3));
        ScenarioTransport t = run.fake().transport;
        var c = t.counters().orElseThrow();
        assertThat(c.read()).isEqualTo(c.delivered() + c.droppedTotal());
        assertThat(c.droppedTotal()).isGreaterThanOrEqualTo(3L * t.sends.size());
        assertThat((long) run.strategy().matched() + r.unmatchedReplies()).isEqualTo(c.delivered());
    }

    /**
     * A router that answered two attempts answers the third 6 ms late (busy CPUs), while later hops
     * answer in under a millisecond: traceroute's NEAR rule gave it up after 4 ms (10 × the next
     * hop's RTT) and the trace, every probe decided, ended with a backward loss on a clean path (a
     * CI failure, FlowLabTest). A hop that answered is waited for by the HERE rule: 10 ms.
     */
    @Test
    void aSlowAnswerAtARouterThatAnsweredIsNoLoss() {
        Scenario s = Scenario.named("slow third answer", 6).growingQueue(3, Duration.ofMillis(3));
        TraceResult r = run(s, to(s)).result();
        Hop three = r.hop(3).orElseThrow();
        assertThat(three.probes()).extracting(ProbeResult::status).containsOnly(ProbeStatus.REPLY);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().lost()).as("%s", h).isZero());
    }

    @Test
    void lossIsCountedPerHop() {
        Scenario s = Scenario.named("loss", 4).lose(2, 1);
        TraceResult r = run(s, to(s)).result();
        Hop two = r.hop(2).orElseThrow();
        // issue 47: the miss of a fresh tracer's first wave may be a drained bucket: not lost, and probed
        // again after a refill, which answers
        assertThat(two.statistics().sent()).isEqualTo(4);
        assertThat(two.statistics().received()).isEqualTo(3);
        assertThat(two.statistics().rateLimited()).isEqualTo(1);
        assertThat(two.statistics().lost()).isZero();
        // issue 68: without the retry nothing shows whether the router refused it or lost its answer: lost, undecided,
        // the loss a bound from 0
        Hop without = run(s, to(s).refillRetry(false)).result().hop(2).orElseThrow();
        assertThat(without.statistics().sent()).isEqualTo(3);
        assertThat(without.statistics().received()).isEqualTo(2);
        assertThat(without.statistics().rateLimited()).isZero();
        assertThat(without.statistics().lost()).isEqualTo(1);
        assertThat(without.statistics().undecided()).isEqualTo(1);
        assertThat(without.statistics().decidedLost()).isZero();
        assertThat(without.statistics().lossLow()).isZero();
        assertThat(without.statistics().loss()).isEqualTo(1 / 3.0);
    }

    @Test
    void replyTtlAndMplsLabelsAreCopied() {
        Scenario s = Scenario.named("mpls", 5).mpls(3, 24001);
        TraceResult r = run(s, to(s)).result();
        ProbeResult p = r.hop(3).orElseThrow().probes().get(0);
        assertThat(p.mplsLabels()).containsExactly(new MplsLabel(24001, 0, true, 1));
        assertThat(p.replyTtl()).hasValue(61);
        assertThat(r.hop(2).orElseThrow().probes().get(0).mplsLabels()).isEmpty();
    }

    @Test
    void ipv6AnswersAreIcmpv6() {
        Scenario s = Scenario.named("ipv6", 4).ipv6();
        TraceResult r = run(s, to(s)).result();
        assertThat(r.destinationReached()).isTrue();
        assertThat(r.hop(1).orElseThrow().probes().get(0).icmp().orElseThrow().isTimeExceeded()).isTrue();
        assertThat(r.hop(4).orElseThrow().probes().get(0).icmp().orElseThrow().isEchoReply()).isTrue();
    }

    /** Defect 9: the final result holds no PENDING probe; unanswered ones are ABANDONED, not lost. */
    @Test
    void theDeadlineAbandonsOutstandingProbes() {
        Scenario s = Scenario.named("deadline", 5).silent(2);
        TraceResult r = run(s, to(s).adaptiveWait(false).probeTimeout(Duration.ofMinutes(1))
                .deadline(Duration.ofMillis(500))).result();
        assertThat(r.status()).isEqualTo(TraceStatus.DEADLINE_EXCEEDED);
        Hop two = r.hop(2).orElseThrow();
        assertThat(two.probes()).extracting(ProbeResult::status).containsOnly(ProbeStatus.ABANDONED);
        assertThat(two.statistics().abandoned()).isEqualTo(3);
        assertThat(two.statistics().lost()).isZero();
        assertThat(r.hop(5).orElseThrow().isDestination()).isTrue();
    }

    /**
     * The HERE rule measures a missing attempt against the slowest answer at its hop: each attempt
     * at the destination queues behind more traffic (0.1 ms, then 8.1 ms, then 16.1 ms); measured
     * against the first answer (3 × 0.1 ms, floor 10 ms) the last was given up while its answer was
     * on the way; against the slowest (3 × 8.1 ms) it is not.
     */
    @Test
    void aGrowingQueueAtTheDestinationIsNotTakenForLoss() {
        Scenario s = Scenario.named("growing queue", 4).rtt(4, Duration.ofNanos(100_000))
                .growingQueue(4, Duration.ofMillis(8));
        TraceResult r = run(s, to(s)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.destinationHop().orElseThrow().probes()).extracting(ProbeResult::status)
                .containsExactly(ProbeStatus.REPLY, ProbeStatus.REPLY, ProbeStatus.REPLY);
    }

    /** {@return a listener that adds every hop completed to {@code reported}} */
    private static io.pathprobe.trace.TraceListener hopsInto(List<Hop> reported) {
        return new io.pathprobe.trace.TraceListener() {
            @Override
            public void hopCompleted(Hop hop) {
                reported.add(hop);
            }
        };
    }

    /**
     * Issue 21, no false loss on a cold JVM: the destination's later attempts are answered 50 ms and
     * 100 ms late (a host busy loading classes, CPUs deferring forwarding), well past the HERE wait
     * (10 ms) that gives them up, well within the probe timeout. The trace stays open for them and
     * revises the give-ups: no star, no loss, and it ends with the last answer, not at the timeout.
     */
    @Test
    void lateAnswersAtTheDestinationReviseTheGiveUpsBeforeTheTraceEnds() {
        Scenario s = Scenario.named("slow host", 4).rtt(4, Duration.ofNanos(100_000))
                .growingQueue(4, Duration.ofMillis(50));
        List<Hop> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        Run run = run(s, to(s).probeTimeout(Duration.ofSeconds(1)).listener(hopsInto(reported)));
        TraceResult r = run.result();
        // the live event too: the destination's hop is reported once its give-ups were revised, not with a star
        assertThat(reported).filteredOn(Hop::isDestination).singleElement()
                .satisfies(h -> assertThat(h.statistics().lost()).isZero());
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        Hop dest = r.destinationHop().orElseThrow();
        assertThat(dest.probes()).extracting(ProbeResult::status)
                .containsExactly(ProbeStatus.REPLY, ProbeStatus.REPLY, ProbeStatus.REPLY);
        assertThat(dest.statistics().lost()).isZero();
        // fake time: it waited for the latest answer, and ended with it rather than at the probe timeout
        long latestAnswer = dest.probes().stream().mapToLong(p -> p.rtt().orElseThrow().toNanos()).max().orElseThrow();
        assertThat(run.fake().clock.elapsed()).isGreaterThanOrEqualTo(latestAnswer)
                .isLessThan(Duration.ofSeconds(1).toNanos()); // the request's probe timeout
    }

    /**
     * A real loss at the destination is claimed once its probe timeout passed (the cost of not
     * claiming a late answer as lost): the trace waits for it; silent routers do not make it wait.
     */
    @Test
    void aLossAtTheDestinationIsClaimedAfterItsProbeTimeout() {
        Scenario s = Scenario.named("lossy destination", 6).silent(3).lose(6, 1);
        List<Hop> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        Run run = run(s, to(s).probeTimeout(Duration.ofMillis(400)).listener(hopsInto(reported)));
        TraceResult r = run.result();
        assertThat(reported).filteredOn(Hop::isDestination).singleElement()
                .satisfies(h -> assertThat(h.statistics().lost()).isEqualTo(1));
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.destinationHop().orElseThrow().statistics().lost()).isEqualTo(1);
        // fake time: the loss is claimed when its probe's timeout (400 ms) has passed, not before (a
        // give-up) and not after a second timeout (every probe left in the first round)
        long timeout = Duration.ofMillis(400).toNanos();
        assertThat(run.fake().clock.elapsed()).isGreaterThanOrEqualTo(timeout).isLessThan(2 * timeout);
    }

    @Test
    void adaptiveWaitLetsSilentHopsGoEarly() {
        Scenario s = Scenario.named("adaptive", 20).silent(4, 9, 15);
        Run run = run(s, to(s).probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofSeconds(10)));
        assertThat(run.result().status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(path(run.result())).isEqualTo(expected(s, 4, 9, 15));
        assertThat(run.fake().clock.elapsed()).isLessThan(Duration.ofMillis(100).toNanos());
    }

    @Test
    void maxInFlightBinds() {
        Scenario s = Scenario.named("in flight", 15).silent(5);
        Run run = run(s, to(s).maxInFlight(4));
        assertThat(run.strategy().maxInFlightSeen()).isEqualTo(4);
        assertThat(run.result().destinationReached()).isTrue();
    }

    @Test
    void sequentialNeverHasTwoTtlsInFlight() {
        Scenario s = Scenario.named("sequential", 6).silent(3);
        Run run = run(s, to(s).sequential(true).probeTimeout(Duration.ofMillis(50)));
        assertThat(run.fake().transport.sends).extracting(x -> x.ttl())
                .containsExactly(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6);
        assertThat(path(run.result())).isEqualTo(expected(s, 3));
    }

    @Test
    void nothingIsSentBeyondTheDestinationOnceKnown() {
        Scenario s = Scenario.named("stop at destination", 5);
        Run run = run(s, to(s).maxTtl(30).maxInFlight(8));
        assertThat(run.result().hops()).hasSize(5);
        // beyond the destination at most the first attempt of each TTL went out
        assertThat(run.fake().transport.sends).filteredOn(x -> x.ttl() > 5).extracting(x -> x.ttl()).doesNotHaveDuplicates();
    }

    @Test
    void firstTtlSkipsTheNearHops() {
        Scenario s = Scenario.named("first ttl", 8);
        Run run = run(s, to(s).firstTtl(3));
        assertThat(run.result().hops()).extracting(Hop::ttl).containsExactly(3, 4, 5, 6, 7, 8);
        assertThat(run.fake().transport.sends).allSatisfy(x -> assertThat(x.ttl()).isGreaterThanOrEqualTo(3));
    }

    @Test
    void maxHopsWithoutTheDestination() {
        Scenario s = Scenario.named("far", 200);
        TraceResult r = run(s, to(s).maxTtl(7)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.MAX_HOPS_EXCEEDED);
        assertThat(r.hops()).hasSize(7);
    }

    @Test
    void theRateBudgetSpacesProbes() {
        Scenario s = Scenario.named("rate", 4);
        Run run = run(s, to(s), new FakeScheduler(), 200, 2);
        assertThat(run.result().destinationReached()).isTrue();
        List<ScenarioTransport.Sent> sends = run.fake().transport.sends;
        for (int i = 3; i < sends.size(); i++) {
            assertThat(sends.get(i).at() - sends.get(i - 1).at()).isGreaterThanOrEqualTo(4_900_000L);
        }
    }

    /** Defect 2: durations at the cap and a clock about to wrap: no overflow, no hang. */
    @Test
    void hugeDurationsAndAWrappingClockAreSafe() {
        Scenario s = Scenario.named("overflow", 6).silent(3);
        FakeScheduler clock = new FakeScheduler(Long.MAX_VALUE - 1_000_000);
        Run run = run(s, to(s).probeTimeout(TraceRequest.MAX_DURATION).deadline(TraceRequest.MAX_DURATION),
                clock, 0, 128);
        assertThat(run.result().status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(path(run.result())).isEqualTo(expected(s, 3));
    }

    // ---- flows, loss split, NAT (issue 6) ---------------------------------------------------------

    @Test
    void parisIsTheDefaultClassicAndFlowsAreAskedOfTheTransport() {
        Scenario s = Scenario.named("flows", 4);
        Run paris = run(s, to(s));
        assertThat(paris.fake().transport.sessionSpecs).extracting(SessionSpec::flowPolicy)
                .containsExactly(FlowPolicy.FIXED);
        assertThat(paris.result().flowMode()).isEqualTo(FlowMode.PARIS);
        assertThat(paris.result().hops().get(0).probes()).allSatisfy(p -> assertThat(p.flow()).hasValue(0));

        Run classic = run(s, to(s).flowMode(FlowMode.CLASSIC));
        assertThat(classic.fake().transport.sessionSpecs).extracting(SessionSpec::flowPolicy)
                .containsExactly(FlowPolicy.PER_PROBE);
        assertThat(classic.result().flowMode()).isEqualTo(FlowMode.CLASSIC);
        assertThat(classic.result().hops().get(0).probes()).allSatisfy(p -> assertThat(p.flow()).isEmpty());
    }

    /** Issue 21: n flows trace every flow at every TTL, whatever probesPerHop says. */
    @Test
    void everyFlowIsProbedAtEveryTtl() {
        Scenario s = Scenario.named("npaths", 4);
        Run sixteen = run(s, to(s).flows(16)); // probesPerHop left at 3
        assertThat(sixteen.result().hops()).hasSize(4).allSatisfy(h -> {
            assertThat(h.probes()).hasSize(16);
            assertThat(h.probes()).extracting(p -> p.flow().getAsInt()).containsExactlyInAnyOrder(
                    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            assertThat(h.statistics().received()).as("hop %d", h.ttl()).isEqualTo(16);
        });
        Run two = run(s, to(s).flows(2).probesPerTtl(3)); // rounded up: two probes per flow
        assertThat(two.result().hops()).allSatisfy(h -> assertThat(h.probes())
                .extracting(p -> p.flow().getAsInt()).containsExactlyInAnyOrder(0, 1, 0, 1));
    }

    /**
     * Each flow's path ends on its own: flows 1 and 3 reach the destination two TTLs farther (a
     * longer path, a farther anycast site) and are followed there, the others end at TTL 4 and send
     * nothing beyond; every flow is probed at every TTL of its own path.
     */
    @Test
    void eachFlowIsFollowedToItsOwnEnd() {
        Scenario s = Scenario.named("unequal paths", 4).flowDestination(1, 6).flowDestination(3, 6);
        Run run = run(s, to(s).flows(4));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).extracting(Hop::ttl).containsExactly(1, 2, 3, 4, 5, 6);
        for (Hop h : r.hops()) {
            List<Integer> flows = h.probes().stream().map(p -> p.flow().getAsInt()).sorted().toList();
            assertThat(flows).as("hop %d:%n%s", h.ttl(), r).isEqualTo(h.ttl() <= 4 ? List.of(0, 1, 2, 3) : List.of(1, 3));
            assertThat(h.statistics().received()).as("hop %d", h.ttl()).isEqualTo(flows.size());
        }
        assertThat(r.hop(4).orElseThrow().probes()).allSatisfy(p -> assertThat(p.fromDestination())
                .as("flow %s", p.flow()).isEqualTo(p.flow().getAsInt() % 2 == 0));
        assertThat(r.hop(6).orElseThrow().probes()).allSatisfy(p -> assertThat(p.fromDestination()).isTrue());
        assertThat(run.fake().transport.sends).as("nothing of flows 0 and 2 beyond TTL 4 but the first round's")
                .filteredOn(x -> x.ttl() > 4 && x.flow() % 2 == 0).allSatisfy(x -> assertThat(x.flow()).isZero());
        assertThat(run.fake().transport.sends).as("flows 1 and 3 stop at 6")
                .filteredOn(x -> x.flow() % 2 == 1).allSatisfy(x -> assertThat(x.ttl()).isLessThanOrEqualTo(6));
    }

    /**
     * A flow followed beyond the nearest end goes hop by hop while routers answer it; at a silent
     * hop it stops (its {@code *} is reported, nothing is flooded beyond).
     */
    @Test
    void aFlowFollowedBeyondTheNearestEndStopsAtASilentHop() {
        Scenario s = Scenario.named("silent beyond", 4).flowDestination(1, 8).silent(6);
        Run run = run(s, to(s).flows(2));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).extracting(Hop::ttl).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(r.hop(6).orElseThrow().probes()).as("flow 1's two probes (3 per hop rounded up to 2 per flow)")
                .hasSize(2).allSatisfy(p -> {
            assertThat(p.flow()).hasValue(1);
            assertThat(p.status()).isEqualTo(ProbeStatus.TIMEOUT);
        });
        assertThat(run.fake().transport.sends).filteredOn(x -> x.flow() == 1)
                .allSatisfy(x -> assertThat(x.ttl()).isLessThanOrEqualTo(6));
    }

    /** More flows than the transport offers cannot be honoured: the trace fails at once, naming the limit. */
    @Test
    void moreFlowsThanTheTransportOffersAreRefused() {
        Scenario s = Scenario.named("few flows", 4).maxFlow(7);
        FakeTracer fake = new FakeTracer(s);
        TraceHandle h = fake.start(to(s).flows(16).build());
        assertThat(fake.clock.advanceUntil(h::ended, Duration.ofSeconds(5))).isTrue();
        assertThatThrownBy(() -> h.result().join()).hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offers 8 flows").hasMessageContaining("16 were asked for");
        assertThat(fake.transport.sends).as("nothing sent").isEmpty();
        assertThat(fake.transport.openSessions).as("the session was closed").isEmpty();
        fake.close();
    }

    @Test
    void severalFlowsCycleOverTheAttemptsOfEveryTtl() {
        Scenario s = Scenario.named("dublin", 4);
        Run run = run(s, to(s).flows(4).probesPerTtl(8));
        assertThat(run.fake().transport.sessionSpecs).extracting(SessionSpec::flowPolicy)
                .containsExactly(FlowPolicy.EXPLICIT);
        assertThat(run.result().flows()).isEqualTo(4);
        for (Hop h : run.result().hops()) {
            assertThat(h.probes()).allSatisfy(p -> assertThat(p.flow()).hasValue(p.attempt() % 4));
        }
        assertThat(run.fake().transport.sends).extracting(ScenarioTransport.Sent::flow).containsOnly(0, 1, 2, 3);
    }

    @Test
    void aLostAnswerIsBackwardLossAndALostProbeIsForwardLoss() {
        // hop 2 does not answer its second probe, though that round went on: in a fresh tracer's first wave
        // its bucket may have been drained by another prober (issue 47), and nothing shows it limits (issue 68: it
        // did not answer on its refill either), so that is a backward loss left undecided; it is probed again a
        // refill later, and does not answer that probe either, sent when it surely held a token: a backward loss.
        // The third round dies on the way out at TTL 3, so nothing at 3 or beyond answers it, the destination's
        // echo reply (no ICMP limit) included: forward loss even in the first wave
        Scenario s = Scenario.named("loss split", 5).lose(2, 1, 3).loseOutbound(3, 2);
        TraceResult r = run(s, to(s)).result();
        HopStatistics two = r.hop(2).orElseThrow().statistics();
        assertThat(two.sent()).isEqualTo(4);
        assertThat(two.received()).isEqualTo(2);
        assertThat(two.rateLimited()).isZero();
        assertThat(two.lost()).isEqualTo(2);
        assertThat(two.undecided()).isEqualTo(1);
        assertThat(two.backwardLost()).isEqualTo(2);
        assertThat(two.forwardLost()).isZero();
        for (int ttl = 3; ttl <= 5; ttl++) {
            HopStatistics h = r.hop(ttl).orElseThrow().statistics();
            assertThat(h.sent()).as("ttl %d: no retry for a round lost on the way", ttl).isEqualTo(3);
            assertThat(h.lost()).as("ttl %d", ttl).isEqualTo(1);
            assertThat(h.forwardLost()).as("ttl %d", ttl).isEqualTo(1);
        }
        for (Hop h : r.hops()) {
            HopStatistics st = h.statistics();
            assertThat(st.sent()).as("%s", h).isEqualTo(st.received() + st.lost() + st.rateLimited());
        }
    }

    /**
     * Issue 68: a lossy link in front of a UDP destination that does not limit its Port Unreachables. Every
     * destination miss is a loss the answers decide (it answered other probes sent right after each miss: no
     * bucket refills that fast), never a refusal: the headline is the loss, not 0 %.
     */
    @Test
    void aLossyUnlimitedUdpDestinationsMissesAreLossNotRefusals() {
        Scenario s = Scenario.named("lossy udp", 4).lose(4, 0, 2);
        TraceResult r = run(s, to(s).protocol(ProbeProtocol.UDP).probesPerTtl(3)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        HopStatistics dest = r.destinationHop().orElseThrow().statistics();
        assertThat(dest.rateLimited()).as("%s", r).isZero();
        assertThat(dest.lost()).as("%s", r).isEqualTo(2);
        assertThat(dest.loss()).isPositive();
        assertThat(r.protocolNote().orElse("")).doesNotContain("TCP probe");
    }

    /**
     * Issue 47, the short UDP path: the first wave sends every TTL beyond the destination to the destination
     * itself, which answers its burst of Port Unreachables and refuses the rest (Linux: 6, then one a
     * second), the attempts at its own TTL among them. Those refusals are rate-limited, not loss.
     */
    @Test
    void aUdpDestinationsRefusedPortUnreachablesAreNoLoss() {
        // issue 68: the trace cannot tell those refusals from loss (the refused first wave beyond the destination is
        // abandoned once it answers): no loss is claimed, the loss is stated as a bound from 0, and the note says
        // what TCP confirmation would tell
        Scenario s = Scenario.named("short udp", 4).destinationIcmpLimit(2, Duration.ofSeconds(1));
        TraceResult r = run(s, to(s).protocol(ProbeProtocol.UDP)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().decidedLost()).as("%s", h).isZero());
        HopStatistics dest = r.hop(4).orElseThrow().statistics();
        assertThat(dest.received()).isPositive();
        assertThat(dest.lossLow()).isZero();
        assertThat(dest.sent()).isEqualTo(dest.received() + dest.lost() + dest.rateLimited() + dest.abandoned());
        if (dest.undecided() > 0) {
            assertThat(r.protocolNote()).hasValueSatisfying(n -> assertThat(n).contains("TTL 4")
                    .contains("ICMP rate limit or loss").contains("tcpConfirmation"));
        }
        assertThat(r.tcpConfirmations()).isZero();
    }

    /**
     * Issue 47, the short UDP path back to back: another prober spent the destination's Port Unreachables
     * just before the trace (Linux refills one a second), so its first wave hears nothing from the
     * destination. A TCP probe to the same port number at the TTL after the last router confirms it (a RST:
     * no ICMP limit applies), over a TCP session beside the trace's: the trace ends there, the refused UDP
     * probes rate-limited, nothing lost, and no probe waits for the destination's refill.
     */
    @Test
    void aUdpTraceWhoseDestinationWasDrainedIsConfirmedOverTcp() {
        Scenario s = Scenario.named("short udp, drained", 4).destinationIcmpLimit(6, Duration.ofSeconds(1))
                .destinationDrained();
        Run run = run(s, to(s).protocol(ProbeProtocol.UDP).tcpConfirmation(true));
        TraceResult r = run.result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().lost()).as("%s", h).isZero());
        Hop dest = r.hop(4).orElseThrow();
        assertThat(dest.probes()).filteredOn(ProbeResult::fromDestination).singleElement()
                .satisfies(p -> assertThat(p.icmp()).as("a TCP answer").isEmpty());
        HopStatistics st = dest.statistics();
        assertThat(st.rateLimited()).as("%s", dest).isEqualTo(3);
        assertThat(st.sent()).as("the trace's three UDP probes and the TCP probe the destination answered")
                .isEqualTo(4).isEqualTo(st.received() + st.lost() + st.rateLimited());
        assertThat(r.tcpConfirmations()).as("asked for: the result counts it, the note says why").isEqualTo(1);
        assertThat(r.protocolNote()).hasValueSatisfying(n -> assertThat(n).contains("TTL 4").contains("TCP probe"));
        assertThat(run.fake().transport.sessionSpecs).extracting(SessionSpec::protocol)
                .containsExactly(ProbeProtocol.UDP, ProbeProtocol.TCP);
        // not asked for (the default): no TCP session, no TCP probe; the trace waits for the destination's refill,
        // claims no loss, and states the bound and what TCP confirmation would tell
        Run udpOnly = run(s, to(s).protocol(ProbeProtocol.UDP));
        TraceResult plain = udpOnly.result();
        assertThat(udpOnly.fake().transport.sessionSpecs).extracting(SessionSpec::protocol)
                .containsExactly(ProbeProtocol.UDP);
        assertThat(plain.tcpConfirmations()).isZero();
        assertThat(plain.hops()).allSatisfy(h -> assertThat(h.statistics().decidedLost()).as("%s", h).isZero());
        // off with the refill retries: the trace waits for the destination's refill, and claims no loss either
        TraceResult without = run(s, to(s).protocol(ProbeProtocol.UDP).tcpConfirmation(true).refillRetry(false))
                .result();
        assertThat(without.hops()).allSatisfy(h -> assertThat(h.statistics().decidedLost()).as("%s", h).isZero());
        assertThat(without.tcpConfirmations()).isZero();
    }

    /** The TCP session of the confirm is opened by the first confirm: a UDP trace whose destination answers has none. */
    @Test
    void aUdpTraceWhoseDestinationAnswersOpensNoTcpSession() {
        Scenario s = Scenario.named("short udp", 4);
        Run run = run(s, to(s).protocol(ProbeProtocol.UDP));
        assertThat(run.result().status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(run.fake().transport.sessionSpecs).extracting(SessionSpec::protocol)
                .containsExactly(ProbeProtocol.UDP);
        assertThat(run.fake().transport.openSessions).as("every session closed").isEmpty();
    }

    /**
     * The same where the destination drops TCP too: the TCP probe goes unanswered, which says nothing of
     * the UDP probes' path: it is no probe of any hop, the confirming ends, and the trace waits for the
     * destination's refill as it would without it, claiming no loss.
     */
    @Test
    void anUnansweredTcpConfirmIsNoProbeOfAnyHop() {
        Scenario s = Scenario.named("short udp, drained, no tcp", 4).destinationIcmpLimit(6, Duration.ofSeconds(1))
                .destinationDrained().destinationDropsTcp();
        Run run = run(s, to(s).protocol(ProbeProtocol.UDP).tcpConfirmation(true));
        TraceResult r = run.result();
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().decidedLost()).as("%s", h).isZero());
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.probes()).as("%s", h).noneMatch(p -> p.attempt() == 5));
        assertThat(run.fake().transport.sends).filteredOn(x -> x.ttl() == 4).hasSizeGreaterThan(3);
        assertThat(r.tcpConfirmations()).isEqualTo(1);
        assertThat(r.protocolNote()).hasValueSatisfying(n -> assertThat(n).contains("did not answer over TCP"));
    }

    /**
     * Issue 68: a target that never answered is lost, whatever the transport. A UDP trace that never heard its
     * destination (issue 47 called what it sent past the last router "unknown", counted as rate-limited, and a dead
     * host read 0 %) loses it, as an ICMP trace does.
     */
    @Test
    void aUdpTraceThatNeverHeardItsDestinationLosesWhatItSentPastTheLastRouter() {
        Scenario s = Scenario.named("udp, destination silent", 4).destinationDown(Duration.ZERO, Duration.ofHours(1));
        TraceResult r = run(s, to(s).protocol(ProbeProtocol.UDP).maxTtl(6)).result();
        assertThat(r.destinationReached()).isFalse();
        for (int ttl = 4; ttl <= 6; ttl++) {
            HopStatistics h = r.hop(ttl).orElseThrow().statistics();
            assertThat(h.rateLimited()).as("ttl %d", ttl).isZero();
            assertThat(h.lost()).as("ttl %d", ttl).isEqualTo(h.sent()).isPositive();
            assertThat(h.decidedLost()).as("ttl %d", ttl).isEqualTo(h.lost());
        }
        assertThat(r.hops()).filteredOn(h -> h.ttl() < 4)
                .allSatisfy(h -> assertThat(h.statistics().lost()).as("%s", h).isZero());
    }

    /**
     * Issue 47: a trace begun right after another prober spent every router's ICMP budget (Linux: 6,
     * then one a second) claims no loss, and shows every router's address and RTTs after a refill.
     */
    @Test
    void aFreshTracerAfterAnotherProbersBurstClaimsNoLossAndShowsEveryRouter() {
        Scenario s = Scenario.named("drained", 6);
        for (int ttl = 1; ttl <= 5; ttl++) {
            s.lose(ttl, 0, 1, 2); // the first wave refused at every router: buckets drained
        }
        TraceResult r = run(s, to(s)).result();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        for (int ttl = 1; ttl <= 5; ttl++) {
            HopStatistics h = r.hop(ttl).orElseThrow().statistics();
            assertThat(h.lost()).as("ttl %d", ttl).isZero();
            assertThat(h.rateLimited()).as("ttl %d", ttl).isEqualTo(3);
            assertThat(r.hop(ttl).orElseThrow().responders()).as("ttl %d shows its router", ttl).isNotEmpty();
            assertThat(h.sent()).isEqualTo(h.received() + h.lost() + h.rateLimited());
        }
        // without the retries: still no loss claimed (issue 68: lost, undecided, a bound from 0), the routers unknown
        TraceResult without = run(s, to(s).refillRetry(false)).result();
        assertThat(without.hops()).allSatisfy(h -> assertThat(h.statistics().decidedLost()).as("%s", h).isZero());
    }

    /**
     * The lab's back-to-back UDP traces (CliBackToBackLabTest, ci8): the traces before this one left the first routers
     * with no token and the others with one, the destination with one. So routers 1 to 3 refuse the whole first wave,
     * routers 4 to 7 and the destination answer its first round only, and rounds 2 and 3 of a UDP trace go unanswered
     * from TTL 1 to the end. Nothing there is evidence of loss: no hop claims any, and every router shows its address after a refill.
     */
    @Test
    void aPathDrainedToOneTokenAFirstRoundClaimsNoLossAndShowsEveryRouter() {
        ProbeProtocol protocol = ProbeProtocol.UDP; // an ICMP trace's destination answers every round (no limit)
        Scenario s = Scenario.named("drained to one token", 8).destinationIcmpLimit(1, Duration.ofSeconds(1));
        for (int ttl = 1; ttl <= 3; ttl++) {
            s.lose(ttl, 0, 1, 2);
        }
        for (int ttl = 4; ttl <= 7; ttl++) {
            s.lose(ttl, 1, 2);
        }
        TraceResult r = run(s, to(s).protocol(protocol)).result();
        assertThat(r.status()).as("%s", r).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().decidedLost()).as("%s", r).isZero());
        for (int ttl = 1; ttl <= 7; ttl++) {
            assertThat(r.hop(ttl).orElseThrow().responders()).as("ttl %d shows its router: %s", ttl, r).isNotEmpty();
        }
        // without the retries: still no loss claimed, the first routers unknown
        TraceResult without = run(s, to(s).protocol(protocol).refillRetry(false)).result();
        assertThat(without.hops()).allSatisfy(h -> assertThat(h.statistics().decidedLost()).as("%s", without).isZero());
    }

    @Test
    void aNatIsWhereTheQuotedChecksumChanges() {
        Scenario s = Scenario.named("nat", 5).natAt(2, 0x55);
        TraceResult r = run(s, to(s).protocol(ProbeProtocol.UDP)).result();
        assertThat(r.hops()).extracting(Hop::nat).containsExactly(false, false, true, false, false);
        assertThat(r.hop(1).orElseThrow().natId()).hasValue(0);
        assertThat(r.hop(3).orElseThrow().natId()).hasValue(0x55);
        assertThat(r.hop(5).orElseThrow().natId()).as("the destination's port unreachable quotes too").hasValue(0x55);
        assertThat(r.natHops()).extracting(Hop::ttl).containsExactly(3);

        Scenario first = Scenario.named("nat before hop 1", 3).natAt(0, 7);
        assertThat(run(first, to(first)).result().hops()).extracting(Hop::nat).containsExactly(true, false, false);

        Scenario clean = Scenario.named("no nat", 4);
        assertThat(run(clean, to(clean)).result().natHops()).isEmpty();
    }

    @Test
    void oneProbeInFlightGoesRoundByRoundSoSilentHopsLearnFromLaterOnes() {
        Scenario s = Scenario.named("serial with silent hops", 8).silent(3, 5).maxInFlight(1);
        Run run = run(s, to(s).probeTimeout(Duration.ofSeconds(1)));
        List<Integer> ttls = run.fake().transport.sends.stream().map(ScenarioTransport.Sent::ttl).toList();
        assertThat(ttls.subList(0, 30)).as("the first round from the farthest TTL down")
                .isEqualTo(IntStream.iterate(30, t -> t - 1).limit(30).boxed().toList());
        assertThat(ttls.subList(30, 38)).as("then round by round").containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(path(run.result())).isEqualTo(expected(s, 3, 5));
        // every silent probe knows the hops beyond it: the NEAR rule (10 ms floor one at a time), so the whole
        // trace (on fake time) takes less than one probe's timeout; none of the six silent probes waited it
        assertThat(run.result().duration()).isLessThan(Duration.ofSeconds(1));
        assertThat(run.result().hop(3).orElseThrow().statistics().rateLimited()).as("silent, not lost").isEqualTo(3);
    }

    @Test
    void aSessionsOwnInFlightLimitIsKept() {
        Scenario s = Scenario.named("one at a time", 6).maxInFlight(1);
        Run run = run(s, to(s));
        assertThat(run.strategy().maxInFlightSeen()).isEqualTo(1);
        assertThat(run.result().destinationReached()).isTrue();
        assertThat(path(run.result())).isEqualTo(expected(s));
    }

    /**
     * One probe at a time, each send ending the previous probe's chance (linux-tcp-connect, Paris): a
     * router whose first answer takes 5 ms is not given up 2 ms after the hop beyond it answered (the
     * NEAR rule's floor): no late answer could revise that. CI saw it as a backward loss on a clean chain.
     */
    @Test
    void oneAtATimeASlowFirstAnswerBeforeAFastHopIsNoLoss() {
        Scenario s = Scenario.named("one at a time, a slow router", 5).maxInFlight(1).supersedes()
                .late(2, Duration.ofMillis(5));
        for (int ttl = 3; ttl <= 5; ttl++) {
            s.rtt(ttl, Duration.ofMillis(0).plusNanos(100_000));
        }
        TraceResult r = run(s, to(s).probeTimeout(Duration.ofSeconds(1))).result();
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().lost()).as("%s", h).isZero());
        assertThat(r.hop(2).orElseThrow().statistics().received()).isEqualTo(3);
    }

    @Test
    void oneAtATimeASilentHopStillGoesWithoutTheTimeout() {
        Scenario s = Scenario.named("one at a time, silent", 5).maxInFlight(1).supersedes().silent(2);
        TraceResult r = run(s, to(s).probeTimeout(Duration.ofSeconds(1))).result();
        assertThat(r.hop(2).orElseThrow().statistics().rateLimited()).as("silent, not lost").isEqualTo(3);
        assertThat(r.duration()).as("fake time: no probe waited its 1 s timeout").isLessThan(Duration.ofSeconds(1));
    }
}
