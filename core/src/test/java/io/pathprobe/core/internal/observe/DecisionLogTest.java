package io.pathprobe.core.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.core.internal.trace.TraceHandle;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The System.Logger lines of decisions, captured through java.util.logging (the default backend of
 * System.Logger): the transport chosen and why, fallbacks, rate-budget waits (at most one line a
 * second), and no line per probe.
 */
class DecisionLogTest {
    /** Held strongly: JUL keeps loggers weakly. */
    private final Logger root = Logger.getLogger("io.pathprobe");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level before;

    @BeforeEach
    void capture() {
        before = root.getLevel();
        root.setLevel(Level.FINE); // System.Logger's DEBUG
        root.addHandler(handler);
    }

    @AfterEach
    void release() {
        root.removeHandler(handler);
        root.setLevel(before);
    }

    private List<String> lines(String logger, Level level) {
        return records.stream().filter(r -> r.getLoggerName().equals(logger) && r.getLevel().equals(level))
                .map(LogRecord::getMessage).toList();
    }

    private static TraceResult run(DefaultPathTracer tracer, FakeScheduler clock, TraceRequest request) {
        TraceHandle h = (TraceHandle) tracer.start(request);
        assertThat(clock.advanceUntil(h::ended, Duration.ofSeconds(30))).isTrue();
        return h.snapshot();
    }

    @Test
    void theChosenTransportIsLoggedOncePerMeasurementAndNothingPerProbe() {
        try (FakeTracer ft = new FakeTracer(Scenario.named("choice", 5))) {
            TraceResult r = ft.run(TraceRequest.builder("192.0.2.1").protocol(ProbeProtocol.ICMP).build());
            assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            assertThat(lines("io.pathprobe.transport", Level.FINE)).containsExactly(
                    "transport scenario chosen for ICMP probes to IPv4 destinations, Paris (fixed) flows (the best ranked)");
            assertThat(lines("io.pathprobe.transport", Level.INFO)).isEmpty();
            // some 15 probes and answers: not one line about them
            assertThat(records).allMatch(rec -> rec.getLoggerName().equals("io.pathprobe.transport"));
        }
    }

    @Test
    void fallbacksAreLoggedAtDebugOncePerTracer() {
        FakeScheduler clock = new FakeScheduler();
        // UDP only, and classic flows only: an automatic trace falls back from ICMP to UDP, and from Paris to classic
        ScenarioTransport udpOnly = new ScenarioTransport(Scenario.named("udp", 4), clock, clock,
                EnumSet.of(TransportCapability.UDP, TransportCapability.IPV4, TransportCapability.FLOW_PER_PROBE));
        DefaultPathTracer tracer = FakeTracer.tracer(udpOnly, clock, 0, 128, HostResolver.SYSTEM, Runnable::run);
        try {
            TraceResult first = run(tracer, clock, TraceRequest.builder("192.0.2.1").build());
            run(tracer, clock, TraceRequest.builder("192.0.2.1").build());
            assertThat(first.protocol()).isEqualTo(ProbeProtocol.UDP);
            // nothing a default logging set-up prints (the result's protocol note tells the caller; issue 23:
            // the CLI printed the record and then the note)
            assertThat(lines("io.pathprobe.transport", Level.INFO)).isEmpty();
            List<String> fine = lines("io.pathprobe.transport", Level.FINE);
            assertThat(fine).filteredOn(l -> l.startsWith("fallback: ")).hasSize(1).first().asString()
                    .startsWith("fallback: UDP probes to IPv4 through scenario (classic (per-probe) flows)")
                    .contains("ICMP not usable").contains("classic flows");
            assertThat(fine).filteredOn(l -> l.startsWith("transport ")).hasSize(2)
                    .allMatch(l -> l.startsWith("transport scenario chosen for UDP probes to IPv4 destinations, classic"));
        } finally {
            tracer.close();
        }
    }

    @Test
    void rateBudgetWaitsAreLoggedAtMostOnceASecond() {
        FakeScheduler clock = new FakeScheduler();
        // 100 probes a second, burst 1: each of the 30 probes after the first waits 10 ms, in 0.3 s
        try (FakeTracer ft = new FakeTracer(Scenario.named("rate", 10), clock, 100, 1)) {
            ft.run(TraceRequest.builder("192.0.2.1").maxTtl(10).probesPerTtl(3).build());
            assertThat(ft.tracer.stats().rateLimitWaits()).isGreaterThanOrEqualTo(29);
            List<String> rate = lines("io.pathprobe.ratelimit", Level.FINE);
            assertThat(rate).hasSize(1);
            assertThat(rate.get(0)).startsWith("rate-limited: the tracer's packet-rate budget held probes back 1 time(s)");
            // two seconds later, a second trace: one more line, which counts the waits since the first
            clock.advance(Duration.ofSeconds(2));
            ft.run(TraceRequest.builder("192.0.2.1").maxTtl(10).probesPerTtl(3).build());
            rate = lines("io.pathprobe.ratelimit", Level.FINE);
            assertThat(rate).hasSize(2);
            assertThat(rate.get(1)).matches("rate-limited: .* held probes back \\d+ time\\(s\\) for .* ms in all in the last \\d+ ms .*");
        }
    }
}
