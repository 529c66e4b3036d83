package io.pathprobe.core.internal.mtu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.mtu.MtuBlackHole;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuListener;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The path MTU strategy on fake time, through the whole runtime and a simulated path ({@link Scenario}:
 * the first link's MTU, routers that answer Packet Too Big, a black hole, silent hops, losses).
 */
class MtuStrategyTest {
    private static MtuRequest request() {
        return MtuRequest.builder(Scenario.DESTINATION).probeTimeout(Duration.ofMillis(200)).build();
    }

    private static MtuResult run(Scenario s, MtuRequest r) {
        try (FakeTracer t = new FakeTracer(s)) {
            return t.runMtu(r);
        }
    }

    @Test
    void theFirstLinkThenEachRouterThatSaysTooBigLowerTheSize() {
        Scenario s = Scenario.named("two drops", 6).firstLinkMtu(1500).linkMtu(2, 1400).linkMtu(4, 1280);
        MtuResult r = run(s, request());
        assertThat(r.status()).as("%s", r).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.firstLinkMtu()).hasValue(1500);
        assertThat(r.hops()).extracting(MtuHop::ttl).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(r.hops()).extracting(MtuHop::pathMtu).containsExactly(1500, 1500, 1400, 1400, 1280, 1280);
        assertThat(r.drops()).extracting(MtuHop::ttl).containsExactly(3, 5);
        assertThat(r.drops()).extracting(MtuHop::tooBig).containsExactly(OptionalInt.of(1400), OptionalInt.of(1280));
        assertThat(r.drops()).extracting(MtuHop::tooBigFrom)
                .containsExactly(Optional.of(s.router(2)), Optional.of(s.router(4)));
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.address()).contains(h.ttl() == 6 ? Scenario.DESTINATION
                : s.router(h.ttl())));
        assertThat(r.pathMtu()).hasValue(1280);
        assertThat(r.blackHole()).isEmpty();
        // one refused probe is not sent: 6 TTLs + 2 Packet Too Big
        assertThat(r.probesSent()).isEqualTo(8);
        assertThat(r.toString()).contains(" 3:  " + s.router(2).getHostAddress()).contains("pmtu 1400")
                .contains("Resume: pmtu 1280 hops 6");
    }

    @Test
    void aBlackHoleIsSearchedToTheByteAndTheWalkGoesOnBelowIt() {
        Scenario s = Scenario.named("black hole", 6).firstLinkMtu(1500).mtuBlackHole(3, 1400);
        List<MtuBlackHole> found = new ArrayList<>();
        MtuResult r = run(s, request().toBuilder().listener(new MtuListener() {
            @Override
            public void blackHoleFound(MtuBlackHole blackHole) {
                found.add(blackHole);
            }
        }).build());
        assertThat(r.status()).as("%s", r).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.blackHole()).contains(new MtuBlackHole(4, Optional.of(s.router(3)), 1400, 1401, false));
        assertThat(found).containsExactly(r.blackHole().orElseThrow());
        assertThat(r.drops()).isEmpty();
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.answered()).isTrue());
        assertThat(r.hops()).extracting(MtuHop::pathMtu).containsExactly(1500, 1500, 1500, 1400, 1400, 1400);
        assertThat(r.pathMtu()).hasValue(1400);
        assertThat(r.toString()).contains("black hole at hop 4: probes over 1400 bytes vanish after "
                + s.router(3).getHostAddress());
    }

    @Test
    void aSilentHopIsNoBlackHole() {
        Scenario s = Scenario.named("silent", 5).firstLinkMtu(1500).silent(2);
        MtuResult r = run(s, request());
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).extracting(MtuHop::answered).containsExactly(true, false, true, true, true);
        assertThat(r.blackHole()).isEmpty();
        assertThat(r.pathMtu()).hasValue(1500);
        assertThat(r.hops().get(1).toString()).isEqualTo(" 2:  no reply");
    }

    @Test
    void twoLostLargeProbesThatPassOnTheRecheckAreNoBlackHole() {
        Scenario s = Scenario.named("lossy", 4).firstLinkMtu(1500).lose(3, 0, 1);
        MtuResult r = run(s, request());
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.blackHole()).isEmpty();
        assertThat(r.hops()).extracting(MtuHop::pathMtu).containsExactly(1500, 1500, 1500, 1500);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.answered()).isTrue());
    }

    @Test
    void aPathLongerThanMaxTtlEndsThere() {
        MtuResult r = run(Scenario.named("long", 10).firstLinkMtu(9000), request().toBuilder().maxTtl(3).build());
        assertThat(r.status()).isEqualTo(TraceStatus.MAX_HOPS_EXCEEDED);
        assertThat(r.hops()).hasSize(3);
        assertThat(r.firstLinkMtu()).hasValue(9000);
        assertThat(r.toString()).contains("Too many hops: pmtu 9000");
    }

    /**
     * adversarial-4 D3: sends that always fail, transiently (fe80::1 without its interface was EINVAL, read as
     * transient), ended MAX_HOPS_EXCEEDED after a "no reply" at each of 30 TTLs; a lasting failure ends at once.
     */
    @Test
    void sendsThatNeverLeaveAreASendFailureNotThirtySilentHops() {
        MtuResult r = run(Scenario.named("every send fails", 5).allSendsFailTransiently(), request());
        assertThat(r.status()).isEqualTo(TraceStatus.SEND_FAILED);
        assertThat(r.probesSent()).isZero();
        assertThat(r.hops()).hasSizeLessThanOrEqualTo(1);
        MtuResult noRoute = run(Scenario.named("no route", 5).allSendsFail(true), request());
        assertThat(noRoute.status()).isEqualTo(TraceStatus.NO_ROUTE);
        assertThat(noRoute.hops()).isEmpty();
        MtuResult addr = run(Scenario.named("no source address", 5).allSendsFail(false), request());
        assertThat(addr.status()).isEqualTo(TraceStatus.SEND_FAILED);
    }

    @Test
    void aFirstProbeThatFitsLeavesTheFirstLinkUnknown() {
        MtuResult r = run(Scenario.named("fits", 3).firstLinkMtu(9000), request().toBuilder().maxSize(1500).build());
        assertThat(r.firstLinkMtu()).isEmpty();
        assertThat(r.pathMtu()).hasValue(1500);
        assertThat(r.toString()).doesNotContain("LOCALHOST");
    }

    @Test
    void withoutATransportThatHasPathMtuItFailsSayingWhy() {
        io.pathprobe.core.internal.runtime.FakeScheduler clock = new io.pathprobe.core.internal.runtime.FakeScheduler();
        io.pathprobe.core.internal.sim.ScenarioTransport noMtu = new io.pathprobe.core.internal.sim.ScenarioTransport(
                Scenario.named("no PATH_MTU", 3), clock, clock, java.util.EnumSet.of(
                        io.pathprobe.spi.TransportCapability.UDP, io.pathprobe.spi.TransportCapability.IPV4,
                        io.pathprobe.spi.TransportCapability.FLOW_PER_PROBE, io.pathprobe.spi.TransportCapability.FLOW_FIXED));
        try (io.pathprobe.core.internal.DefaultPathTracer tracer = FakeTracer.tracer(noMtu, clock, 0, 128,
                io.pathprobe.enrich.HostResolver.SYSTEM, Runnable::run)) {
            java.util.concurrent.CompletableFuture<MtuResult> f = tracer.start(request()).result();
            clock.runUntilIdle();
            assertThat(f).isCompletedExceptionally();
            assertThatThrownBy(f::join).hasCauseInstanceOf(io.pathprobe.NoTransportAvailableException.class)
                    .cause().hasMessageContaining("UDP");
            assertThat(((io.pathprobe.NoTransportAvailableException) f.handle((r, e) -> e instanceof java.util.concurrent.CompletionException ? e.getCause() : e).join()).rejections())
                    .anySatisfy(r -> assertThat(r.detail()).contains("PATH_MTU"));
            assertThat(noMtu.sendCalls.get()).as("nothing sent").isZero();
        }
    }

    @Test
    void badRequestsAreRefusedAtOnce() {
        assertThatThrownBy(() -> MtuRequest.builder("198.18.0.9").maxSize(1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSize");
        assertThatThrownBy(() -> MtuRequest.builder("198.18.0.9").firstTtl(5).maxTtl(4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
        assertThatThrownBy(() -> MtuRequest.builder(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
