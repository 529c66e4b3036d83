package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Monitor;
import io.pathprobe.MonitorEvent;
import io.pathprobe.MonitorListener;
import io.pathprobe.MonitorRequest;
import io.pathprobe.MonitorResult;
import io.pathprobe.MonitorRound;
import io.pathprobe.MonitorStatus;
import io.pathprobe.PathTracer;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.lab.Chaos;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
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
 * path change, with the old and the new path. Every probe stays in the lab.
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
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).icmpUnlimited().inCurrentNamespace().build();
                PathTracer t = tracer()) {
            Recorder rec = new Recorder();
            MonitorResult r = t.monitor(MonitorRequest.builder(lab.destination()).protocol(ProbeProtocol.UDP)
                    .maxHops(12).rounds(1_000).interval(Duration.ofMillis(10)).probeTimeout(Duration.ofMillis(500))
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
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).icmpUnlimited().inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab);
                PathTracer t = tracer()) {
            Recorder rec = new Recorder();
            Monitor m = t.startMonitor(MonitorRequest.builder(lab.destination()).protocol(ProbeProtocol.UDP).maxHops(12)
                    .interval(Duration.ofMillis(50)).probeTimeout(Duration.ofMillis(500)).listener(rec).build());
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
