package io.pathprobe.tck;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The portable transport contract: what every {@link ProbeTransportProvider} must do, checked on
 * loopback only ({@code 127.0.0.1}, and {@code ::1} when the provider claims IPv6 and the host has
 * it). It needs no lab, no root and no particular operating system, so it runs in a plain
 * {@code mvn test} anywhere. A transport's tests extend it once per provider:
 *
 * <pre>{@code
 * class MyTransportContractTest extends ProbeTransportContractKit {
 *     @Override
 *     protected ProbeTransportProvider provider() {
 *         return new MyTransportProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>When the provider is unavailable here ({@code availability()}), the kit checks that it says
 * why and that {@code open()} refuses, and skips (JUnit assumptions) every test that needs an open
 * transport. The groups:
 * <ul>
 *   <li>{@link DescribingItself}: name, capabilities (a protocol, an address family, a flow policy),
 *       availability with a reason, the open transport describing itself as its provider;
 *   <li>{@link Lifecycle}: closing is idempotent; after a transport is closed, opening a session
 *       throws {@link TransportException} and sending throws {@link IllegalStateException} or
 *       {@link SendFailedException}; the same for a closed session; {@code afterPendingAnswers} on a
 *       closed session runs its action at once;
 *   <li>{@link Arguments}: sequences beyond {@code maxSequence()} and flows beyond {@code maxFlow()}
 *       are rejected with {@link IllegalArgumentException}; unclaimed protocols, address families
 *       and flow policies with {@link TransportException} (naming the policy); a payload size is
 *       accepted by {@link TransportCapability#PAYLOAD_SIZE} transports (ICMP, UDP) and refused with
 *       {@link IllegalArgumentException} by others and by TCP (but 0), a size below a transport's
 *       minimum naming it;
 *   <li>{@link LoopbackAnswers}: every claimed protocol, family and flow policy gets its answer from
 *       loopback (echo reply for ICMP, port unreachable for UDP, SYN-ACK or RST for TCP) with the
 *       sequence number unchanged, 0 and {@code maxSequence()} included, a positive RTT, on a
 *       transport thread, and fields that are either {@link ProbeResponse#UNKNOWN} or in range;
 *   <li>{@link Closing}: once {@code close()} returns, whether it was called from a test thread while
 *       answers were on their way or from the listener on the transport's thread, the listener is
 *       not called again; {@code afterPendingAnswers} runs its action only after the answers already
 *       received were delivered, even while the transport's thread is held up; a throwing listener
 *       does not stop the transport;
 *   <li>{@link Counting}: when the transport counts ({@code counters()}), {@code read == delivered +
 *       dropped}, delivered answers are exactly those listeners took, and a throwing listener's are
 *       dropped as {@link DropReason#LISTENER_FAILED};
 *   <li>{@link Leaks}: opening and closing many sessions, and transports, leaks neither file
 *       descriptors nor threads.
 * </ul>
 *
 * <p>Loopback answers are quick; a probe is sent again (same sequence) when its answer does not come
 * within a round, which covers the kernel's global ICMP error rate limit.
 *
 * <p>The groups are nested classes of this one, so build tools that report by class name (Maven
 * Surefire) report every provider's groups under the same names; a failure's message therefore
 * starts with the provider's name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ProbeTransportContractKit.NamesTheProvider.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProbeTransportContractKit {
    /** UDP and TCP sessions' destination port: nothing listens there on loopback. */
    protected static final int PORT = 33434;

    static final Duration ROUND = Duration.ofMillis(1000);
    static final int ROUNDS = 4;
    static final Duration QUIET = Duration.ofMillis(200);

    private @Nullable Availability availability;
    private final SharedTransport shared = new SharedTransport();

    /** The provider under test; a new instance or a shared one. */
    protected abstract ProbeTransportProvider provider();

    @BeforeAll
    final void openTransportIfAvailable() {
        Availability a = provider().availability();
        availability = a;
        if (a.isAvailable()) {
            shared.open(provider());
        }
    }

    @AfterAll
    final void closeTransport() {
        shared.close();
    }

    /** Skips the calling test when the provider is unavailable here, saying why. */
    protected final void assumeAvailable() {
        Availability a = availability();
        assumeTrue(a.isAvailable(), () -> provider().name() + " is unavailable here: " + a.reason());
    }

    private Availability availability() {
        Availability a = availability;
        return a != null ? a : provider().availability();
    }

    /** The transport the tests share (opened before all tests, closed after); skips when unavailable. */
    protected final ProbeTransport transport() {
        assumeAvailable();
        return shared.get();
    }

    /** The protocols the provider claims. */
    protected final List<ProbeProtocol> protocols() {
        return Claims.protocols(provider(), List.of(ProbeProtocol.values()));
    }

    /** The flow policies the provider claims. */
    protected final List<FlowPolicy> flowPolicies() {
        return Claims.flowPolicies(provider());
    }

    /** The loopback addresses to probe: 127.0.0.1 if IPv4 is claimed, ::1 if IPv6 is and the host has it. */
    protected final List<InetAddress> loopbackTargets() {
        List<InetAddress> out = new ArrayList<>();
        if (provider().capabilities().contains(TransportCapability.IPV4)) {
            out.add(address("127.0.0.1"));
        }
        if (provider().capabilities().contains(TransportCapability.IPV6)) {
            InetAddress v6 = address("::1");
            if (hasLoopbackAddress(v6)) {
                out.add(v6);
            }
        }
        return out;
    }

    /** A session spec toward {@code destination} (port {@value #PORT}, flow 0). */
    protected static SessionSpec spec(ProbeProtocol protocol, InetAddress destination, FlowPolicy policy) {
        return new SessionSpec(protocol, destination, PORT, policy, 0);
    }

    /** The first claimed protocol, loopback target and flow policy: what single-session tests use. */
    SessionSpec anySpec() {
        List<InetAddress> targets = loopbackTargets();
        assumeFalse(targets.isEmpty(), "no loopback address of a claimed family");
        return spec(protocols().get(0), targets.get(0), flowPolicies().get(0));
    }

    /** What a probe toward loopback {@code target} must bring back. */
    static ProbePlan.Expectation expectation(ProbeProtocol protocol, InetAddress target) {
        boolean v6 = target instanceof Inet6Address;
        switch (protocol) {
            case ICMP:
                return ProbePlan.Expectation.from(target, ResponseKind.ECHO_REPLY, 0, "echo reply from " + target);
            case UDP:
                return ProbePlan.Expectation.from(target, ResponseKind.DESTINATION_UNREACHABLE, v6 ? 4 : 3,
                        "port unreachable from " + target);
            default:
                return ProbePlan.Expectation.from(target, ResponseKind.TCP_RESET, -1, "RST from " + target);
        }
    }

    static ProbePlan plan() {
        return new ProbePlan(ROUND, ROUNDS, QUIET);
    }

    // ---------------------------------------------------------------------------------------------
    // The groups. Each is written in a class of its own file (ContractDescribingItself.java and so on), which
    // the nested class here extends: JUnit runs the tests a nested class inherits, and reports them, as before,
    // under the nested class's name.

    @Nested
    @DisplayName("describing itself")
    class DescribingItself extends ContractDescribingItself {
        DescribingItself() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("lifecycle")
    class Lifecycle extends ContractLifecycle {
        Lifecycle() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("arguments")
    class Arguments extends ContractArguments {
        Arguments() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("loopback answers")
    class LoopbackAnswers extends ContractLoopbackAnswers {
        LoopbackAnswers() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("closing")
    class Closing extends ContractClosing {
        Closing() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("counting")
    class Counting extends ContractCounting {
        Counting() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("TCP answers")
    class TcpAnswers extends ContractTcpAnswers {
        TcpAnswers() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("probes in flight")
    class InFlight extends ContractInFlight {
        InFlight() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("checksum evidence")
    class ChecksumEvidence extends ContractChecksumEvidence {
        ChecksumEvidence() {
            super(ProbeTransportContractKit.this);
        }
    }

    @Nested
    @DisplayName("leaks")
    class Leaks extends ContractLeaks {
        Leaks() {
            super(ProbeTransportContractKit.this);
        }
    }

    /** Prefixes a failure with the provider's name (the nested groups' names are the same for every provider). */
    static final class NamesTheProvider implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            Object outer = context.getRequiredTestInstances().getAllInstances().get(0);
            if (thrown instanceof AssertionError && outer instanceof ProbeTransportContractKit) {
                String name = ((ProbeTransportContractKit) outer).provider().name();
                AssertionError named = new AssertionError("[" + name + "] " + thrown.getMessage(), thrown.getCause());
                named.setStackTrace(thrown.getStackTrace());
                throw named;
            }
            throw thrown;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers shared with the lab kit

    static void awaitLatch(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Busy-waits {@code d} (microseconds: too short for sleep) to vary where a race falls. */
    static void spin(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static boolean hasLoopbackAddress(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
