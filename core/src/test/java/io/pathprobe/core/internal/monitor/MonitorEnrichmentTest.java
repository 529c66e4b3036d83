package io.pathprobe.core.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.lookup.FakeLookups;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Host names and AS numbers: looked up once per address, off the loop; the result never waits for them. */
@org.junit.jupiter.api.Timeout(60)
class MonitorEnrichmentTest {
    @Test
    void namesAreLookedUpOncePerAddressAndNeverWaitedFor() {
        FakeScheduler clock = new FakeScheduler();
        ArrayDeque<Runnable> enrichQueue = new ArrayDeque<>();
        Executor enrich = enrichQueue::add;
        FakeLookups lookups = new FakeLookups(clock::inLoop, Duration.ofSeconds(2));
        Scenario s = Scenario.named("five hops", 5);
        for (int ttl = 1; ttl < 5; ttl++) {
            lookups.names.put(s.router(ttl), "r" + ttl + ".lab.example");
            lookups.asns.put(s.router(ttl), AsnInfo.of(64500));
        }
        try (FakeTracer t = new FakeTracer(s, clock, lookups, enrich, Runnable::run)) {
            MonitorHandle h = (MonitorHandle) t.tracer.start(MonitorRequest.builder(TraceRequest.builder(s.destination()).probesPerTtl(1).protocol(ProbeProtocol.ICMP).build()).rounds(10).build());
            clock.advance(Duration.ofMillis(2_500));
            // nothing answered yet: a snapshot does not wait, its names are pending
            java.util.concurrent.atomic.AtomicReference<MonitorResult> snap = new java.util.concurrent.atomic.AtomicReference<>();
            clock.execute(() -> snap.set(h.snapshot())); // taken on the (fake) loop, as the engine would
            clock.runUntilIdle();
            MonitorResult early = snap.get();
            drain(enrichQueue);
            assertThat(early.rounds()).isEqualTo(3);
            assertThat(early.hop(1).orElseThrow().responders().get(0).hostname().status())
                    .isIn(LookupStatus.PENDING, LookupStatus.OFF);
            drain(enrichQueue);
            while (lookups.answerAll() > 0) {
                drain(enrichQueue);
            }
            assertThat(clock.advanceUntil(h::ended, Duration.ofSeconds(30))).isTrue();
            drain(enrichQueue);
            MonitorResult r = h.snapshot();
            assertThat(r.status()).isEqualTo(MonitorStatus.COMPLETED);
            assertThat(r.hop(1).orElseThrow().responders().get(0).hostname().value()).contains("r1.lab.example");
            assertThat(r.hop(2).orElseThrow().responders().get(0).asn().value()).contains(AsnInfo.of(64500));
            assertThat(r.toString()).contains("r3.lab.example");
            for (int ttl = 1; ttl < 5; ttl++) {
                String ptr = "ptr " + s.router(ttl).getHostAddress();
                assertThat(lookups.calls.stream().filter(ptr::equals).count()).as(ptr).isEqualTo(1);
            }
            assertThat(lookups.calledOnEngine).isFalse();
        }
    }

    private static void drain(ArrayDeque<Runnable> q) {
        Runnable r;
        while ((r = q.poll()) != null) {
            r.run();
        }
    }
}
