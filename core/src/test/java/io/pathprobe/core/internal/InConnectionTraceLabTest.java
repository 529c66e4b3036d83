package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 26 on real kernel routers: SYN-flood protection in front of the destination (router 3 of a 6-hop
 * chain drops new TCP connections beyond a burst of 1, then 1 a minute: nftables {@code ct state new limit
 * rate over}, and passes established traffic), IPv4 and IPv6. A SYN trace loses the hops behind it (the
 * burst is spent by the connection, and no minute passes); a trace inside a connection shows every hop Linux
 * {@code traceroute -T -p PORT} shows on the same lab without the limit, and the service's connection ends
 * with a FIN, no byte delivered to it; where no connection can be had (a closed port, a SYN the limiter
 * drops) or used (a destination without SACK), the trace falls back to SYN probes and says why. What is asserted is what the rules make always
 * true; no timing.
 */
@LabTest
class InConnectionTraceLabTest {
    private static final int PORT = 8080;
    private static final int CLOSED_PORT = 8081;
    private static final int HOPS = 6;
    private static final int LIMITER = 3;

    private static Lab lab(boolean ipv6) {
        LabBuilder b = Lab.chain(HOPS).tcpService(PORT).limitNewTcpConnections(LIMITER, 1, 1).icmpUnlimited("traces inside a connection, many in a row through the same routers, every hop asserted");
        return (ipv6 ? b.ipv6() : b).inCurrentNamespace().build();
    }

    private static TraceRequest.Builder tcp(Lab lab, int port) {
        return tcp(lab.destination(), port);
    }

    private static TraceRequest.Builder tcp(InetAddress destination, int port) {
        return TraceRequest.builder(destination).protocol(ProbeProtocol.TCP).destinationPort(port)
                .maxTtl(HOPS + 2).probeTimeout(Duration.ofMillis(500));
    }

    private static TraceResult trace(TraceRequest request, @Nullable String transport) {
        PathTracerBuilder b = PathTracer.builder().offline().packetsPerSecond(0);
        if (transport != null) {
            b.preferredTransport(transport);
        }
        try (PathTracer t = b.build()) {
            return t.trace(request);
        }
    }

    private static List<Optional<InetAddress>> path(TraceResult r) {
        return r.hops().stream().map(Hop::address).toList();
    }

    @ParameterizedTest(name = "IPv6={0}")
    @ValueSource(booleans = {false, true})
    void behindSynFloodProtectionTheSynTraceLosesTheHopsBehindAndTheTraceInsideAConnectionShowsWhatTracerouteShowsWithoutIt(
            boolean ipv6) {
        try (Lab lab = lab(ipv6)) {
            InetAddress dest = ipv6 ? lab.destination6() : lab.destination();
            lab.newTcpConnectionLimit(false);
            List<String> options = new ArrayList<>(List.of("-n", "-T", "-p", Integer.toString(PORT)));
            if (ipv6) {
                options.add("-6");
            }
            List<Optional<InetAddress>> reference = Traceroute.run(options, dest);
            assertThat(reference).as("traceroute -T without the limit")
                    .isEqualTo(ipv6 ? lab.expectedPath6() : lab.expectedPath()).hasSize(HOPS);

            lab.newTcpConnectionLimit(true); // a full burst of 1: the connection's SYN
            // the full wait for every probe: a loaded machine's late answer is still an answer (no timing here)
            TraceResult in = trace(tcp(dest, PORT).tcpMode(TcpMode.IN_CONNECTION).adaptiveWait(false).build(), null);
            assertThat(in.transport()).as(in.toString()).isEqualTo("linux-tcp-in-connection");
            assertThat(in.tcpMode()).hasValue(TcpMode.IN_CONNECTION);
            assertThat(in.protocolNote()).as(in.toString()).isEmpty();
            assertThat(in.status()).as(in.toString()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            assertThat(path(in)).as("every hop traceroute -T shows without the limit:%n%s", in).isEqualTo(reference);
            assertThat(in.hops()).as(in.toString()).allSatisfy(h -> assertThat(h.statistics().received()).isEqualTo(3));

            TraceResult syn = trace(tcp(dest, PORT).build(), "linux-raw-tcp");
            System.out.printf("traceroute -T -p %d without the limit: %s%nwith the limit, inside a connection:%n%s%n"
                    + "with the limit, SYN probes:%n%s%n", PORT, reference, in, syn);
            assertThat(syn.tcpMode()).hasValue(TcpMode.SYN);
            assertThat(syn.destinationReached()).as("the burst is spent: no SYN passes the limiter%n%s", syn).isFalse();
            assertThat(syn.hops()).as(syn.toString()).filteredOn(h -> h.ttl() <= LIMITER)
                    .extracting(Hop::address).isEqualTo(reference.subList(0, LIMITER));
            assertThat(syn.hops()).as("the hops behind the limiter are lost:%n%s", syn)
                    .filteredOn(h -> h.ttl() > LIMITER).isNotEmpty().allSatisfy(h -> assertThat(h.silent()).isTrue());
            assertThat(lab.newTcpConnectionsDropped()).as("the limiter dropped the SYNs").isPositive();

            List<Lab.ServedConnection> served = awaitServed(lab, 1);
            assertThat(served).as("the service's one connection ended with a FIN, no byte delivered to it")
                    .containsExactly(new Lab.ServedConnection(0, false));
        }
    }

    @Test
    void aClosedPortFallsBackToSynProbesAndSaysWhy() {
        try (Lab lab = lab(false)) {
            lab.newTcpConnectionLimit(false);
            TraceResult r = trace(tcp(lab, CLOSED_PORT).tcpMode(TcpMode.IN_CONNECTION).build(), null);
            assertThat(r.tcpMode()).as(r.toString()).hasValue(TcpMode.SYN);
            assertThat(r.transport()).isEqualTo("linux-raw-tcp");
            assertThat(r.protocolNote()).as(r.toString()).hasValueSatisfying(n -> assertThat(n)
                    .contains("no trace inside a connection to " + lab.destination().getHostAddress() + " port " + CLOSED_PORT)
                    .contains("ECONNREFUSED").endsWith("SYN probes instead"));
            assertThat(r.status()).as("the SYNs' RST: the destination").isEqualTo(TraceStatus.DESTINATION_REACHED);
            assertThat(path(r)).isEqualTo(lab.expectedPath());
        }
    }

    @Test
    void aConnectionTheLimiterDropsFallsBackToSynProbesSayingNothingAnswered() {
        try (Lab lab = lab(false)) {
            TraceResult first = trace(tcp(lab, PORT).tcpMode(TcpMode.IN_CONNECTION).build(), null);
            assertThat(first.tcpMode()).as(first.toString()).hasValue(TcpMode.IN_CONNECTION);
            TraceResult second = trace(tcp(lab, PORT).tcpMode(TcpMode.IN_CONNECTION).build(), null);
            assertThat(second.tcpMode()).as("the limiter drops the second connection's SYNs%n%s", second)
                    .hasValue(TcpMode.SYN);
            assertThat(second.protocolNote()).as(second.toString()).hasValueSatisfying(n -> assertThat(n)
                    .contains("no connection within 1500 ms").endsWith("SYN probes instead"));
            assertThat(second.destinationReached()).isFalse();
        }
    }

    @Test
    void aDestinationWithoutSackFallsBackToSynProbesAndSaysWhy() throws Exception {
        try (Lab lab = lab(false)) {
            lab.newTcpConnectionLimit(false);
            Process p = new ProcessBuilder("ip", "netns", "exec", lab.namespace(HOPS), "sysctl", "-qw", "net.ipv4.tcp_sack=0")
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
            TraceResult r = trace(tcp(lab, PORT).tcpMode(TcpMode.IN_CONNECTION).build(), null);
            assertThat(r.tcpMode()).as(r.toString()).hasValue(TcpMode.SYN);
            assertThat(r.protocolNote()).as(r.toString()).hasValueSatisfying(n -> assertThat(n)
                    .contains("the destination did not permit SACK").endsWith("SYN probes instead"));
            assertThat(r.destinationReached()).as("its SYN-ACK: the destination").isTrue();
            assertThat(awaitServed(lab, 1)).as("the connection it could not use was closed with a FIN")
                    .containsExactly(new Lab.ServedConnection(0, false));
        }
    }

    /** The connections the service saw end, once {@code count} have (it reads each end a moment after it came). */
    private static List<Lab.ServedConnection> awaitServed(Lab lab, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Lab.ServedConnection> seen = new ArrayList<>(lab.tcpServiceConnections());
        while (seen.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            seen = new ArrayList<>(lab.tcpServiceConnections());
        }
        return seen;
    }
}
