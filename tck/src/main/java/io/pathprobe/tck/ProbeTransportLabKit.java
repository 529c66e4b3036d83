package io.pathprobe.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCounters;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Linux-lab part of the transport compatibility kit: what every {@link ProbeTransportProvider}
 * must do on a real routed network. The portable part, {@link ProbeTransportContractKit}, checks the
 * contract on loopback (lifecycle, ranges, refusals, close-then-silence, counters, leaks) and runs
 * anywhere; this one needs Linux and root. A transport's tests extend both, once per provider:
 *
 * <pre>{@code
 * // tagged "lab" through this class
 * class MyTransportLabTest extends ProbeTransportLabKit {
 *     @Override
 *     protected ProbeTransportProvider provider() {
 *         return new MyTransportProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>Tagged {@code lab}: pathprobe's build runs these tests only in its lab run. The network is a
 * {@link Lab}: a chain of {@value #HOPS} hops built from Linux network namespaces, whose routers at
 * TTL 5, 12 and 20 never answer, with this JVM's namespace as the probing host. So the test JVM
 * should run in a private network namespace (pathprobe's build runs it through
 * {@code build/netns/bin/java}); it probes only the lab. The provider must be usable there:
 * {@code availability()} available.
 *
 * <p>The lab is an optional dependency of this kit: a transport that extends this class adds
 * {@code io.pathprobe:pathprobe-lab} to its test dependencies (one that extends only the contract
 * kit never gets it).
 *
 * <p>Every protocol the provider claims of ICMP and UDP is checked; UDP sessions use destination
 * port {@value #UDP_PORT}; sessions use the first flow policy the provider claims, and one test
 * each claimed policy. What it checks, at the SPI level:
 * <ul>
 *   <li>each TTL 1..{@value #HOPS} is answered by exactly the lab's expected responder with the
 *       right kind (Time Exceeded from routers; echo reply, or port unreachable for UDP, from the
 *       destination), silent hops by nobody, beyond the destination by the destination;
 *   <li>sequence numbers come back unchanged, including 0, byte boundaries and {@code maxSequence()};
 *       RTTs ({@code receivedNanos - send()}) are positive and plausible;
 *   <li>every claimed flow policy (and, for {@link FlowPolicy#EXPLICIT}, flows 0, 1 and
 *       {@code maxFlow()}) reaches routers and the destination;
 *   <li>fields the transport fills are right: the reply TTL (64 less one per router on the way
 *       back), the quoted TTL of a Time Exceeded (1);
 *   <li>an address with no route is reported DESTINATION_UNREACHABLE code 0 by the first router;
 *   <li>sessions to the same destination, and many sessions sending from many threads at once,
 *       never see each other's answers; answers come on a transport thread;
 *   <li>after a session's {@code close()} returns its listener is not called again, whether it was
 *       closed from a test thread while answers were on their way or from a listener on the
 *       transport's thread while its answer was already queued; a session may be used and closed
 *       from a listener; a throwing listener does not stop the transport;
 *   <li>{@link ProbeSession#afterPendingAnswers} runs its action only after answers that had
 *       already arrived were delivered, even while the transport's thread is held up;
 *   <li>the transport's counters, if it keeps them, add up after all that.
 * </ul>
 *
 * <p>Linux routers rate-limit ICMP errors (about 6 at once per source, then one per second); the
 * kit spreads its probes over the routers and sends a probe again (same sequence) when its answer
 * does not come within a round, so it passes with the kernel's default limits.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProbeTransportLabKit extends LabSessionTests {
    /** Hops in the lab chain; the destination answers at this TTL. */
    protected static final int HOPS = 29;
    /** UDP sessions' destination port (sequence 0). */
    protected static final int UDP_PORT = 33434;

    /** The lab: built before the first test of each concrete class, torn down after its last. */
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(HOPS).silentHops(5, 12, 20).inCurrentNamespace());

    private final SharedTransport shared = new SharedTransport();

    /** The provider under test; a new instance or a shared one. */
    protected abstract ProbeTransportProvider provider();

    /** The lab of the running test class. */
    protected final Lab lab() {
        return LAB.lab();
    }

    @BeforeAll
    final void openTransport() {
        Availability availability = provider().availability();
        assertThat(availability.isAvailable())
                .as("%s must be available in the test environment, but: %s", provider().name(), availability.reason())
                .isTrue();
        shared.open(provider());
    }

    @AfterAll
    final void closeTransport() {
        shared.close();
    }

    /** The transport the tests share (opened before all tests, closed after). */
    protected final ProbeTransport transport() {
        return shared.get();
    }

    /** The protocols the provider claims that the lab can check (ICMP, UDP, TCP). */
    protected final Stream<ProbeProtocol> protocols() {
        return Claims.protocols(provider(), List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP, ProbeProtocol.TCP)).stream();
    }

    // ---------------------------------------------------------------------------------------------
    // The kit's own tests. The others are inherited: real outcomes on the path (LabPathTests), sessions
    // apart, closing and listeners (LabSessionTests).

    // Describing itself

    @Test
    void isAvailableInTheTestEnvironment() {
        Availability a = provider().availability();
        assertThat(a.isAvailable()).as(a.reason()).isTrue();
        assertThat(a.unavailabilityCause()).isNull();
        assertThat(a.reason()).isEqualTo("available");
    }

    // Counters

    /** After everything the lab threw at it: {@code read == delivered + dropped}. */
    @Test
    void countersAddUpAfterLabTraffic() {
        Optional<TransportCounters> present = transport().counters();
        assumeTrue(present.isPresent(), "the transport does not count");
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        TransportCounters c = present.get();
        while (c.read() != c.delivered() + c.droppedTotal() && System.nanoTime() < deadline) {
            ProbePlan.sleep(Duration.ofMillis(20));
            c = transport().counters().orElseThrow();
        }
        assertThat(c.read()).as("read == delivered + dropped: %s", c).isEqualTo(c.delivered() + c.droppedTotal());
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** Every claimed protocol with every claimed flow policy. */
    protected final Stream<org.junit.jupiter.params.provider.Arguments> flowCases() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        protocols().forEach(protocol -> {
            for (FlowPolicy policy : Claims.flowPolicies(provider())) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(protocol, policy));
            }
        });
        return out.stream();
    }

    /** A session spec for the lab (UDP on {@value #UDP_PORT}) with the first flow policy the provider claims. */
    protected final SessionSpec spec(ProbeProtocol protocol, InetAddress destination) {
        List<FlowPolicy> policies = Claims.flowPolicies(provider());
        if (policies.isEmpty()) {
            throw new AssertionError(provider().name() + " claims no flow policy");
        }
        return new SessionSpec(protocol, destination, UDP_PORT, policies.get(0), 0);
    }
}
