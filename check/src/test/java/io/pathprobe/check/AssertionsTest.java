package io.pathprobe.check;

import static io.pathprobe.testing.Samples.ECHO_REPLY;
import static io.pathprobe.testing.Samples.TIME_EXCEEDED;
import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static io.pathprobe.testing.Samples.reply;
import static io.pathprobe.testing.Samples.rtt;
import static io.pathprobe.testing.Samples.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.MeasurementType;
import io.pathprobe.check.Assertion.MaxHops;
import io.pathprobe.check.Assertion.MaxJitter;
import io.pathprobe.check.Assertion.MaxLoss;
import io.pathprobe.check.Assertion.MaxRtt;
import io.pathprobe.check.Assertion.MustNotTraverse;
import io.pathprobe.check.Assertion.MustReach;
import io.pathprobe.check.Assertion.MustTraverse;
import io.pathprobe.check.Assertion.NoHeaderChange;
import io.pathprobe.check.Assertion.PathId;
import io.pathprobe.check.Assertion.RttMeasure;
import io.pathprobe.check.Verdict.State;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Issue 72: each assertion's verdict on hand-built results, its reason naming the evidence. */
class AssertionsTest {
    private static Verdict one(TraceResult t, Assertion a) {
        return Assertions.check(t, List.of(a)).get(0);
    }

    @Test
    void aTraceThatMeetsItsBoundsHoldsThemAndNamesTheEvidence() {
        TraceResult t = Samples.trace(); // the destination 198.51.100.10 at hop 4, 1 of 1 decided probes answered
        List<Verdict> v = Assertions.check(t, List.of(new MaxLoss(5, OptionalInt.empty()), new MustReach(),
                new MaxHops(4), new MaxRtt(ms(80), RttMeasure.AVG), new MustTraverse(Waypoint.parse("AS64500")),
                new MustNotTraverse(Waypoint.parse("198.18.9.0/24"))));
        assertThat(v).extracting(Verdict::state).containsOnly(State.HELD);
        assertThat(Assertions.allHeld(v)).isTrue();
        assertThat(v).extracting(Verdict::toString).containsExactly(
                "HELD --max-loss 5%: 0% loss at the destination 198.51.100.10 (hop 4): 0 of 1 probes lost, at most 5%",
                "HELD --must-reach: the destination 198.51.100.10 answered at hop 4",
                "HELD --max-hops 4: the destination 198.51.100.10 answered at hop 4, at most 4",
                "HELD --max-rtt 80ms: avg RTT 4ms at the destination 198.51.100.10, at most 80ms",
                "HELD --must-traverse AS64500: hop 2 198.18.1.1 is AS64500",
                "HELD --must-not-traverse 198.18.9.0/24: no responder of 4 is 198.18.9.0/24");
    }

    @Test
    void aTraceThatBreaksItsBoundsFailsEachNamingHopValueAndBound() {
        TraceResult t = Samples.trace();
        List<Verdict> v = Assertions.check(t, List.of(new MaxHops(3), new MaxRtt(ms(3), RttMeasure.MAX),
                new MustNotTraverse(Waypoint.parse("198.18.2.0/24")),
                new MustNotTraverse(Waypoint.parse("*.ISP.lab.*"))));
        assertThat(v).extracting(Verdict::toString).containsExactly(
                "FAILED --max-hops 3: the destination 198.51.100.10 answered at hop 4, beyond 3",
                "FAILED --max-rtt max:3ms: max RTT 4ms at the destination 198.51.100.10, above 3ms",
                "FAILED --must-not-traverse 198.18.2.0/24: hop 3 198.18.2.1 is 198.18.2.0/24",
                "FAILED --must-not-traverse *.ISP.lab.*: hop 2 198.18.1.1 is *.ISP.lab.*");
        assertThat(Assertions.allHeld(v)).isFalse();
    }

    @Test
    void thirtyPercentLossAtTheDestinationFailsAFivePercentBound() {
        TraceResult t = chain(new HopStatistics(10, 7, 3, 3, 0, 0, Optional.of(rtt(1, 1, 1)), 0, 0));
        assertThat(one(t, new MaxLoss(5, OptionalInt.empty())).toString()).isEqualTo("FAILED --max-loss 5%: 30% loss "
                + "at the destination 198.19.0.1 (hop 2): 3 of 10 probes lost, above 5%");
        assertThat(one(t, new MaxLoss(30, OptionalInt.empty())).state()).isEqualTo(State.HELD);
    }

    @Test
    void rateLimitedProbesAndMissesALimitCouldExplainAreNeverLoss() {
        // the destination: 4 answered, 3 shown refused by its rate limit, 3 missed where its budget may have been spent
        TraceResult limited = chain(new HopStatistics(10, 4, 3, 3, 0, 0, Optional.of(rtt(1, 1, 1)), 3, 3));
        assertThat(one(limited, new MaxLoss(0, OptionalInt.empty())).toString()).isEqualTo("HELD --max-loss 0%: 0% "
                + "loss at the destination 198.19.0.1 (hop 2): 0 of 4 probes lost, at most 0%");
        // a router that answered 2 of 10 while later hops answered the same rounds: its silence is no loss on the path
        assertThat(one(limited, new MaxLoss(0, OptionalInt.of(1))).toString()).isEqualTo("HELD --max-loss 0%@hop1: 0% "
                + "loss at hop 1 (loss on the way out): 0 of 2 probes lost, at most 0%");
        // a destination whose every miss may be a refusal: nothing decided, neither held nor failed
        TraceResult allUndecided = chain(new HopStatistics(4, 0, 4, 4, 0, 0, Optional.empty(), 0, 4));
        assertThat(one(allUndecided, new MaxLoss(0, OptionalInt.of(2))).state()).isEqualTo(State.NOT_APPLICABLE);
        Verdict udp = Assertions.check(Samples.udpPing(), List.of(new MaxLoss(0, OptionalInt.empty()))).get(0);
        assertThat(udp.toString()).isEqualTo(
                "HELD --max-loss 0%: 0% loss at the destination 198.18.0.10: 0 of 2 probes lost, at most 0%");
    }

    @Test
    void aDeadTargetIsNeverNoLossAndFailsEveryBoundOnIt() {
        Hop r1 = new Hop(1, List.of(reply(1, 0, "198.18.0.2", 0.5, TIME_EXCEEDED, false, 64, List.of(), 0)),
                List.of(new Responder(ip("198.18.0.2"), 1)), new HopStatistics(1, 1, 0, 0, Optional.of(rtt(1, 1, 1))));
        Hop silent = new Hop(2, List.of(status(2, 0, ProbeStatus.TIMEOUT, Optional.empty())), List.of(),
                new HopStatistics(1, 0, 1, 1, 0, 0, Optional.empty(), 0, 0));
        TraceResult dead = trace(TraceStatus.MAX_HOPS_EXCEEDED, List.of(r1, silent));
        List<Verdict> v = Assertions.check(dead, List.of(new MaxLoss(100, OptionalInt.empty()), new MustReach(),
                new MaxHops(30), new MaxRtt(ms(1000), RttMeasure.AVG)));
        assertThat(v).extracting(Verdict::state).containsOnly(State.FAILED);
        assertThat(v.get(0).reason()).isEqualTo("the destination 198.19.0.1 never answered (trace)");
    }

    @Test
    void whatAMeasurementDoesNotMeasureIsNotApplicableNeverHeld() {
        TraceResult t = Samples.trace();
        List<Verdict> v = Assertions.check(t, List.of(new MaxJitter(ms(5)), new MaxRtt(ms(5), RttMeasure.P50),
                new NoHeaderChange(HeaderField.DSCP), new MustTraverse(Waypoint.parse("AS64510"))));
        assertThat(v).extracting(Verdict::state).containsOnly(State.NOT_APPLICABLE);
        assertThat(v.get(3).reason()).isEqualTo("2 of 4 responders' AS unknown (lookups off, pending or failed)");
        assertThat(Assertions.allHeld(v)).isFalse();
        List<Verdict> ping = Assertions.check(Samples.ping(), List.of(new MaxHops(5), new PathId(1),
                new MustTraverse(Waypoint.parse("AS64500")), new MaxLoss(5, OptionalInt.of(2))));
        assertThat(ping).extracting(Verdict::state).containsOnly(State.NOT_APPLICABLE);
    }

    @Test
    void aPingsLossRttAndJitterAreItsFirstTargets() {
        List<Verdict> v = Assertions.check(Samples.ping(), List.of(new MaxLoss(5, OptionalInt.empty()),
                new MaxRtt(ms(2), RttMeasure.P50), new MaxJitter(ms(5)), new MaxJitter(ms(0.05)), new MustReach()));
        assertThat(v).extracting(Verdict::toString).containsExactly(
                "FAILED --max-loss 5%: 40% loss at the destination 198.18.0.10: 2 of 5 probes lost, above 5%",
                "HELD --max-rtt p50:2ms: p50 RTT 2ms at the destination 198.18.0.10, at most 2ms",
                "HELD --max-jitter 5ms: jitter 0.07ms at the destination 198.18.0.10, at most 5ms",
                "FAILED --max-jitter 0.05ms: jitter 0.07ms at the destination 198.18.0.10, above 0.05ms",
                "HELD --must-reach: the destination 198.18.0.10 answered");
    }

    @Test
    void aMonitorIsCheckedOnItsWholeRun() {
        List<Verdict> v = Assertions.check(Samples.monitor(), List.of(new MaxLoss(5, OptionalInt.empty()),
                new MaxLoss(0, OptionalInt.of(1)), new MaxHops(3), new MustTraverse(Waypoint.parse("AS64500")),
                new MaxJitter(ms(1))));
        assertThat(v).extracting(Verdict::toString).containsExactly(
                "FAILED --max-loss 5%: 10% loss at the destination 198.19.0.1 (hop 3): 1 of 10 probes lost, above 5%",
                "HELD --max-loss 0%@hop1: 0% loss at hop 1 (loss on the way out): 0 of 10 probes lost, at most 0%",
                "HELD --max-hops 3: the destination 198.19.0.1 answered at hop 3, at most 3",
                "HELD --must-traverse AS64500: hop 1 198.18.1.2 is AS64500",
                "HELD --max-jitter 1ms: jitter 0.25ms at the destination 198.19.0.1, at most 1ms");
    }

    @Test
    void aPathIdIsTheAgentsHashOfTheResponders() {
        // docs/observability.md's example
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (String a : List.of("198.18.0.2", "198.18.4.2", "198.18.5.2", "198.19.0.1")) {
            path.add(Optional.of(ip(a)));
        }
        long id = Assertion.PathId.idOf(path);
        assertThat(id).isEqualTo(134912287641522L);
        path.add(Optional.empty()); // silent TTLs after the last answer are not part of the path
        assertThat(Assertion.PathId.idOf(path)).isEqualTo(id);
        long sample = Assertion.PathId.idOf(Samples.trace().hops().stream().map(Hop::address).toList());
        assertThat(one(Samples.trace(), new PathId(sample)).state()).isEqualTo(State.HELD);
        assertThat(one(Samples.trace(), new PathId(id)).toString())
                .isEqualTo("FAILED --path-id 134912287641522: the path's id is " + sample + ", not 134912287641522");
    }

    @Test
    void anOptionAndItsValueParseAsTheCommandLineTakesThem() {
        assertThat(Assertion.parse("max-loss", "5%@hop3")).hasValue(new MaxLoss(5, OptionalInt.of(3)));
        assertThat(Assertion.parse("max-rtt", "p50:80ms")).hasValue(new Assertion.MaxRtt(Duration.ofMillis(80),
                Assertion.RttMeasure.P50));
        assertThat(Assertion.parse("max-jitter", "1.5s")).hasValue(new Assertion.MaxJitter(Duration.ofMillis(1500)));
        assertThat(Assertion.parse("must-reach", "true")).hasValue(new Assertion.MustReach());
        assertThat(Assertion.parse("no-ecn-change", "false")).isEmpty();
        assertThat(Assertion.parse("must-not-traverse", "AS64500")).map(Object::toString)
                .hasValue("--must-not-traverse AS64500");
        for (String option : Assertion.OPTIONS) {
            String bad = option.endsWith("traverse") ? "198.18.0.0/33" : "?"; // any name glob is one
            assertThatThrownBy(() -> Assertion.parse(option, bad)).as(option).hasMessageContaining("--" + option);
        }
        assertThatThrownBy(() -> Assertion.parse("max-los", "5%")).hasMessageContaining("'max-los' is not an "
                + "assertion");
    }

    @Test
    void anAssertionPrintsAsTheOptionThatMakesIt() {
        assertThat(MaxLoss.parse("5%@hop3")).hasToString("--max-loss 5%@hop3").isEqualTo(
                new MaxLoss(5, OptionalInt.of(3)));
        assertThat(MaxLoss.parse("2.5")).hasToString("--max-loss 2.5%");
        assertThat(new MaxRtt(Duration.ofMillis(1500), RttMeasure.AVG)).hasToString("--max-rtt 1.5s");
        assertThat(new NoHeaderChange(HeaderField.ECN)).hasToString("--no-ecn-change");
        assertThat(Waypoint.parse("as64500")).isEqualTo(new Waypoint.As(64500)).hasToString("AS64500");
        assertThat(Waypoint.parse("2001:db8::/32")).hasToString("2001:db8::/32");
        assertThat(Waypoint.parse("198.18.0.1")).hasToString("198.18.0.1");
        assertThat(Waypoint.parse("core?.isp.example")).isInstanceOf(Waypoint.Name.class);
        for (String bad : List.of("5%@hop0", "101%", "x")) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> MaxLoss.parse(bad));
        }
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(
                () -> Waypoint.parse("198.18.0.0/33"));
    }

    /** A chain of two: a router at TTL 1 (answered 2 of 10, its misses all backward), the destination at TTL 2. */
    private static TraceResult chain(HopStatistics destination) {
        Hop r1 = new Hop(1, List.of(reply(1, 0, "198.18.0.2", 0.5, TIME_EXCEEDED, false, 64, List.of(), 0)),
                List.of(new Responder(ip("198.18.0.2"), 2)),
                new HopStatistics(10, 2, 8, 0, 8, 0, Optional.of(rtt(0.5, 0.5, 0.5)), 0, 0));
        List<ProbeResult> probes = destination.received() == 0 ? List.of(status(2, 0, ProbeStatus.TIMEOUT,
                Optional.empty())) : List.of(reply(2, 0, "198.19.0.1", 1, ECHO_REPLY, true, 63, List.of(), 0));
        List<Responder> answered =
                destination.received() == 0 ? List.of() : List.of(new Responder(ip("198.19.0.1"), 4));
        Hop d = new Hop(2, probes, answered, destination);
        return trace(destination.received() == 0 ? TraceStatus.MAX_HOPS_EXCEEDED : TraceStatus.DESTINATION_REACHED,
                List.of(r1, d));
    }

    /**
     * Issue 72: which measurement can show which assertion is one rule, {@link Assertion#reads()} (docs/check.md's
     * "reads"), by which {@code pathprobe check} and the agent's jobs refuse: every hop assertion on a ping, the
     * routers' quotes on a monitor or a ping, jitter on a trace; the destination's bounds on all three.
     */
    @Test
    void eachAssertionReadsTheMeasurementsTheDocsNameAndIsRefusedOnTheOthers() {
        MeasurementType<?, ?> trace = MeasurementType.TRACE;
        MeasurementType<?, ?> monitor = MeasurementType.MONITOR;
        MeasurementType<?, ?> ping = MeasurementType.PING;
        for (Assertion a : List.of(MaxLoss.parse("5%"), MaxRtt.parse("p50:20ms"), new MustReach())) {
            assertThat(a.reads()).as("%s", a).containsExactlyInAnyOrder(trace, monitor, ping);
        }
        for (Assertion a : List.of(MaxLoss.parse("5%@hop2"), new MaxHops(3), new PathId(7),
                new MustTraverse(Waypoint.parse("AS64500")), new MustNotTraverse(Waypoint.parse("198.18.9.0/24")))) {
            assertThat(a.reads()).as("%s", a).containsExactlyInAnyOrder(trace, monitor);
            assertThat(Assertions.refusal(a, ping)).as("%s", a)
                    .contains(a + " reads a trace or a monitor, not a ping");
            assertThat(Assertions.refusal(a, trace)).isEmpty();
            assertThat(Assertions.refusal(a, monitor)).isEmpty();
        }
        assertThat(Assertions.refusal(new NoHeaderChange(HeaderField.DSCP), monitor))
                .contains("--no-dscp-change reads a trace, not a monitor");
        assertThat(Assertions.refusal(new NoHeaderChange(HeaderField.ECN), ping))
                .contains("--no-ecn-change reads a trace, not a ping");
        assertThat(Assertions.refusal(new MaxJitter(Duration.ofMillis(5)), trace))
                .contains("--max-jitter 5ms reads a monitor or a ping, not a trace");
        assertThat(Assertions.refusal(new MustReach(), MeasurementType.MTU))
                .contains("--must-reach reads a trace or a monitor or a ping, not a mtu");
    }

    private static TraceResult trace(TraceStatus status, List<Hop> hops) {
        return new TraceResult("198.19.0.1", Optional.of(ip("198.19.0.1")), ProbeProtocol.ICMP, "linux-icmp-raw",
                status, hops, Samples.START, ms(20), 0, Optional.empty(), FlowMode.PARIS, 1);
    }
}
