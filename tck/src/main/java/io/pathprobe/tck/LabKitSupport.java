package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportLabKit.HOPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.lab.Lab;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the lab kit's test classes share: the hooks and accessors of {@link ProbeTransportLabKit}, which declares
 * and implements them, and the helpers that plan probes through the lab. The kit's tests are written in a chain
 * of classes, {@link LabPathTests} (real outcomes on the path) and {@link LabSessionTests} (sessions apart,
 * closing, listeners), which the kit extends (adding its own few), so that JUnit runs every one of them in the
 * test class that extends the kit. Part of the kit: extend {@link ProbeTransportLabKit}, not this.
 */
abstract class LabKitSupport {
    static final Duration ROUND = Duration.ofMillis(1300);
    static final int ROUNDS = 5;
    static final Duration QUIET = Duration.ofMillis(300);

    /** {@link ProbeTransportLabKit#provider()}, which the kit declares again (with its documentation). */
    protected abstract ProbeTransportProvider provider();

    // The kit's accessors, which ProbeTransportLabKit implements (final) and documents.

    abstract Lab lab();

    abstract ProbeTransport transport();

    abstract Stream<ProbeProtocol> protocols();

    abstract SessionSpec spec(ProbeProtocol protocol, InetAddress destination);

    // ---------------------------------------------------------------------------------------------
    // Helpers

    ProbeSession open(ProbeProtocol protocol, InetAddress destination, Recorder recorder) {
        assumeTrue(destination instanceof Inet6Address || provider().capabilities().contains(TransportCapability.IPV4),
                "the lab is IPv4; this transport does not claim IPv4");
        return transport().openSession(spec(protocol, destination), recorder);
    }

    static ProbePlan plan() {
        return new ProbePlan(ROUND, ROUNDS, QUIET);
    }

    /** What a probe with {@code ttl} toward the lab destination must bring back. */
    ProbePlan.Expectation expectationAt(ProbeProtocol protocol, int ttl) {
        if (ttl >= HOPS) {
            InetAddress destination = lab().destination();
            assertThat(lab().expectedResponder(HOPS)).contains(destination);
            if (protocol == ProbeProtocol.TCP) { // nothing listens on the destination's port {@value #UDP_PORT}
                return ProbePlan.Expectation.from(destination, ResponseKind.TCP_RESET, -1, "RST from the destination");
            }
            return protocol == ProbeProtocol.ICMP
                    ? ProbePlan.Expectation.from(destination, ResponseKind.ECHO_REPLY, 0,
                            "echo reply from the destination")
                    : ProbePlan.Expectation.from(destination, ResponseKind.DESTINATION_UNREACHABLE, 3,
                            "port unreachable from the destination");
        }
        Optional<InetAddress> router = lab().expectedResponder(ttl);
        return router.map(r -> ProbePlan.Expectation.from(r, ResponseKind.TIME_EXCEEDED, 0,
                        "time exceeded from router " + r.getHostAddress()))
                .orElseGet(ProbePlan.Expectation::silence);
    }

    /** What a TCP SYN with {@code ttl} toward the lab destination must bring back. */
    ProbePlan.Expectation tcpExpectationAt(int ttl) {
        if (ttl >= HOPS) {
            return ProbePlan.Expectation.from(lab().destination(), ResponseKind.TCP_RESET, -1,
                    "RST from the destination (nothing listens on the port)");
        }
        return expectationAt(ProbeProtocol.TCP, ttl);
    }

    /** The TTLs (from {@code from}, below the destination) whose router answers. */
    List<Integer> answeringRouterTtls(int from) {
        List<Integer> out = new ArrayList<>();
        for (int ttl = from; ttl < HOPS; ttl++) {
            if (lab().expectedResponder(ttl).isPresent()) {
                out.add(ttl);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
