package com.example.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Measurement;
import io.pathprobe.PathTracer;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An application's own unit test of its use of pathprobe, as docs/testing.md shows it: public API and the
 * pathprobe-testing artifact only, pathprobe-core on the class path; a scripted path on fake time, so no
 * socket, no network and (almost) no real time.
 */
@Timeout(value = 5, unit = TimeUnit.SECONDS) // fake time: milliseconds each, once the engine's classes are loaded
class ScriptedPathTest {
    private static final String DESTINATION = "198.18.100.7";

    private FakeTime time;
    private ScriptedTransport path;
    private PathTracer tracer;

    @BeforeEach
    void tracerOnFakeTime() {
        time = new FakeTime();
        path = ScriptedTransport.builder(time)
                .hop(ScriptedHop.router("198.18.2.1").delay(Duration.ofMillis(2)))
                .hop(ScriptedHop.silent())
                .hop(ScriptedHop.router("198.18.2.3").delay(Duration.ofMillis(15)).loseEvery(3))
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(20)))
                .build();
        tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build();
    }

    @AfterEach
    void close() {
        tracer.close();
    }

    private static Optional<InetAddress> address(String literal) throws Exception {
        return Optional.of(InetAddress.getByName(literal));
    }

    @ParameterizedTest
    @EnumSource(ProbeProtocol.class)
    void aWholeTraceFindsTheHopsTheSilentOneTheLossesAndTheDestination(ProbeProtocol protocol) throws Exception {
        TraceResult trace = tracer.trace(TraceRequest.builder(DESTINATION).protocol(protocol).probesPerTtl(3)
                .refillRetry(false).build());

        assertThat(trace.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(trace.transport()).isEqualTo("scripted");
        assertThat(trace.hops()).extracting(Hop::address).containsExactly(address("198.18.2.1"), Optional.empty(),
                address("198.18.2.3"), address(DESTINATION));
        assertThat(trace.hops()).extracting(h -> h.statistics().sent()).containsOnly(3);
        // unanswered: the silent hop's 3 and every third probe to 198.18.2.3 (the trace tells lost from
        // rate-limited probes by what later hops answered: see HopStatistics)
        assertThat(trace.hops()).extracting(h -> h.statistics().sent() - h.statistics().received())
                .containsExactly(0, 3, 1, 0);
        assertThat(trace.hops().get(2).statistics().rtt().orElseThrow().avg()).isEqualTo(Duration.ofMillis(15));
        assertThat(trace.hops().get(3).statistics().rtt().orElseThrow().avg()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aStartedTraceRunsAsTheTestMovesTimeOn() {
        Measurement<TraceRequest, TraceResult> trace = tracer.start(TraceRequest.of(DESTINATION));
        assertThat(trace.result()).isNotDone(); // nothing runs until time moves

        time.advance(Duration.ofSeconds(10));

        assertThat(trace.result()).isCompleted();
        assertThat(trace.result().join().status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
    }

    @Test
    void aMonitorOfTenRoundsCountsEachHopsLoss() {
        long realStart = System.nanoTime();
        MonitorResult monitor = tracer.measure(MonitorRequest.builder(DESTINATION).rounds(10)
                .interval(Duration.ofSeconds(1)).build());

        assertThat(monitor.status()).isEqualTo(MonitorStatus.COMPLETED);
        assertThat(monitor.rounds()).isEqualTo(10);
        List<MonitorHop> hops = monitor.hops();
        assertThat(hops).extracting(MonitorHop::ttl).containsExactly(1, 2, 3, 4);
        assertThat(hops).extracting(h -> h.total().sent()).containsOnly(10L);
        assertThat(hops).extracting(h -> h.total().received()).containsExactly(10L, 0L, 7L, 10L);
        assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
        // on fake time: the rounds' intervals were not waited out in real time
        assertThat(Duration.ofNanos(System.nanoTime() - realStart)).as("real time").isLessThan(time.elapsed());
    }

    @Test
    void aPingCountsRepliesAndLossesAtALossyDestination() {
        FakeTime time = new FakeTime();
        ScriptedTransport lossy = ScriptedTransport.builder(time)
                .hop(ScriptedHop.router("198.18.2.1"))
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(30)).loseEvery(4))
                .build();
        try (PathTracer tracer = PathTracer.builder().transport(lossy).ticker(time).scheduler(time).offline().build()) {
            PingResult ping = tracer.measure(PingRequest.builder(DESTINATION).count(8)
                    .interval(Duration.ofSeconds(1)).build());

            assertThat(ping.status()).isEqualTo(PingStatus.COMPLETED);
            PingStatistics stats = ping.targets().get(0).statistics();
            assertThat(stats.sent()).isEqualTo(8);
            assertThat(stats.received()).isEqualTo(6);
            assertThat(stats.lost()).isEqualTo(2);
            assertThat(stats.rtt().orElseThrow().avg()).isEqualTo(Duration.ofMillis(30));
        }
    }

    @Test
    void noSocketIsOpenedAndNoEngineThreadStarted() throws Exception {
        long sockets = openSockets();
        tracer.trace(TraceRequest.of(DESTINATION));
        tracer.measure(PingRequest.builder(DESTINATION).count(3).build());
        tracer.measure(MonitorRequest.builder(DESTINATION).rounds(3).build());

        assertThat(openSockets()).as("sockets open in this JVM").isEqualTo(sockets);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("pathprobe"));
    }

    /** The sockets this process has open (Linux: /proc/self/fd); 0 where that cannot be read. */
    private static long openSockets() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed meanwhile (the listing's own descriptor)
                }
            }).count();
        }
    }

    @Test
    void aSilentDestinationIsNeverReached() {
        FakeTime time = new FakeTime();
        ScriptedTransport unreachable = ScriptedTransport.builder(time)
                .hop(ScriptedHop.router("198.18.2.1"))
                .destination(ScriptedHop.silent())
                .build();
        try (PathTracer tracer = PathTracer.builder().transport(unreachable).ticker(time).scheduler(time).offline()
                .build()) {
            TraceResult trace = tracer.trace(TraceRequest.builder(DESTINATION).maxTtl(5).build());

            assertThat(trace.status()).isNotEqualTo(TraceStatus.DESTINATION_REACHED);
            assertThat(trace.hops().get(0).address()).isPresent();
            assertThat(trace.hops().subList(1, trace.hops().size())).allMatch(h -> h.address().isEmpty());
        }
    }
}
