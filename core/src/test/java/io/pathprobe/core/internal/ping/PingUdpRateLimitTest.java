package io.pathprobe.core.internal.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * UDP pings on fake time under issues 47 and 68: the destination's Port Unreachables are rate-limited as Linux does
 * (a burst of 6, then one a second, per peer: {@link Scenario#destinationIcmpLimit}). A miss is rate-limited only
 * where the destination's own answers showed its limiter refusing (its refill clock); otherwise it is lost, with a
 * bound where the limit could have refused it; a target that never answered is lost whole, whatever the transport.
 * Asserts what always holds for these scenarios, no timing.
 */
class PingUdpRateLimitTest {
    private static final int DEST_TTL = 5;
    /** The ping's TTL: the scenario counts a probe's arrivals (and losses) by the TTL it was sent with. */
    private static final int PING_TTL = 64;
    /** The scenario's destination, which answers from itself (a lab address's stand-in: fake time, no traffic). */
    private static final String DEST = Scenario.DESTINATION.getHostAddress();

    private static Scenario linuxDestination() {
        return Scenario.named("udp-ping", DEST_TTL).destinationIcmpLimit(6, Duration.ofSeconds(1));
    }

    private static PingRequest.Builder udp(int count, Duration interval) {
        return PingRequest.builder().kind(PingKind.UDP).count(count).interval(interval).probeTimeout(Duration.ofMillis(500));
    }

    private static void invariants(PingTargetResult t) {
        PingStatistics s = t.statistics();
        assertThat(s.received() + s.lost() + s.rateLimited() + s.pending()).as(t.target()).isEqualTo(s.sent());
        assertThat(s.pending()).as(t.target() + ": every probe decided at the end").isZero();
        double decided = s.received() + s.lost();
        assertThat(s.loss()).as(t.target()).isEqualTo(decided == 0 ? 0.0 : s.lost() / decided);
        assertThat(t.recent().stream().filter(p -> p.status() == ProbeStatus.RATE_LIMITED).count())
                .as(t.target() + ": every rate-limited probe is among the recent ones").isEqualTo(s.rateLimited());
        assertThat(s.lossLow()).as(t.target()).isLessThanOrEqualTo(s.loss());
        assertThat(s.lossHigh()).isEqualTo(s.loss());
        if (s.received() == 0) {
            // never answered: lost whole, whatever the transport and whatever a limit could have done
            assertThat(s.lost()).as(t.target()).isEqualTo(s.sent());
            assertThat(s.rateLimited()).isZero();
            assertThat(s.mayBeRefused()).isZero();
            assertThat(s.loss()).isEqualTo(s.sent() > 0 ? 1.0 : 0.0);
        }
    }

    @Test
    void aDeadHostIsLostWholeWhateverTheKindAndThePace() {
        for (PingKind kind : List.of(PingKind.UDP, PingKind.ICMP, PingKind.TCP)) {
            for (Duration interval : List.of(Duration.ofMillis(200), Duration.ofSeconds(1))) {
                try (FakeTracer ft = new FakeTracer(linuxDestination().destinationDown(Duration.ZERO,
                        Duration.ofHours(1)))) {
                    PingResult r = ft.runPing(PingRequest.builder().kind(kind).count(5).interval(interval)
                            .probeTimeout(Duration.ofMillis(500)).target(DEST).build(), Duration.ofSeconds(30));
                    PingTargetResult t = r.first();
                    invariants(t);
                    assertThat(t.statistics().sent()).as(kind + " every " + interval).isEqualTo(5);
                    assertThat(t.statistics().loss()).as(kind + " every " + interval).isEqualTo(1.0);
                    assertThat(t.statistics().lossLow()).as(kind + " every " + interval).isEqualTo(1.0);
                    assertThat(r.allAnswered()).isFalse();
                }
            }
        }
    }

    @Test
    void aDeadAddressAmongAddressesOfALimitedHostIsLostWhole() {
        InetAddress dead = Scenario.address(198, 18, 7, 13);
        try (FakeTracer ft = new FakeTracer(linuxDestination().destinationAliases().deadAddresses(dead))) {
            List<String> targets = IntStream.rangeClosed(1, 20).mapToObj(i -> "198.18.7." + i).collect(Collectors.toList());
            PingResult r = ft.runPing(udp(10, Duration.ofSeconds(1)).targets(targets).build(), Duration.ofSeconds(60));
            r.targets().forEach(PingUdpRateLimitTest::invariants);
            PingTargetResult d = r.targets().get(12);
            assertThat(d.target()).isEqualTo("198.18.7.13");
            assertThat(d.statistics().loss()).isEqualTo(1.0);
            assertThat(d.statistics().lost()).isEqualTo(10);
        }
    }

    /**
     * Addresses of one host share its limiter, and one address's answers show nothing of another's: one that answers
     * every refill beside one that never answers looks the same as a live host beside a dead one. So a miss of an
     * address is lost unless its own answers showed the limiter, and where the shared limit could have refused it,
     * the loss is a range down to what the answers leave.
     */
    @Test
    void addressesOfOneHostAreBoundedNotRateLimitedOnEachOthersAnswers() {
        try (FakeTracer ft = new FakeTracer(linuxDestination().destinationAliases())) {
            List<String> targets = IntStream.rangeClosed(1, 20).mapToObj(i -> "198.18.7." + i).collect(Collectors.toList());
            PingResult r = ft.runPing(udp(12, Duration.ofSeconds(1)).targets(targets).build(), Duration.ofSeconds(60));
            long received = 0;
            long rateLimited = 0;
            long lost = 0;
            for (PingTargetResult t : r.targets()) {
                invariants(t);
                assertThat(t.kind()).isEqualTo(PingKind.UDP);
                received += t.statistics().received();
                rateLimited += t.statistics().rateLimited();
                lost += t.statistics().lost();
            }
            // nothing is lost on the way: every miss was refused, lost or rate-limited by what the answers showed
            assertThat(received + lost + rateLimited).isEqualTo(240);
            assertThat(lost + rateLimited).isEqualTo(ft.transport.refused.get());
            assertThat(received).as("the burst at least was answered").isGreaterThanOrEqualTo(6);
            assertThat(r.targets().stream().filter(t -> t.statistics().received() > 0 && t.statistics().lost() > 0))
                    .as("the shared limit could explain the misses of those that answered").isNotEmpty()
                    .allSatisfy(t -> assertThat(t.statistics().mayBeRefused()).isPositive());
        }
    }

    @Test
    void oneTargetFasterThanTheLimiterShowsItAndTheRestIsBounded() {
        // 5 a second for 12 s to one Linux host: its burst, then one a second; nothing lost on the way
        try (FakeTracer ft = new FakeTracer(linuxDestination())) {
            PingResult r = ft.runPing(udp(60, Duration.ofMillis(200)).target(DEST).build(), Duration.ofSeconds(60));
            PingTargetResult t = r.first();
            invariants(t);
            PingStatistics s = t.statistics();
            assertThat(s.lost() + s.rateLimited()).as("every miss a refusal").isEqualTo(ft.transport.refused.get());
            assertThat(s.rateLimited()).as("its refill clock showed").isPositive();
            // what the answers did not show as refused, the limit could still have refused: the bound reaches 0
            assertThat(s.mayBeRefused()).isEqualTo(s.lost());
            assertThat(s.lossLow()).isZero();
        }
    }

    @Test
    void fewProbesFasterThanTheLimiterAreLostWithABoundNeverAHeadlineZero() {
        // 5 probes in a second: the burst answers them all; 12 in 2.4 s: refusals, and too few answers to show a clock
        try (FakeTracer ft = new FakeTracer(linuxDestination())) {
            PingTargetResult t = ft.runPing(udp(12, Duration.ofMillis(200)).target(DEST).build(),
                    Duration.ofSeconds(30)).first();
            invariants(t);
            PingStatistics s = t.statistics();
            assertThat(s.rateLimited()).as("no refill clock shown yet").isZero();
            assertThat(s.lost()).isEqualTo(ft.transport.refused.get()).isPositive();
            assertThat(s.loss()).isPositive();
            assertThat(s.lossLow()).as("a limit could explain every miss").isZero();
        }
    }

    @Test
    void oneTargetOnceASecondStillLosesWhatThePathLost() {
        // the 4th probe (arrival 3) is lost on the way: the floor held a token when it left
        try (FakeTracer ft = new FakeTracer(linuxDestination().lose(PING_TTL, 3))) {
            PingResult r = ft.runPing(udp(8, Duration.ofSeconds(1)).target(DEST).build(), Duration.ofSeconds(30));
            PingTargetResult t = r.first();
            invariants(t);
            assertThat(t.statistics().sent()).isEqualTo(8);
            assertThat(t.statistics().received()).isEqualTo(7);
            assertThat(t.statistics().lost()).isEqualTo(1);
            assertThat(t.statistics().rateLimited()).isZero();
            assertThat(t.statistics().mayBeRefused()).as("it left with a token").isZero();
            assertThat(t.recent().get(3).status()).isEqualTo(ProbeStatus.TIMEOUT);
            assertThat(ft.transport.refused.get()).isZero();
        }
    }

    @Test
    void theFirstProbeOfAPingIsLostUnlessShownRefusedButTheBoundAllowsIt() {
        // another prober may have just emptied the destination's bucket: nothing shows it did, so the first probe's
        // miss is lost, and the bound says it could have been a refusal
        try (FakeTracer ft = new FakeTracer(linuxDestination().lose(PING_TTL, 0))) {
            PingResult r = ft.runPing(udp(3, Duration.ofSeconds(1)).target(DEST).build(), Duration.ofSeconds(30));
            PingTargetResult t = r.first();
            invariants(t);
            assertThat(t.recent().get(0).status()).isEqualTo(ProbeStatus.TIMEOUT);
            assertThat(t.statistics().lost()).isEqualTo(1);
            assertThat(t.statistics().mayBeRefused()).isEqualTo(1);
            assertThat(t.statistics().rateLimited()).isZero();
            assertThat(t.statistics().received()).isEqualTo(2);
            assertThat(t.statistics().lossLow()).isZero();
            assertThat(t.statistics().loss()).isEqualTo(1 / 3.0);
        }
    }

    @Test
    void aLossyPathToADestinationThatDoesNotLimitIsLossNotRateLimited() {
        // half the probes lost on the way, the destination answering every one that arrives (no ICMP limit)
        SplittableRandom random = new SplittableRandom(68);
        int[] lostArrivals = IntStream.range(0, 100).filter(i -> random.nextBoolean()).toArray();
        try (FakeTracer ft = new FakeTracer(Scenario.named("lossy", DEST_TTL).lose(PING_TTL, lostArrivals))) {
            PingTargetResult t = ft.runPing(udp(100, Duration.ofMillis(200)).target(DEST).build(),
                    Duration.ofSeconds(60)).first();
            invariants(t);
            assertThat(t.statistics().rateLimited()).isZero();
            assertThat(t.statistics().lost()).isEqualTo(lostArrivals.length);
            assertThat(t.statistics().loss()).isEqualTo(lostArrivals.length / 100.0);
        }
    }

    @Test
    void icmpEchoAndTcpMissesAreLossWhateverTheRate() {
        for (PingKind kind : List.of(PingKind.ICMP, PingKind.TCP)) {
            try (FakeTracer ft = new FakeTracer(linuxDestination().lose(PING_TTL, 0, 2))) {
                PingResult r = ft.runPing(PingRequest.builder().kind(kind).count(5).interval(Duration.ofMillis(100))
                        .probeTimeout(Duration.ofMillis(500)).target(DEST).build(), Duration.ofSeconds(30));
                PingTargetResult t = r.first();
                invariants(t);
                assertThat(t.statistics().rateLimited()).as(kind.name()).isZero();
                assertThat(t.statistics().mayBeRefused()).as(kind.name()).isZero();
                assertThat(t.statistics().lost()).as(kind.name()).isEqualTo(2);
                assertThat(t.kindNote()).as(kind + " asked for: nothing to note").isEmpty();
            }
        }
    }

    /** Every rate-limited probe is a miss: never an answered one. */
    @Test
    void aRateLimitedProbeWasNeverAnswered() {
        try (FakeTracer ft = new FakeTracer(linuxDestination())) {
            PingTargetResult t = ft.runPing(udp(60, Duration.ofMillis(200)).target(DEST).build(),
                    Duration.ofSeconds(60)).first();
            assertThat(t.recent()).filteredOn(p -> p.status() == ProbeStatus.RATE_LIMITED)
                    .allMatch(p -> p.rtt().isEmpty() && p.responder().isEmpty()).extracting(PingProbe::sequence)
                    .isNotEmpty();
        }
    }
}
