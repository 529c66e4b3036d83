package io.pathprobe.tck;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
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
}
