package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.Measurement;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.sim.FakeProvider;
import io.pathprobe.core.internal.sim.NamedTransport;
import io.pathprobe.core.internal.sim.RealTimeTracers;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
/**
 * Issue 26 in the engine, on simulated transports: a TCP trace asked to run inside a connection opens its
 * session off the engine loop (connecting may take a while) on the transport with TCP_IN_CONNECTION, says so in
 * the result, falls back to SYN probes with the reason when the connection cannot be had, closes a connection
 * the trace never used; and a SYN trace never uses that transport, whatever its priority.
 */
class InConnectionChoiceTest {
    private static final Set<TransportCapability> SYN = EnumSet.of(TransportCapability.TCP, TransportCapability.IPV4,
            TransportCapability.FLOW_FIXED);
    private static final Set<TransportCapability> IN_CONNECTION = EnumSet.of(TransportCapability.TCP,
            TransportCapability.IPV4, TransportCapability.FLOW_FIXED, TransportCapability.TCP_IN_CONNECTION);

    private final RealTimeTracers tracers = new RealTimeTracers();
    private final Scenario scenario = Scenario.named("behind SYN-flood protection", 4);

    @AfterEach
    void close() throws Exception {
        tracers.close();
    }

    /**
     * A transport with TCP_IN_CONNECTION over the scenario: opening a session "connects" (refuses with
     * {@link #refusal}, or waits for {@link #connecting}), and the destination's answers are duplicate ACKs.
     */
    private final class Connecting extends NamedTransport {
        final ScenarioTransport inner = new ScenarioTransport(scenario, tracers.io(), Ticker.SYSTEM, SYN);
        final List<SessionSpec> specs = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicBoolean sessionClosed = new AtomicBoolean();
        volatile String refusal;
        volatile CountDownLatch connecting;
        final CountDownLatch connectStarted = new CountDownLatch(1);

        Connecting() {
            super("in-conn", IN_CONNECTION);
        }

        @Override
        public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
            specs.add(spec);
            threads.add(Thread.currentThread().getName());
            connectStarted.countDown();
            CountDownLatch gate = connecting;
            if (gate != null) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (refusal != null) {
                throw new TransportException(refusal);
            }
            ProbeSession real = inner.openSession(spec, r -> listener.onResponse(r.kind() != ResponseKind.TCP_RESET ? r
                    : new ProbeResponse(r.sequence(), ResponseKind.TCP_ACK, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                            r.responder(), r.receivedNanos())));
            return new ProbeSession() {
                @Override
                public int maxSequence() {
                    return 1023;
                }

                @Override
                public long send(ProbeSpec probe) throws SendFailedException {
                    return real.send(probe);
                }

                @Override
                public void close() {
                    sessionClosed.set(true);
                    real.close();
                }
            };
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private PathTracer tracer(Connecting connecting, Availability connectingAvailable, Availability synAvailable) {
        FakeProvider in = new FakeProvider("in-conn", 300, IN_CONNECTION, connectingAvailable, () -> connecting);
        FakeProvider syn = new FakeProvider("syn", 250, SYN, synAvailable,
                () -> new ScenarioTransport(scenario, tracers.io(), Ticker.SYSTEM, SYN));
        PathTracer tracer = DefaultTracerFactory.create(new TracerSettings(null, null, 0, 128, HostResolver.SYSTEM, null),
                TransportRegistry.of(List.of(in, syn)));
        tracers.closeAfter(tracer);
        return tracer;
    }

    private TraceRequest.Builder tcp() {
        return TraceRequest.builder(scenario.destination()).protocol(ProbeProtocol.TCP).destinationPort(8080)
                .probeTimeout(Duration.ofMillis(400));
    }

    @Test
    void aTraceInsideAConnectionOpensItOffTheEngineLoopAndSaysSo() {
        Connecting c = new Connecting();
        PathTracer tracer = tracer(c, Availability.available(), Availability.available());
        TraceResult r = tracer.trace(tcp().tcpMode(TcpMode.IN_CONNECTION).build());
        assertThat(r.transport()).isEqualTo("in-conn");
        assertThat(r.tcpMode()).contains(TcpMode.IN_CONNECTION);
        assertThat(r.protocolNote()).isEmpty();
        assertThat(r.status()).as(r.toString()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).hasSize(4);
        assertThat(c.specs).singleElement().satisfies(spec -> {
            assertThat(spec.destinationPort()).isEqualTo(8080);
            assertThat(spec.connectTimeout()).as("three probe timeouts").isEqualTo(Duration.ofMillis(1200));
        });
        assertThat(c.threads).singleElement().satisfies(t -> assertThat(t).startsWith("pathprobe-setup-"));
        assertThat(c.sessionClosed).as("closed with the trace").isTrue();
    }

    @Test
    void aRefusedConnectionFallsBackToSynProbesAndSaysWhy() {
        Connecting c = new Connecting();
        c.refusal = "in-conn: 192.0.2.1 port 8080: connect: ECONNREFUSED (Connection refused)";
        PathTracer tracer = tracer(c, Availability.available(), Availability.available());
        TraceResult r = tracer.trace(tcp().tcpMode(TcpMode.IN_CONNECTION).build());
        assertThat(r.transport()).isEqualTo("syn");
        assertThat(r.tcpMode()).contains(TcpMode.SYN);
        assertThat(r.protocolNote()).contains("no trace inside a connection to 192.0.2.1 port 8080 (in-conn: 192.0.2.1 "
                + "port 8080: connect: ECONNREFUSED (Connection refused)): SYN probes instead");
        assertThat(r.destinationReached()).isTrue();
    }

    @Test
    void withoutATransportThatTracesInsideAConnectionTheTraceFallsBackAndSaysWhy() {
        PathTracer tracer = tracer(new Connecting(), Availability.unavailable("needs CAP_NET_RAW"), Availability.available());
        TraceResult r = tracer.trace(tcp().tcpMode(TcpMode.IN_CONNECTION).build());
        assertThat(r.transport()).isEqualTo("syn");
        assertThat(r.protocolNote()).hasValueSatisfying(n -> assertThat(n)
                .contains("(in-conn: needs CAP_NET_RAW): SYN probes instead"));
    }

    @Test
    void synTracesNeverUseTheTransportThatTracesInsideAConnection() {
        Connecting c = new Connecting();
        PathTracer tracer = tracer(c, Availability.available(), Availability.available());
        TraceResult r = tracer.trace(tcp().build());
        assertThat(r.transport()).as("in-conn ranks higher, but connects").isEqualTo("syn");
        assertThat(r.tcpMode()).contains(TcpMode.SYN);
        assertThat(c.specs).isEmpty();

        PathTracer noSyn = tracer(new Connecting(), Availability.available(), Availability.unavailable("needs CAP_NET_RAW"));
        assertThatThrownBy(() -> noSyn.trace(tcp().build())).isInstanceOf(NoTransportAvailableException.class)
                .hasMessageContaining("in-conn: sends TCP probes only inside a connection (TcpMode.IN_CONNECTION)")
                .hasMessageContaining("syn: needs CAP_NET_RAW");
    }

    @Test
    void withNeitherTheErrorSaysBoth() {
        Connecting c = new Connecting();
        c.refusal = "in-conn: 192.0.2.1 port 8080: connect: ECONNREFUSED (Connection refused)";
        PathTracer tracer = tracer(c, Availability.available(), Availability.unavailable("needs CAP_NET_RAW"));
        assertThatThrownBy(() -> tracer.trace(tcp().tcpMode(TcpMode.IN_CONNECTION).build()))
                .isInstanceOf(NoTransportAvailableException.class)
                .hasMessageStartingWith("no trace inside a connection to 192.0.2.1 port 8080 (in-conn: 192.0.2.1 port 8080:"
                        + " connect: ECONNREFUSED (Connection refused)), and no usable transport for TCP probes to IPv4"
                        + " destinations:\n  - ")
                .hasMessageContaining("syn: needs CAP_NET_RAW");
    }

    @Test
    void aConnectionOpenedForATraceThatEndedMeanwhileIsClosed() throws Exception {
        Connecting c = new Connecting();
        c.connecting = new CountDownLatch(1);
        PathTracer tracer = tracer(c, Availability.available(), Availability.available());
        Measurement<TraceRequest, TraceResult> trace = tracer.start(tcp().tcpMode(TcpMode.IN_CONNECTION).build());
        assertThat(c.connectStarted.await(10, TimeUnit.SECONDS)).isTrue();
        trace.cancel();
        TraceResult r = trace.result().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
        c.connecting.countDown(); // the connection is made after the trace ended
        RealTimeTracers.await(c.sessionClosed::get, "the unused connection closed");
    }
}
