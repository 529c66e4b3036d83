package io.pathprobe.core.internal.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 47 for UDP pings on fake time: the destination's Port Unreachables are rate-limited as Linux does
 * (a burst of 6, then one a second, per peer: {@link Scenario#destinationIcmpLimit}); a probe it may have
 * refused is {@link ProbeStatus#RATE_LIMITED}, never lost, and a probe the ping's floor says had a token is
 * lost when unanswered. Asserts what always holds, no timing.
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
    }

    @Test
    void fiftyAddressesOfOneHostClaimNoLossWhereItsLimiterRefused() {
        try (FakeTracer ft = new FakeTracer(linuxDestination().destinationAliases())) {
            List<String> targets = IntStream.rangeClosed(1, 50).mapToObj(i -> "198.18.7." + i).collect(Collectors.toList());
            PingResult r = ft.runPing(udp(4, Duration.ofSeconds(1)).targets(targets).build(), Duration.ofSeconds(30));
            long received = 0;
            long rateLimited = 0;
            for (PingTargetResult t : r.targets()) {
                invariants(t);
                assertThat(t.kind()).isEqualTo(PingKind.UDP);
                assertThat(t.statistics().lost()).as(t.target() + ": the host's limiter refused, the path lost nothing")
                        .isZero();
                assertThat(t.statistics().loss()).isZero();
                assertThat(t.recent()).extracting(PingProbe::status)
                        .allMatch(s -> s == ProbeStatus.REPLY || s == ProbeStatus.RATE_LIMITED);
                received += t.statistics().received();
                rateLimited += t.statistics().rateLimited();
            }
            assertThat(received + rateLimited).isEqualTo(200);
            assertThat(rateLimited).as("each refusal is a rate-limited probe").isEqualTo(ft.transport.refused.get());
            assertThat(received).as("the burst at least was answered").isGreaterThanOrEqualTo(6);
            assertThat(rateLimited).as("the one bucket refused most").isGreaterThan(received);
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
            assertThat(t.recent().get(3).status()).isEqualTo(ProbeStatus.TIMEOUT);
            assertThat(ft.transport.refused.get()).isZero();
        }
    }

    @Test
    void theFirstProbeOfAPingMayHaveFoundTheBucketSpent() {
        // another prober may have just emptied the destination's bucket: the first probe's miss says nothing
        try (FakeTracer ft = new FakeTracer(linuxDestination().lose(PING_TTL, 0))) {
            PingResult r = ft.runPing(udp(3, Duration.ofSeconds(1)).target(DEST).build(), Duration.ofSeconds(30));
            PingTargetResult t = r.first();
            invariants(t);
            assertThat(t.recent().get(0).status()).isEqualTo(ProbeStatus.RATE_LIMITED);
            assertThat(t.statistics().rateLimited()).isEqualTo(1);
            assertThat(t.statistics().lost()).isZero();
            assertThat(t.statistics().received()).isEqualTo(2);
        }
    }

    @Test
    void fasterThanTheLimiterRefusalsAreRateLimitedAndALossWithATokenIsNot() {
        // 5 a second for 6 s to one Linux host: its burst, then one a second; nothing lost on the way
        try (FakeTracer ft = new FakeTracer(linuxDestination())) {
            PingResult r = ft.runPing(udp(30, Duration.ofMillis(200)).target(DEST).build(),
                    Duration.ofSeconds(30));
            PingTargetResult t = r.first();
            invariants(t);
            assertThat(t.statistics().lost()).isZero();
            assertThat(t.statistics().rateLimited()).isEqualTo(ft.transport.refused.get()).isPositive();
            assertThat(t.statistics().received()).isGreaterThanOrEqualTo(6);
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
                assertThat(t.statistics().lost()).as(kind.name()).isEqualTo(2);
                assertThat(t.kindNote()).as(kind + " asked for: nothing to note").isEmpty();
            }
        }
    }
}
