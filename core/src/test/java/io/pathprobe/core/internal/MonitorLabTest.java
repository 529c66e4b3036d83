package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Measurement;
import io.pathprobe.PathTracer;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
/**
 * Issue 24 on real kernel routers: a Paris monitor through an ECMP diamond keeps its flow on one branch
 * for 1,000 rounds (no change event), and a route moved to another branch mid-run raises exactly one
 * path change, with the old and the new path. Issue 47 item 5 (adversarial-4 D1): a router answering
 * unreachable, then a routing loop, in the destination's place are loss at its row and end to end. Every probe
 * stays in the lab.
 */
@LabTest
@Timeout(180)
class MonitorLabTest {

    static final class Recorder implements MonitorListener {
        final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
        final AtomicLong rounds = new AtomicLong();
        /** The latest round (for a failure's message). */
        volatile @Nullable MonitorRound last;

        @Override
        public void roundCompleted(MonitorRound round) {
            rounds.set(round.number());
            last = round;
        }

        @Override
        public void event(MonitorEvent event) {
            events.add(event);
        }
    }

    private static PathTracer tracer() {
        return PathTracer.builder().packetsPerSecond(0).offline().build();
    }

    @Test
    void aParisFlowThroughAnEcmpDiamondChangesNothingOver1000Rounds() {
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).icmpUnlimited("monitors of up to 1000 rounds whose path changes are counted exactly").inCurrentNamespace().build();
                PathTracer t = tracer()) {
            Recorder rec = new Recorder();
            MonitorResult r = t.measure(MonitorRequest.builder(TraceRequest.builder(lab.destination()).probesPerTtl(1).protocol(ProbeProtocol.UDP).maxTtl(12).probeTimeout(Duration.ofMillis(500)).build()).rounds(1_000).interval(Duration.ofMillis(10))
                    .listener(rec).build());
            System.out.println(r);
            assertThat(r.status()).isEqualTo(MonitorStatus.COMPLETED);
            assertThat(r.rounds()).isEqualTo(1_000);
            assertThat(rec.events).as("events over 1,000 rounds of one Paris flow").isEmpty();
            assertThat(r.pathChanges()).isZero();
            assertThat(r.path().destinationReached()).isTrue();
            assertThat(r.hop(2).orElseThrow().responders()).as("one branch of the diamond").hasSize(1);
            assertThat(lab.expectedResponders(2)).contains(r.hop(2).orElseThrow().responders().get(0).address());
            assertThat(r.minHopCount()).isEqualTo(lab.hops());
            assertThat(r.maxHopCount()).isEqualTo(lab.hops());
        }
    }

    @Test
    void aRouteMovedToAnotherBranchRaisesExactlyOnePathChange() throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).icmpUnlimited("monitors of up to 1000 rounds whose path changes are counted exactly").inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab);
                PathTracer t = tracer()) {
            Recorder rec = new Recorder();
            Measurement<MonitorRequest, MonitorResult> m = t.start(MonitorRequest.builder(TraceRequest.builder(lab.destination()).probesPerTtl(1).protocol(ProbeProtocol.UDP).maxTtl(12).probeTimeout(Duration.ofMillis(500)).build())
                    .interval(Duration.ofMillis(50)).listener(rec).build());
            waitFor(() -> rec.rounds.get() >= 20);
            MonitorResult before = m.snapshot();
            Set<InetAddress> was = before.path().at(2);
            assertThat(was).hasSize(1);
            InetAddress other = lab.expectedResponders(2).stream().filter(a -> !was.contains(a)).findFirst().orElseThrow();
            long movedAfter = rec.rounds.get();
            chaos.replaceRoute(1, lab.destination().getHostAddress() + "/32 via " + other.getHostAddress());
            long movedBy = rec.rounds.get();
            waitFor(() -> rec.rounds.get() >= movedBy + 20);
            m.cancel();
            MonitorResult r = m.result().get(10, TimeUnit.SECONDS);
            System.out.println(r);
            List<MonitorEvent.PathChanged> changes = rec.events.stream().filter(MonitorEvent.PathChanged.class::isInstance)
                    .map(MonitorEvent.PathChanged.class::cast).toList();
            assertThat(changes).as("events %s", rec.events).hasSize(1);
            MonitorEvent.PathChanged c = changes.get(0);
            assertThat(c.before().at(2)).isEqualTo(was);
            assertThat(c.after().at(2)).containsExactly(other);
            assertThat(c.before().at(1)).isEqualTo(c.after().at(1));
            assertThat(c.after().destinationReached()).isTrue();
            assertThat(c.round()).as("within one round of the move").isBetween(movedAfter + 1, movedBy + 2);
            assertThat(r.pathChanges()).isEqualTo(1);
            assertThat(r.status()).isEqualTo(MonitorStatus.CANCELLED);
        }
    }

    /**
     * Router 2 answers net unreachable for a while (its route replaced by {@code unreachable}), later it sends the
     * destination's traffic back to router 1 (a loop: time exceeded at the destination's TTL). Every round that did
     * not reach the destination is one lost probe at its row and end to end, whatever the timing; no round vanishes
     * (before, both outages read 0 % loss, the unreachable one over fewer probes sent).
     */
    @Test
    void anUnreachableRouterAndARoutingLoopAreLossAtTheDestination() throws Exception {
        try (Lab lab = Lab.chain(5).icmpUnlimited("monitors of up to 1000 rounds whose path changes are counted exactly").inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab);
                PathTracer t = tracer()) {
            int roundsAsked = 50;
            Recorder rec = new Recorder();
            List<MonitorRound> rounds = new CopyOnWriteArrayList<>();
            MonitorListener both = new MonitorListener() {
                @Override
                public void roundCompleted(MonitorRound round) {
                    rounds.add(round);
                    rec.roundCompleted(round);
                }

                @Override
                public void event(MonitorEvent event) {
                    rec.event(event);
                }
            };
            Measurement<MonitorRequest, MonitorResult> m = t.start(MonitorRequest.builder(TraceRequest.builder(lab.destination()).probesPerTtl(1).protocol(ProbeProtocol.ICMP).maxTtl(12).probeTimeout(Duration.ofMillis(300)).build())
                    .rounds(roundsAsked).interval(Duration.ofMillis(100)).listener(both)
                    .build());
            byte[] r2 = lab.expectedResponder(2).orElseThrow().getAddress(); // router 2 on link 1 (.2 of its /30)
            r2[3]--; // router 1 on link 1
            String r1Link1 = InetAddress.getByAddress(r2).getHostAddress();
            waitFor(() -> rec.rounds.get() >= 6);
            chaos.replaceRoute(2, "unreachable 198.19.0.0/16"); // the route restore() puts back: no more specific one
            long from = rec.rounds.get();
            waitFor(() -> rec.rounds.get() >= from + 8);
            chaos.restore();
            waitFor(() -> rec.rounds.get() >= from + 18);
            chaos.replaceRoute(2, "198.19.0.0/16 via " + r1Link1);
            long loopFrom = rec.rounds.get();
            waitFor(() -> rec.rounds.get() >= loopFrom + 10);
            chaos.restore();
            MonitorResult r = m.result().get(60, TimeUnit.SECONDS);
            System.out.println(r);
            assertThat(r.status()).isEqualTo(MonitorStatus.COMPLETED);
            assertThat(rounds).hasSize(roundsAsked);
            long notReached = rounds.stream().filter(x -> x.trace().hop(5).stream().flatMap(h -> h.probes().stream())
                    .noneMatch(p -> p.fromDestination())).count();
            long unreachable = rounds.stream().filter(x -> x.trace().status() == io.pathprobe.trace.TraceStatus.UNREACHABLE)
                    .count();
            long looped = rounds.stream().filter(x -> x.trace().hop(5).stream().flatMap(h -> h.probes().stream())
                    .anyMatch(p -> p.answered() && !p.fromDestination())).count();
            assertThat(unreachable).as("rounds ended by the unreachable").isPositive();
            assertThat(looped).as("rounds whose TTL 5 expired in the loop").isPositive();
            long failed = rounds.stream().flatMap(x -> x.trace().hop(5).stream()).flatMap(h -> h.probes().stream())
                    .filter(p -> p.status() == io.pathprobe.probe.ProbeStatus.SEND_FAILED).count();
            io.pathprobe.monitor.MonitorHop dest5 = r.hop(5).orElseThrow();
            io.pathprobe.monitor.MonitorStatistics s5 = dest5.total();
            assertThat(s5.sent() + failed).as("every round at the destination's row: %s", r).isEqualTo(roundsAsked);
            assertThat(s5.sent()).isEqualTo(s5.received() + s5.lost() + s5.rateLimited());
            assertThat(s5.lost()).as("a lost probe for each round that did not reach it (a rate-limited one only where "
                    + "no router answered in its place)").isEqualTo(notReached - s5.rateLimited());
            assertThat(s5.received()).isEqualTo(roundsAsked - notReached - failed);
            assertThat(r.endToEnd().sent()).isEqualTo(s5.sent());
            assertThat(r.endToEnd().lost()).isEqualTo(s5.lost());
            assertThat(r.endToEnd().rateLimited()).isEqualTo(s5.rateLimited());
            assertThat(dest5.responders()).extracting(x -> x.address()).as("the looping router is listed")
                    .contains(lab.destination()).hasSizeGreaterThan(1);
            assertThat(r.path().lastTtl()).isEqualTo(5);
            assertThat(r.maxHopCount()).isEqualTo(5);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within 60 s");
            }
            Thread.sleep(10);
        }
    }
}
