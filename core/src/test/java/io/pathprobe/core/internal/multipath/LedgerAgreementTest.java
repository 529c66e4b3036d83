package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.trace.TraceStrategy;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * Trace and multipath meet the same answers on one linear path and classify them alike (both go
 * through the {@link io.pathprobe.core.internal.probe.ProbeLedger}): a slow answer given up by the
 * adaptive wait but within the probe timeout, a duplicate, an unreachable from the destination
 * itself, and the destination's answers to probes sent beyond it. Made-up time, no runtime.
 */
@org.junit.jupiter.api.Timeout(10)
class LedgerAgreementTest {
    private static final long MS = 1_000_000;
    private static final InetAddress DEST = Scenario.DESTINATION;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** How the path answers at one TTL: who, with what, after how long, how many copies. */
    private record Reply(InetAddress from, ResponseKind kind, int type, int code, long rtt, int copies) {}

    /** A path of routers 10.0.t.1 up to the destination at {@code destTtl}; {@code at} overrides a TTL. */
    private record Path(int destTtl, Reply destination, java.util.Map<Integer, Reply> at) {
        Reply reply(int ttl) {
            Reply r = at.get(ttl);
            if (r != null) {
                return r;
            }
            return ttl >= destTtl ? destination
                    : new Reply(Scenario.address(10, 0, ttl, 1), ResponseKind.TIME_EXCEEDED, 11, 0, ttl * MS, 1);
        }
    }

    private record Delivery(long at, long order, ProbeResponse response) {}

    /** Plays a strategy on made-up time as the runtime would, until done (or 10 s). */
    private static <R> R run(ProbingStrategy<R> s, Path path) {
        PriorityQueue<Delivery> answers = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
                : Long.compare(a.order, b.order));
        long now = 0;
        long order = 0;
        while (true) {
            ProbeSpec p;
            while ((p = s.next(now)) != null) {
                s.onSent(p, now, now);
                Reply r = path.reply(p.ttl());
                for (int c = 0; c < r.copies(); c++) {
                    answers.add(new Delivery(now + r.rtt(), order++,
                            new ProbeResponse(p.sequence(), r.kind(), r.type(), r.code(), r.from(), now + r.rtt())));
                }
            }
            if (s.done()) {
                // what is still on its way arrives before the end (a beyond-path answer, a duplicate)
                while (!answers.isEmpty()) {
                    Delivery d = answers.poll();
                    now = Math.max(now, d.at);
                    s.onAnswer(d.response, now);
                }
                return s.outcome(Stop.COMPLETED, now);
            }
            long wake = s.nextWakeup(now);
            long at = wake == ProbingStrategy.NO_WAKEUP ? Long.MAX_VALUE : now + wake;
            if (!answers.isEmpty()) {
                at = Math.min(at, answers.peek().at);
            }
            assertThat(at).as("stuck at %d", now).isLessThan(10_000 * MS);
            now = Math.max(now, at);
            boolean delivered = false;
            while (!answers.isEmpty() && answers.peek().at <= now) {
                s.onAnswer(answers.poll().response, now);
                delivered = true;
            }
            if (!delivered) {
                s.onWakeup(now);
            }
        }
    }

    private static final class Both {
        final TraceStrategy trace;
        final MultipathStrategy multipath;
        final TraceResult traceResult;
        final MultipathResult multipathResult;

        Both(Path path) {
            TraceRequest tr = TraceRequest.builder(DEST).protocol(ProbeProtocol.UDP).maxTtl(6).probesPerTtl(1)
                    .probeTimeout(TIMEOUT).build();
            trace = new TraceStrategy(tr, DEST, ProbeProtocol.UDP, "sim", Optional.empty(), 65535, Instant.EPOCH, 0,
                    null);
            MultipathRequest mr = MultipathRequest.builder(DEST).protocol(ProbeProtocol.UDP).maxTtl(6).pathProbes(0)
                    .probeTimeout(TIMEOUT).build();
            multipath = new MultipathStrategy(mr, DEST, ProbeProtocol.UDP, "sim", List.of(), 65535, 65535,
                    Instant.EPOCH, 0, null);
            traceResult = run(trace, path);
            multipathResult = run(multipath, path);
        }

        Hop hop(int ttl) {
            return traceResult.hops().stream().filter(h -> h.ttl() == ttl).findFirst().orElseThrow();
        }

        int lastTraceTtl() {
            return traceResult.hops().get(traceResult.hops().size() - 1).ttl();
        }

        int lastMultipathTtl() {
            return multipathResult.nodes().stream().mapToInt(MultipathNode::ttl).max().orElseThrow();
        }
    }

    private static Reply portUnreachable(long rtt) {
        return new Reply(DEST, ResponseKind.DESTINATION_UNREACHABLE, 3, 3, rtt, 1);
    }

    @Test
    void aSlowAnswerGivenUpEarlyButWithinTheProbeTimeoutIsAnAnswerInBoth() {
        // TTL 2 answers after 100 ms; TTL 3 (1 ms on) lets it go after 30 ms (NEAR rule)
        Reply slow = new Reply(Scenario.address(10, 0, 2, 1), ResponseKind.TIME_EXCEEDED, 11, 0, 100 * MS, 1);
        Both b = new Both(new Path(4, portUnreachable(4 * MS), java.util.Map.of(2, slow)));

        Hop hop = b.hop(2);
        assertThat(hop.probes()).extracting(p -> p.status()).containsExactly(ProbeStatus.REPLY);
        assertThat(hop.statistics().lost()).isZero();
        List<MultipathNode> nodes = b.multipathResult.nodesAt(2);
        assertThat(nodes).extracting(MultipathNode::address).containsExactly(Optional.of(slow.from()));
        assertThat(nodes.get(0).silent()).isFalse();
    }

    @Test
    void aDuplicateIsUnmatchedInBoth() {
        Reply twice = new Reply(Scenario.address(10, 0, 1, 1), ResponseKind.TIME_EXCEEDED, 11, 0, MS, 2);
        Both b = new Both(new Path(3, portUnreachable(3 * MS), java.util.Map.of(1, twice)));

        assertThat(b.traceResult.unmatchedReplies()).isEqualTo(1);
        assertThat(b.multipath.unmatched()).isEqualTo(1);
        assertThat(b.hop(1).statistics().received()).isEqualTo(1);
        assertThat(b.multipathResult.nodesAt(1).get(0).replies()).isEqualTo(1);
    }

    @Test
    void anUnreachableFromTheDestinationEndsThePathAtTheDestinationInBoth() {
        // administratively prohibited, from the destination itself: its answer, an UNREACHABLE one
        Reply prohibited = new Reply(DEST, ResponseKind.DESTINATION_UNREACHABLE, 3, 13, 3 * MS, 1);
        Both b = new Both(new Path(3, prohibited, java.util.Map.of()));

        assertThat(b.traceResult.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(b.hop(3).probes()).extracting(p -> p.status()).containsExactly(ProbeStatus.UNREACHABLE);
        assertThat(b.hop(3).probes().get(0).fromDestination()).isTrue();
        assertThat(b.multipathResult.destinationReached()).isTrue();
        assertThat(b.multipathResult.nodesAt(3)).singleElement().satisfies(n -> {
            assertThat(n.destination()).isTrue();
            assertThat(n.address()).contains(DEST);
        });
        assertThat(b.lastTraceTtl()).isEqualTo(3);
        assertThat(b.lastMultipathTtl()).isEqualTo(3);
    }

    @Test
    void theDestinationsAnswersBeyondThePathAreExpectedNotUnmatchedInBoth() {
        // the destination at TTL 2 answers in 30 ms; probes beyond it were sent before (all TTLs at
        // once in the trace; TTL 3 after the exploration delay in multipath) and answered in 40 ms
        Reply far = portUnreachable(40 * MS);
        Both b = new Both(new Path(3, far, java.util.Map.of(2, portUnreachable(30 * MS))));

        assertThat(b.trace.matched()).as("the trace sent TTLs 3..6 too").isEqualTo(6);
        assertThat(b.traceResult.unmatchedReplies()).isZero();
        assertThat(b.multipath.unmatched()).isZero();
        assertThat(b.lastTraceTtl()).isEqualTo(2);
        assertThat(b.lastMultipathTtl()).isEqualTo(2);
        assertThat(b.traceResult.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(b.multipathResult.destinationReached()).isTrue();
    }
}
