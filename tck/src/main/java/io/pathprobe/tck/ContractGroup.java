package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.spec;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.util.List;

/**
 * A group of {@link ProbeTransportContractKit}'s tests, written in a file of its own: the kit's nested class
 * of the group's name (a JUnit {@code @Nested} class) extends the group's class, which extends this one. Its
 * tests reach the kit's instance helpers under the same names as in the kit, here, and the kit's static ones
 * by static import. Part of the kit: extend {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractGroup {
    private final ProbeTransportContractKit kit;

    ContractGroup(ProbeTransportContractKit kit) {
        this.kit = kit;
    }

    /** {@link ProbeTransportContractKit#provider()}. */
    final ProbeTransportProvider provider() {
        return kit.provider();
    }

    /** {@link ProbeTransportContractKit#assumeAvailable()}. */
    final void assumeAvailable() {
        kit.assumeAvailable();
    }

    /** {@link ProbeTransportContractKit#transport()}. */
    final ProbeTransport transport() {
        return kit.transport();
    }

    /** {@link ProbeTransportContractKit#protocols()}. */
    final List<ProbeProtocol> protocols() {
        return kit.protocols();
    }

    /** {@link ProbeTransportContractKit#flowPolicies()}. */
    final List<FlowPolicy> flowPolicies() {
        return kit.flowPolicies();
    }

    /** {@link ProbeTransportContractKit#loopbackTargets()}. */
    final List<InetAddress> loopbackTargets() {
        return kit.loopbackTargets();
    }

    /** {@link ProbeTransportContractKit#anySpec()}. */
    final SessionSpec anySpec() {
        return kit.anySpec();
    }

    /** A test's body for one claimed protocol and flow policy: that case's spec, and its label for messages. */
    @FunctionalInterface
    interface ClaimedCase {
        void run(ProbeProtocol protocol, FlowPolicy policy, SessionSpec spec, String what);
    }

    /**
     * Runs {@code body} once for every claimed protocol and flow policy, with that case's spec toward
     * {@link #anySpec()}'s destination.
     */
    final void forEachClaimedCase(ClaimedCase body) {
        InetAddress destination = anySpec().destination();
        for (ProbeProtocol protocol : protocols()) {
            for (FlowPolicy policy : flowPolicies()) {
                body.run(protocol, policy, spec(protocol, destination, policy), protocol + " " + policy);
            }
        }
    }

    /** A test's body for one session on loopback: the session, its recorder and the case it was opened for. */
    @FunctionalInterface
    interface LoopbackSession {
        void run(ProbeSession s, Recorder recorder, ProbeProtocol protocol, InetAddress target, FlowPolicy policy)
                throws SendFailedException;
    }

    /**
     * Runs {@code body} once for every claimed protocol, loopback target and flow policy, on a session opened for
     * that case with a recorder of its own, and closes the session after; assumes a loopback address of a claimed
     * family.
     */
    final void forEachLoopbackSession(LoopbackSession body) throws SendFailedException {
        ProbeTransport t = transport();
        assumeFalse(loopbackTargets().isEmpty(), "no loopback address of a claimed family");
        for (ProbeProtocol protocol : protocols()) {
            for (InetAddress target : loopbackTargets()) {
                for (FlowPolicy policy : flowPolicies()) {
                    Recorder recorder = new Recorder();
                    try (ProbeSession s = t.openSession(spec(protocol, target, policy), recorder)) {
                        body.run(s, recorder, protocol, target, policy);
                    }
                }
            }
        }
    }
}
