package com.example.app;

// docs/testing.md's example as printed there, run
// with pathprobe-testing, junit-jupiter and assertj-core on the class path
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PathCheckTest {
    FakeTime time = new FakeTime();
    ScriptedTransport path = ScriptedTransport.builder(time)
            .hop(ScriptedHop.router("198.18.2.1").delay(Duration.ofMillis(2)))
            .hop(ScriptedHop.silent())
            .hop(ScriptedHop.router("198.18.2.3").delay(Duration.ofMillis(15)).loseEvery(3))
            .destination(ScriptedHop.destination().delay(Duration.ofMillis(20)))
            .build();
    // the tracer your code under test gets: the scripted path, on fake time, no DNS lookups
    PathTracer tracer = PathTracer.builder()
            .transport(path)
            .ticker(time)
            .scheduler(time)
            .offline()
            .build();

    @AfterEach
    void close() {
        tracer.close();
    }

    @Test
    void traceFindsEveryHop() throws Exception {
        TraceResult trace = tracer.trace(TraceRequest.of("198.18.100.7")); // returns at once, on fake time

        assertThat(trace.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(trace.hops()).extracting(Hop::address).containsExactly(
                Optional.of(InetAddress.getByName("198.18.2.1")),
                Optional.empty(), // the silent hop
                Optional.of(InetAddress.getByName("198.18.2.3")),
                Optional.of(InetAddress.getByName("198.18.100.7")));
        // probes not answered, per hop: all of the silent hop's, one of the lossy hop's (3 per TTL, and the
        // refill retry's one more where a router missed, 1.05 s of fake time later)
        assertThat(trace.hops()).extracting(h -> h.statistics().sent() - h.statistics().received())
                .containsExactly(0, 4, 1, 0);
    }

    @Test
    void monitorCountsEachHopsLoss() {
        MonitorResult monitor = tracer.measure(MonitorRequest.builder("198.18.100.7")
                .rounds(10).interval(Duration.ofSeconds(1)).build());

        assertThat(monitor.hops()).extracting(h -> h.total().received()).containsExactly(10L, 0L, 7L, 10L);
        assertThat(monitor.hops()).extracting(MonitorHop::ttl).containsExactly(1, 2, 3, 4);
        assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(9)); // fake seconds
    }

    @Test
    void pingMeasuresTheDestination() {
        PingResult ping = tracer.measure(PingRequest.builder("198.18.100.7").count(5).build());

        assertThat(ping.targets().get(0).statistics().received()).isEqualTo(5);
        assertThat(ping.targets().get(0).statistics().rtt().orElseThrow().avg()).isEqualTo(Duration.ofMillis(20));
    }
}
