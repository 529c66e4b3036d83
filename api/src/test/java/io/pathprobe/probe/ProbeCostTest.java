package io.pathprobe.probe;

import static io.pathprobe.testing.Samples.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.evidence.Masking;
import io.pathprobe.json.TraceJson;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 73 item 2: every result reports what it cost each router ({@link ProbeCost}), derived from its own probes by
 * one rule ({@link ProbeCost.Tally}): the routers' probes and answers add up to the probes sent and answers received,
 * an answered probe is charged to its responder, an unanswered one to its TTL's top responder or to no known router.
 */
class ProbeCostTest {

    /** The routers' counts add up to the result's probes and answers, whatever the result. */
    private static void addsUp(ProbeCost c) {
        assertThat(c.routers().stream().mapToLong(RouterCost::probes).sum()).isEqualTo(c.probes());
        assertThat(c.routers().stream().mapToLong(RouterCost::answers).sum()).isEqualTo(c.answers());
        assertThat(c.routers()).allSatisfy(r -> assertThat(r.answers()).isBetween(0L, r.probes()));
    }

    @Test
    void aTracesCostIsItsProbesSentAndAnswersReceivedChargedPerRouter() {
        TraceResult t = Samples.trace();
        ProbeCost c = t.cost();
        addsUp(c);
        List<ProbeResult> probes = t.hops().stream().flatMap(h -> h.probes().stream()).toList();
        assertThat(c.probes()).as("send failures excluded")
                .isEqualTo(probes.stream().filter(p -> p.status() != ProbeStatus.SEND_FAILED).count());
        assertThat(c.answers()).isEqualTo(probes.stream().filter(ProbeResult::answered).count());
        assertThat(c.router(ip("192.168.1.1"))).contains(new RouterCost(Optional.of(ip("192.168.1.1")), 3, 3));
        assertThat(c.router(ip("198.18.1.1"))).as("the timed-out probe is charged to the hop's router")
                .contains(new RouterCost(Optional.of(ip("198.18.1.1")), 3, 2));
        assertThat(c.router(ip("198.18.2.1"))).as("the send failure cost nothing")
                .contains(new RouterCost(Optional.of(ip("198.18.2.1")), 1, 1));
        assertThat(c.router(ip("198.51.100.10"))).as("the destination is charged its abandoned probe")
                .contains(new RouterCost(Optional.of(ip("198.51.100.10")), 2, 1));
        assertThat(c.routers()).extracting(RouterCost::router).doesNotContain(Optional.empty());
        assertThat(c.toString()).startsWith("9 probes, 7 answers: 192.168.1.1: 3 probes, 3 answers; 198.18.1.1: ");
        for (Hop h : t.hops()) {
            addsUp(h.cost());
        }
    }

    @Test
    void aSilentTtlIsChargedToNoKnownRouterAndMaskingKeepsTheCounts() {
        TraceResult t = Samples.trace6();
        ProbeCost c = t.cost();
        addsUp(c);
        Hop silent = t.hops().stream().filter(Hop::silent).findFirst().orElseThrow();
        assertThat(silent.cost().routers()).singleElement()
                .isEqualTo(new RouterCost(Optional.empty(), silent.probes().size(), 0));
        assertThat(c.routers().get(c.routers().size() - 1).router()).as("no known router last").isEmpty();

        TraceResult masked = Masking.firstHops(2).apply(Samples.trace());
        ProbeCost m = masked.cost();
        addsUp(m);
        assertThat(m.probes()).isEqualTo(Samples.trace().cost().probes());
        assertThat(m.answers()).isEqualTo(Samples.trace().cost().answers());
        assertThat(m.router(ip("192.168.1.1"))).as("a masked router is not named").isEmpty();
        assertThat(TraceJson.write(masked)).doesNotContain("192.168.1.1");
    }

    @Test
    void aPingChargesEachTargetAllItsProbesAndAMonitorEachResponderItsReplies() {
        PingResult p = Samples.ping();
        ProbeCost c = p.cost();
        addsUp(c);
        assertThat(c.probes()).isEqualTo(p.targets().stream().mapToLong(t -> t.statistics().sent()).sum());
        assertThat(c.answers()).isEqualTo(p.targets().stream().mapToLong(t -> t.statistics().received()).sum());
        PingTargetResult a = p.targets().get(0);
        assertThat(a.cost().routers()).singleElement().isEqualTo(new RouterCost(a.address(), 5, 3));

        MonitorResult m = Samples.monitor();
        ProbeCost mc = m.cost();
        addsUp(mc);
        assertThat(mc.probes()).isEqualTo(m.hops().stream().mapToLong(h -> h.total().sent()).sum());
        assertThat(mc.router(ip("198.18.1.2"))).contains(new RouterCost(Optional.of(ip("198.18.1.2")), 6, 6));
        assertThat(mc.router(ip("198.18.2.2"))).contains(new RouterCost(Optional.of(ip("198.18.2.2")), 4, 4));
        assertThat(mc.router(ip("198.19.0.1"))).as("its lost probe is charged to the destination")
                .contains(new RouterCost(Optional.of(ip("198.19.0.1")), 10, 9));
        addsUp(Samples.multipath().cost());
    }

    @Test
    void theTallyChargesUnansweredProbesToTheTopResponderAndAddsCostsUp() {
        InetAddress a = ip("198.18.1.1");
        InetAddress b = ip("198.18.2.1");
        Map<Optional<InetAddress>, Long> answers = new LinkedHashMap<>();
        answers.put(Optional.of(a), 1L);
        answers.put(Optional.of(b), 2L);
        answers.put(Optional.empty(), 1L);
        ProbeCost c = ProbeCost.tally().hop(6, answers).hop(2, Map.of()).build();
        assertThat(c).isEqualTo(new ProbeCost(8, 4, List.of(new RouterCost(Optional.of(a), 1, 1),
                new RouterCost(Optional.of(b), 4, 2), new RouterCost(Optional.empty(), 3, 1))));
        assertThat(ProbeCost.tally().add(c).add(c).build().router(b)).contains(new RouterCost(Optional.of(b), 8, 4));
        assertThat(ProbeCost.tally().build()).isEqualTo(ProbeCost.NONE);
        assertThat(c.mostOfOneRouter()).isEqualTo(4);
        assertThat(new RouterCost(Optional.empty(), 2, 0)).hasToString("*: 2 probes, 0 answers");
    }

    @Test
    void countsThatCannotBeAreRefused() {
        assertThatThrownBy(() -> new RouterCost(Optional.empty(), 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("answers <= probes");
        assertThatThrownBy(() -> new ProbeCost(3, 0, List.of(new RouterCost(Optional.empty(), 2, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the 3 probes");
        RouterCost r = new RouterCost(Optional.of(ip("198.18.1.1")), 1, 0);
        assertThatThrownBy(() -> new ProbeCost(2, 0, List.of(r, r))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> ProbeCost.tally().hop(1, Map.of(Optional.empty(), 2L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 answers to 1 probes");
        assertThatThrownBy(() -> ProbeCost.tally().target(Optional.empty(), 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
