package io.pathprobe.diff;

import static io.pathprobe.testing.Samples.ECHO_REPLY;
import static io.pathprobe.testing.Samples.START;
import static io.pathprobe.testing.Samples.TIME_EXCEEDED;
import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.Responder;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link PathDiff}'s rules on hand-built traces, traceAll sets and monitor runs: a moved router is named and nothing
 * else, a load-balanced hop compares as a set, silence decides only when it was seen, RTT and loss shifts only beyond
 * their noise, AS path changes, targets on one side only.
 */
class PathDiffTest {
    private static final String DEST = "198.19.0.1";

    /**
     * A hop from a spec: an address (3 answers), {@code "a|b"} (a load-balanced hop: 2 answers from a, 1 from b),
     * {@code "*"} (3 probes timed out, the path lost them), {@code "-"} (3 probes not answered while the path went
     * on: backward losses), {@code "~"} (3 probes rate-limited); {@code "addr@AS"} with its AS; RTTs {@code rtt} ms.
     */
    static Hop hop(int ttl, String spec, double... rtt) {
        if (spec.equals("*") || spec.equals("-") || spec.equals("~")) {
            ProbeStatus s = spec.equals("~") ? ProbeStatus.RATE_LIMITED : ProbeStatus.TIMEOUT;
            List<ProbeResult> probes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                probes.add(Samples.status(ttl, i, s, Optional.empty()));
            }
            HopStatistics stats = switch (spec) {
                case "*" -> new HopStatistics(3, 0, 3, 3, 0, 0, Optional.empty(), 0);
                case "-" -> new HopStatistics(3, 0, 3, 0, 3, 0, Optional.empty(), 0);
                default -> new HopStatistics(3, 0, 0, 0, 0, 0, Optional.empty(), 3);
            };
            return new Hop(ttl, probes, List.of(), stats);
        }
        String[] who = spec.split("\\|");
        double[] rtts = rtt.length == 0 ? new double[] {0.05, 0.06, 0.05} : rtt;
        List<ProbeResult> probes = new ArrayList<>();
        List<Responder> responders = new ArrayList<>();
        for (int i = 0; i < rtts.length; i++) {
            String a = address(who[Math.min(i < 2 ? 0 : who.length - 1, who.length - 1)]);
            boolean dest = a.equals(DEST);
            probes.add(Samples.reply(ttl, i, a, rtts[i], dest ? ECHO_REPLY : TIME_EXCEEDED, dest, 64 - ttl, List.of(),
                    0));
        }
        for (String w : who) {
            String a = address(w);
            int replies = (int) probes.stream().filter(p -> p.responder().orElseThrow().equals(ip(a))).count();
            Lookup<AsnInfo> as = w.contains("@") ? Lookup.found(AsnInfo.of(Long.parseLong(w.split("@")[1])))
                    : Lookup.off();
            responders.add(new Responder(ip(a), replies, Lookup.off(), as));
        }
        double min = Arrays.stream(rtts).min().orElseThrow();
        double max = Arrays.stream(rtts).max().orElseThrow();
        double avg = Arrays.stream(rtts).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(rtts).map(x -> (x - avg) * (x - avg)).average().orElseThrow());
        RttStatistics r = new RttStatistics(ms(rtts[rtts.length - 1]), ms(min), ms(avg), ms(max), ms(sd));
        return new Hop(ttl, probes, responders, new HopStatistics(rtts.length, rtts.length, 0, 0, 0, 0, Optional.of(r),
                0));
    }

    private static String address(String spec) {
        return spec.split("@")[0];
    }

    /** A trace to DEST whose hops are the specs, TTL 1 first; it reached DEST when the last hop is DEST. */
    static TraceResult trace(String target, String... specs) {
        List<Hop> hops = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            hops.add(hop(i + 1, specs[i]));
        }
        return trace(target, hops);
    }

    static TraceResult trace(String target, List<Hop> hops) {
        boolean reached = hops.stream().anyMatch(Hop::isDestination);
        // a name stands for an address of its own (x: 198.19.1.120), as the targets of a set do
        InetAddress destination = target.equals(DEST) ? ip(DEST) : ip("198.19.1." + (int) target.charAt(0));
        return new TraceResult(target, Optional.of(destination), ProbeProtocol.ICMP, "test", reached
                ? TraceStatus.DESTINATION_REACHED : TraceStatus.MAX_HOPS_EXCEEDED, hops, START, ms(20), 0,
                Optional.empty());
    }

    @Test
    void aMovedRouterIsNamedAndNothingElse() {
        TraceResult a = trace(DEST, "198.18.0.2", "198.18.1.1", "198.18.0.10", DEST);
        TraceResult b = trace(DEST, "198.18.0.2", "198.18.9.1", "198.18.0.10", DEST);
        PathDiff d = PathDiff.of(a, b);
        assertThat(d.changed()).isTrue();
        assertThat(d.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(HopChange.Kind.RESPONDER_CHANGED);
            assertThat(c.ttl()).hasValue(2);
        });
        assertThat(d).hasToString("hop 2: 198.18.1.1 -> 198.18.9.1");
        assertThat(PathDiff.of(a, a)).hasToString("no change").satisfies(x -> assertThat(x.none()).isTrue());
    }

    @Test
    void aMissedReplyOrARateLimitedHopIsNoChange() {
        List<Hop> hops = new ArrayList<>(trace(DEST, "198.18.0.2", "198.18.1.1", "198.18.0.10", DEST).hops());
        Hop two = hops.get(1);
        // one of three probes not answered by the router (the path went on): not loss, the same responder
        hops.set(1, new Hop(2, two.probes(), List.of(new Responder(ip("198.18.1.1"), 2)),
                new HopStatistics(3, 2, 1, 0, 1, 0, two.statistics().rtt(), 0)));
        hops.set(2, hop(3, "~")); // every probe rate-limited: nothing decided at hop 3
        PathDiff d = PathDiff.of(trace(DEST, "198.18.0.2", "198.18.1.1", "198.18.0.10", DEST), trace(DEST, hops));
        assertThat(d.changes()).isEmpty();
        assertThat(d).hasToString("no change");
    }

    @Test
    void aLoadBalancedHopComparesItsSetOfAddresses() {
        TraceResult a = trace(DEST, "198.18.0.2", "198.18.1.1|198.18.2.1", DEST);
        TraceResult same = trace(DEST, "198.18.0.2", "198.18.2.1|198.18.1.1", DEST);
        TraceResult other = trace(DEST, "198.18.0.2", "198.18.1.1|198.18.3.1", DEST);
        assertThat(PathDiff.of(a, same).none()).isTrue();
        assertThat(PathDiff.of(a, other).changes()).singleElement()
                .hasToString("hop 2: {198.18.1.1, 198.18.2.1} -> {198.18.1.1, 198.18.3.1}");
    }

    @Test
    void silenceDecidesOnlyWhereItWasSeenAndTheOtherSideAnswered() {
        TraceResult answered = trace(DEST, "198.18.0.2", "198.18.1.1", DEST);
        TraceResult lost = trace(DEST, "198.18.0.2", "*", DEST);
        TraceResult backward = trace(DEST, "198.18.0.2", "-", DEST);
        TraceResult limited = trace(DEST, "198.18.0.2", "~", DEST);
        assertThat(PathDiff.of(answered, lost)).hasToString("hop 2: 198.18.1.1 -> no answer (vanished)");
        assertThat(PathDiff.of(answered, backward).changes()).singleElement()
                .satisfies(c -> assertThat(c.kind()).isEqualTo(HopChange.Kind.RESPONDER_VANISHED));
        assertThat(PathDiff.of(lost, answered)).hasToString("hop 2: no answer -> 198.18.1.1 (new)");
        assertThat(PathDiff.of(answered, limited).none()).as("rate-limited: nothing decided").isTrue();
        assertThat(PathDiff.of(limited, answered).none()).isTrue();
        assertThat(PathDiff.of(lost, backward).none()).as("silent on both sides").isTrue();
        // two probes refused by the router's rate limit, the third timed out: the limit's silence, not a vanished hop
        List<Hop> hops = new ArrayList<>(answered.hops());
        hops.set(1, new Hop(2, List.of(Samples.status(2, 0, ProbeStatus.RATE_LIMITED, Optional.empty()),
                Samples.status(2, 1, ProbeStatus.RATE_LIMITED, Optional.empty()),
                Samples.status(2, 2, ProbeStatus.TIMEOUT, Optional.empty())), List.of(),
                new HopStatistics(3, 0, 1, 1, 0, 0, Optional.empty(), 2)));
        assertThat(PathDiff.of(answered, trace(DEST, hops)).none()).as("a rate limit showed").isTrue();
    }

    @Test
    void beyondAChangedHopRttAndLossAreTheChanges() {
        TraceResult a = trace(DEST, List.of(hop(1, "198.18.0.2"), hop(2, "198.18.1.1"), hop(3, "198.18.0.10"),
                hop(4, DEST)));
        TraceResult b = trace(DEST, List.of(hop(1, "198.18.0.2"), hop(2, "198.18.9.1", 20.2, 20.3, 20.2),
                hop(3, "198.18.0.10", 20.2, 20.3, 20.2), hop(4, DEST, 20.3, 20.2, 20.3)));
        assertThat(PathDiff.of(a, b)).hasToString("hop 2: 198.18.1.1 -> 198.18.9.1");
        TraceResult slower = trace(DEST, List.of(hop(1, "198.18.0.2"), hop(2, "198.18.1.1"),
                hop(3, "198.18.0.10", 20.2, 20.3, 20.2), hop(4, DEST, 20.3, 20.2, 20.3)));
        assertThat(PathDiff.of(a, slower).changes()).extracting(c -> c.ttl().getAsInt()).containsExactly(3, 4);
    }

    @Test
    void rttShiftsOnlyBeyondTheNoiseOfBothSides() {
        assertThat(rttDiff(new double[] {0.05, 0.06, 0.05}, new double[] {0.4, 0.9, 0.3}).none())
                .as("sub-millisecond jitter").isTrue();
        assertThat(rttDiff(new double[] {100, 101, 100}, new double[] {105, 106, 105}).none())
                .as("within 10 %").isTrue();
        assertThat(rttDiff(new double[] {10, 30, 2}, new double[] {25, 26, 24}).none()).as("a noisy side").isTrue();
        PathDiff d = rttDiff(new double[] {10, 10.2, 10.1}, new double[] {30, 30.1, 29.9});
        assertThat(d.changes()).singleElement().isInstanceOfSatisfying(HopChange.RttShift.class, s -> {
            assertThat(s.before()).isEqualTo(ms(10));
            assertThat(s.after()).isEqualTo(ms(29.9));
            assertThat(s.bound()).isEqualTo(PathDiff.RTT_FLOOR);
        });
        assertThat(d).hasToString("hop 2: rtt 10.000 ms -> 29.900 ms (+19.900 ms, beyond 5.000 ms)");
        // a busy host held up every probe of a trace for a few milliseconds: the smallest RTT is still the path's
        assertThat(rttDiff(new double[] {0.09, 0.06, 0.03}, new double[] {2.8, 6.4, 6.5}).none()).isTrue();
    }

    private static PathDiff rttDiff(double[] before, double[] after) {
        return PathDiff.of(trace(DEST, List.of(hop(1, "198.18.0.2"), hop(2, "198.18.1.1", before), hop(3, DEST))),
                trace(DEST, List.of(hop(1, "198.18.0.2"), hop(2, "198.18.1.1", after), hop(3, DEST))));
    }

    @Test
    void lossShiftsOnlyWhenSignificantAndRateLimitedProbesAreNotLoss() {
        // a trace's lost probe (1 of 3) against none: p = 1, never a shift; even 2 of 3 lost is not significant
        assertThat(DiffRules.fisher(1, 2, 0, 3)).isEqualTo(1.0, within(1e-9));
        assertThat(DiffRules.fisher(2, 1, 0, 3)).isEqualTo(0.4, within(1e-9));
        assertThat(DiffRules.fisher(1, 9, 11, 3)).isEqualTo(0.002759, within(1e-6)); // the textbook example
        HopSnapshot clean = monitored(200, 200, 0, 0);
        assertThat(DiffRules.loss(clean, monitored(200, 199, 1, 0))).isEmpty();
        assertThat(DiffRules.loss(clean, monitored(200, 100, 0, 100))).as("rate-limited").isEmpty();
        assertThat(DiffRules.loss(monitored(200, 198, 2, 0), monitored(200, 196, 4, 0))).isEmpty();
        HopChange shift = DiffRules.loss(clean, monitored(200, 170, 30, 0)).orElseThrow();
        assertThat(shift).isInstanceOfSatisfying(HopChange.LossShift.class, l -> {
            assertThat(l.lossAfter()).isEqualTo(0.15);
            assertThat(l.pValue()).isLessThan(1e-6);
        });
        assertThat(shift.toString()).startsWith("hop 2: loss 0.0% (0/200) -> 15.0% (30/200), p = ");
    }

    private static HopSnapshot monitored(long sent, long received, long lost, long rateLimited) {
        return new HopSnapshot(2, List.of(ip("198.18.1.1")), List.of(), List.of(), java.util.OptionalLong.empty(),
                received, lost,
                0, rateLimited, Optional.of(ms(1)), ms(0.1));
    }

    @Test
    void anAsPathChangeNamesTheFirstHopInAnotherAs() {
        TraceResult a = trace(DEST, "198.18.0.2@64500", "198.18.1.1@64500", "198.18.0.10@64501", DEST);
        TraceResult b = trace(DEST, "198.18.0.2@64500", "198.18.9.1@64502", "198.18.0.10@64501", DEST);
        assertThat(PathDiff.of(a, b).toString()).isEqualTo(String.join("\n",
                "hop 2: 198.18.1.1 -> 198.18.9.1 (AS64500 -> AS64502)",
                "as path: AS64500 AS64501 -> AS64500 AS64502 AS64501 (from hop 2)"));
        TraceResult plain = trace(DEST, "198.18.0.2", "198.18.1.1", "198.18.0.10", DEST);
        assertThat(PathDiff.of(a, plain).none()).as("one side without AS numbers: not compared").isTrue();
    }

    @Test
    void theDestinationReachedOrNotAndThePathLength() {
        TraceResult four = trace(DEST, "198.18.0.2", "198.18.1.1", "198.18.0.10", DEST);
        TraceResult five = trace(DEST, "198.18.0.2", "198.18.1.1", "198.18.0.10", "198.18.0.14", DEST);
        TraceResult cut = trace(DEST, "198.18.0.2", "198.18.1.1", "198.18.0.10", "*", "*");
        assertThat(PathDiff.of(four, five)).hasToString("path length: 4 -> 5 hops");
        assertThat(PathDiff.of(four, cut)).hasToString("destination: reached at hop 4 -> not reached");
        assertThat(PathDiff.of(cut, four)).hasToString("destination: not reached -> reached at hop 4");
    }

    @Test
    void setsAreMatchedByTargetAndATargetOnOneSideIsAChange() {
        TraceAllRequest q = TraceAllRequest.builder(List.of("x", "y", "z")).build();
        TraceAllResult before = new TraceAllResult(List.of(trace("x", "198.18.0.2", DEST),
                trace("y", "198.18.0.2", "198.18.1.1", DEST), trace("z", "198.18.0.2", DEST)),
                TraceAllStatus.COMPLETED, START, ms(50), 30, 0, q);
        TraceAllResult after = new TraceAllResult(List.of(trace("y", "198.18.0.2", "198.18.7.1", DEST),
                trace("x", "198.18.0.2", DEST), trace("w", "198.18.0.2", DEST)), TraceAllStatus.COMPLETED, START,
                ms(50), 30, 0, q);
        PathDiff d = PathDiff.of(before, after);
        assertThat(d.targets()).extracting(TargetDiff::target).containsExactly("x", "y");
        assertThat(d.onlyBefore()).extracting(PathDiff.Side::target).containsExactly("z");
        assertThat(d.onlyAfter()).extracting(PathDiff.Side::target).containsExactly("w");
        assertThat(d).hasToString("y:\n  hop 2: 198.18.1.1 -> 198.18.7.1\nonly before: z\nonly after: w");
        assertThat(PathDiff.of(before, before)).hasToString("no change (3 targets)");
    }

    @Test
    void monitorRunsCompareTheirWholeRunStatistics() {
        MonitorResult a = monitor("198.18.1.1", 0, 1.0);
        assertThat(PathDiff.of(a, monitor("198.18.1.1", 1, 1.2)).none()).as("one lost round, jitter").isTrue();
        assertThat(PathDiff.of(a, monitor("198.18.9.1", 0, 1.0))).hasToString("hop 2: 198.18.1.1 -> 198.18.9.1");
        // the rounds lost at hop 2 are lost to the destination too: both hops say so
        assertThat(PathDiff.of(a, monitor("198.18.1.1", 40, 1.0)).changes()).hasSize(2)
                .allSatisfy(c -> assertThat(c.kind()).isEqualTo(HopChange.Kind.LOSS_SHIFT))
                .extracting(c -> c.ttl().getAsInt()).containsExactly(2, 3);
        assertThat(PathDiff.of(a, monitor("198.18.1.1", 0, 25)).changes()).hasSize(2)
                .allSatisfy(c -> assertThat(c.kind()).isEqualTo(HopChange.Kind.RTT_SHIFT));
        PathSnapshot s = PathSnapshot.of(a);
        assertThat(s.destinationTtl()).hasValue(3);
        assertThat(s.hop(2).orElseThrow().rttMin()).hasValue(ms(0.9));
    }

    /** 100 rounds over 198.18.0.2, {@code two} (losing {@code lost} rounds, p50 {@code p50Ms}), DEST. */
    private static MonitorResult monitor(String two, int lost, double p50Ms) {
        MonitorStatistics clean = stats(100, 0, 0.5);
        MonitorStatistics second = stats(100, lost, p50Ms);
        List<MonitorHop> hops = List.of(hopOf(1, "198.18.0.2", clean), hopOf(2, two, second),
                hopOf(3, DEST, stats(100, lost, p50Ms + 0.1)));
        MonitorPath path = new MonitorPath(1, List.of(Set.of(ip("198.18.0.2")), Set.of(ip(two)), Set.of(ip(DEST))),
                true);
        return new MonitorResult(DEST, Optional.of(ip(DEST)), ProbeProtocol.ICMP, "test", MonitorStatus.COMPLETED, 100,
                START, Duration.ofSeconds(100), hops, hops.get(2).total(), 3, 3.0, 3, path, 0, Optional.empty(),
                MonitorRequest.builder(DEST).rounds(100).build(), io.pathprobe.probe.MaskStatement.NONE);
    }

    private static MonitorHop hopOf(int ttl, String address, MonitorStatistics s) {
        return new MonitorHop(ttl, List.of(new MonitorResponder(ip(address), s.received(), 1.0, Lookup.off(),
                Lookup.off())), s, s);
    }

    private static MonitorStatistics stats(int sent, int lost, double p50Ms) {
        RttStatistics r = new RttStatistics(ms(p50Ms), ms(p50Ms * 0.9), ms(p50Ms), ms(p50Ms * 1.2), ms(0.05),
                Optional.of(new io.pathprobe.probe.RttPercentiles(ms(p50Ms), ms(p50Ms * 1.1), ms(p50Ms * 1.15),
                        ms(p50Ms * 1.2), false)));
        return new MonitorStatistics(sent, sent - lost, 0, Optional.of(r), ms(0.01));
    }

    @Test
    void theResultTypesPrintAsTheirDocumentationSays() {
        PathSnapshot s = PathSnapshot.of(trace(DEST, "198.18.0.2", "*", DEST));
        assertThat(s.side()).hasToString("198.19.0.1: 198.18.0.2 → * → 198.19.0.1");
        assertThat(new HopChange.Destination(OptionalInt.of(4), OptionalInt.empty()).kind())
                .isEqualTo(HopChange.Kind.DESTINATION_REACHED_CHANGED);
        TargetDiff t = PathDiff.compare(s, PathSnapshot.of(trace(DEST, "198.18.0.3", "*", DEST)));
        assertThat(t).hasToString("198.19.0.1:\n  hop 1: 198.18.0.2 -> 198.18.0.3");
        assertThat(PathDiff.compare(s, s)).hasToString("198.19.0.1: no change");
        InetAddress six = ip("2001:db8::1");
        assertThat(new HopChange.Responders(7, List.of(six), List.of(), List.of(), List.of()))
                .hasToString("hop 7: 2001:db8::1 -> no answer (vanished)");
        assertThat(Map.of("k", PathDiff.LOSS_SIGNIFICANCE)).isNotEmpty();
    }
}
