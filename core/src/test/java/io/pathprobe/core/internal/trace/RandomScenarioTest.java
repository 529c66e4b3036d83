package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded random scenarios (reordering, loss, duplicates, path changes, tiny sequence ranges...) against the invariants. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RandomScenarioTest {

    static LongStream seeds() {
        // -DargLine=-Dpathprobe.seed=N replays one seed and prints its trace
        Long one = Long.getLong("pathprobe.seed");
        return one != null ? LongStream.of(one) : LongStream.range(1, 201);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariantsHold(long seed) {
        Random rnd = new Random(seed);
        Scenario s = Scenario.random("random " + seed, rnd, true);
        ProbeProtocol protocol = ProbeProtocol.values()[rnd.nextInt(3)];
        TraceRequest request = TraceRequest.builder(s.destination()).protocol(protocol)
                .maxTtl(1 + rnd.nextInt(30)).probesPerTtl(1 + rnd.nextInt(4))
                .maxInFlight(1 + rnd.nextInt(64)).sequential(rnd.nextInt(5) == 0)
                .adaptiveWait(rnd.nextInt(4) != 0)
                .probeTimeout(Duration.ofMillis(5 + rnd.nextInt(1000)))
                .deadline(Duration.ofMillis(50 + rnd.nextInt(5000))).build();
        FakeTracer fake = new FakeTracer(s, new FakeScheduler(), rnd.nextInt(3) == 0 ? 500 : 0, 1 + rnd.nextInt(64));
        AtomicReference<TraceStrategy> strategy = new AtomicReference<>();
        TraceResult r = fake.run(request, st -> {
            strategy.set(st);
            Invariants.step(st, request);
        });
        fake.close();
        if (Long.getLong("pathprobe.seed") != null) {
            System.out.println(request + "\n" + r + "\nmatched " + strategy.get().matched() + " delivered "
                    + fake.transport.delivered() + " sends " + fake.transport.sends);
        }
        Invariants.result(r, request, strategy.get(), fake.transport);
    }
}
