package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.TracerStats;
import io.pathprobe.lab.Ipv6Off;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21, "a send that can never succeed ends the measurement at once": an IPv6 target from the
 * IPv4-only lab (IPv6 is off in the lab and the host interface has no IPv6 address). Two shapes of
 * this host: IPv6 on but without a route to the target (ENETUNREACH: NO_ROUTE), and IPv6 disabled
 * in this test JVM's own network namespace (no source address of the family, EADDRNOTAVAIL:
 * SEND_FAILED, the case). Trace, discoverPaths and ping, every protocol: one typed status
 * with the cause, never COMPLETED, and no more than one failed send per measurement (never the
 * 90 of a whole trace): "at once" is counted in sends, not timed. The route-less case runs first:
 * once IPv6 was off, loopback may come back without ::1, and then the kernel answers EADDRNOTAVAIL
 * there too.
 */
@LabTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SendFailureLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(3).inCurrentNamespace());

    /** The dual-stack lab's destination, unroutable here. */
    private static final String TARGET = "2001:db8:100::1";

    @Test
    @Order(1)
    void ipv6TargetWithoutARouteIsNoRouteAtOnce() throws Exception {
        everyMeasurementEndsAtOnce(TraceStatus.NO_ROUTE, MultipathStatus.NO_ROUTE, PingError.Type.NO_ROUTE, "ENETUNREACH");
    }

    @Test
    @Order(2)
    void ipv6TargetOnAnIpv4OnlyHostIsSendFailedAtOnce() throws Exception {
        Path newDevices = Path.of("/proc/sys/net/ipv6/conf/default/disable_ipv6");
        String before = Files.readString(newDevices).strip();
        try (Ipv6Off off = Ipv6Off.inThisNamespace()) {
            everyMeasurementEndsAtOnce(TraceStatus.SEND_FAILED, MultipathStatus.SEND_FAILED, PingError.Type.SEND_FAILED,
                    "EADDRNOTAVAIL");
        }
        // the tests after this one share the namespace: a device made now must have IPv6 again
        assertThat(Files.readString(newDevices).strip()).as("IPv6 for new devices after the test").isEqualTo(before);
    }

    private static void everyMeasurementEndsAtOnce(TraceStatus traceStatus, MultipathStatus multipathStatus,
            PingError.Type pingError, String errno) throws Exception {
        for (ProbeProtocol protocol : ProbeProtocol.values()) {
            try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                TraceResult r = tracer.trace(TraceRequest.builder(TARGET).protocol(protocol).build());
                assertThat(r.status()).as(protocol + " " + r + " " + r.sendFailure()).isEqualTo(traceStatus);
                assertThat(r.sendFailure()).as(protocol + " " + r).hasValueSatisfying(f -> assertThat(f).contains(errno));
                assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().sent()).isZero());
                assertFewSends(tracer, protocol + " trace");
            }
            try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                MultipathResult r = tracer.measure(MultipathRequest.builder(TARGET).protocol(protocol).build());
                assertThat(r.status()).as(protocol + " " + r.notes()).isEqualTo(multipathStatus);
                assertThat(r.complete()).isFalse();
                assertThat(r.nodes()).isEmpty();
                assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains(errno));
                assertFewSends(tracer, protocol + " multipath");
            }
        }
        for (PingKind kind : List.of(PingKind.ICMP, PingKind.UDP, PingKind.TCP)) {
            try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                // the IPv4 target goes on and answers every probe; the IPv6 one ends at its first send
                PingResult r = tracer.measure(PingRequest.builder().kind(kind)
                        .targets(List.of(LAB.lab().destination().getHostAddress(), TARGET)).count(3)
                        .interval(Duration.ofMillis(20)).probeTimeout(Duration.ofSeconds(2)).build());
                assertThat(r.status()).isEqualTo(PingStatus.COMPLETED);
                PingTargetResult v4 = r.targets().get(0);
                PingTargetResult v6 = r.targets().get(1);
                assertThat(v4.statistics().received()).as(kind + " " + v4).isEqualTo(3);
                assertThat(v6.error()).as(kind + " " + v6).hasValueSatisfying(e -> {
                    assertThat(e.type()).isEqualTo(pingError);
                    assertThat(e.message()).contains(errno);
                });
                assertThat(v6.statistics().sent()).isZero();
                assertThat(v6.statistics().errors()).as("one failed send, not one per slot").isEqualTo(1);

                PingResult alone = tracer.measure(PingRequest.builder().kind(kind)
                        .target(TARGET).count(10).interval(Duration.ofMillis(20)).build());
                assertThat(alone.status()).isEqualTo(pingError == PingError.Type.NO_ROUTE ? PingStatus.NO_ROUTE
                        : PingStatus.SEND_FAILED);
                assertThat(alone.first().statistics().errors()).isEqualTo(1);
            }
        }
    }

    /** Nothing sent, and at most one refused send per measurement: the first. */
    private static void assertFewSends(PathTracer tracer, String what) {
        TracerStats s = tracer.stats();
        assertThat(s.probesSent()).as(what).isZero();
        assertThat(s.sendFailures()).as(what).isBetween(1L, 1L);
    }
}
