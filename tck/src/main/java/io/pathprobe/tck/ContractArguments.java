package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.PORT;
import static io.pathprobe.tck.ProbeTransportContractKit.address;
import static io.pathprobe.tck.ProbeTransportContractKit.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.Arguments}, the contract kit's group of arguments: sequences,
 * flows, payload sizes, protocols, address families and flow policies that a transport refuses. The kit's nested
 * class of that name extends this class, so that JUnit runs these tests, and Surefire reports them, as that nested
 * class's. Part of the kit: extend {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractArguments extends ContractGroup {
    ContractArguments(ProbeTransportContractKit kit) {
        super(kit);
    }

    @Test
    void sequencesAndFlowsBeyondTheSessionsRangesAreRejected() {
        ProbeTransport t = transport();
        forEachClaimedCase((protocol, policy, spec, what) -> {
            try (ProbeSession s = t.openSession(spec, new Recorder())) {
                int max = s.maxSequence();
                assertThat(max).as("%s maxSequence", what).isGreaterThanOrEqualTo(255)
                        .isLessThanOrEqualTo(65535);
                // only where the port counts with the sequence: UDP classic (Paris carries it
                // elsewhere; TCP varies the source port)
                if (protocol == ProbeProtocol.UDP && policy == FlowPolicy.PER_PROBE) {
                    assertThat(max).as("%s maxSequence keeps ports within 65535", what)
                            .isLessThanOrEqualTo(65535 - PORT);
                }
                if (policy == FlowPolicy.EXPLICIT) {
                    assertThat(s.maxFlow()).as("%s offers at least two flows", what).isPositive();
                } else {
                    assertThat(s.maxFlow()).as("%s maxFlow", what).isZero();
                }
                int maxFlow = s.maxFlow();
                assertThatThrownBy(() -> s.send(ProbeSpec.of(max + 1, 5))).as(what)
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> s.send(new ProbeSpec(1, 5, maxFlow + 1))).as(what)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        });
    }

    /**
     * Markings ({@link SessionSpec#trafficClass()}): a transport without {@link TransportCapability#TRAFFIC_CLASS}
     * refuses a session asking for one (DSCP 46, EF) with IllegalArgumentException; one with it opens that session
     * for every protocol and flow policy it offers. (ECN bits are not asked for here: a connecting TCP transport
     * may refuse them, the kernel setting them itself.)
     */
    @Test
    void trafficClassesAreHonouredOrRefused() {
        ProbeTransport t = transport();
        boolean claimed = provider().capabilities().contains(TransportCapability.TRAFFIC_CLASS);
        forEachClaimedCase((protocol, policy, spec, what) -> {
            SessionSpec marked = spec.withTrafficClass(46 << 2);
            if (!claimed) {
                assertThatThrownBy(() -> t.openSession(marked, new Recorder()).close())
                        .as("%s: a marking refused without TRAFFIC_CLASS", what)
                        .isInstanceOf(IllegalArgumentException.class);
            } else {
                t.openSession(marked, new Recorder()).close();
            }
        });
    }

    /**
     * Payload sizes: a transport without {@link TransportCapability#PAYLOAD_SIZE} refuses any size
     * but the default (TCP: but 0) with IllegalArgumentException; one with it accepts 56 for ICMP
     * and UDP, and refuses a size below its minimum naming a number. TCP never takes data.
     */
    @Test
    void payloadSizesAreHonouredOrRefused() {
        ProbeTransport t = transport();
        boolean claimed = provider().capabilities().contains(TransportCapability.PAYLOAD_SIZE);
        forEachClaimedCase((protocol, policy, spec, what) -> {
            if (protocol == ProbeProtocol.TCP || !claimed) {
                assertThatThrownBy(() -> t.openSession(spec.withPayloadSize(100), new Recorder()).close())
                        .as("%s: payload size 100 refused", what).isInstanceOf(IllegalArgumentException.class);
            } else {
                t.openSession(spec.withPayloadSize(56), new Recorder()).close();
            }
            if (protocol == ProbeProtocol.TCP) {
                t.openSession(spec.withPayloadSize(0), new Recorder()).close(); // a SYN carries no data anyway
                return;
            }
            Throwable zero = catchThrowable(() -> t.openSession(spec.withPayloadSize(0),
                    new Recorder()).close());
            if (zero != null) {
                assertThat(zero).as("%s: payload size 0", what).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageMatching("(?s).*\\d.*");
            }
        });
    }

    @Test
    void unclaimedProtocolsFamiliesAndFlowPoliciesAreRefused() {
        ProbeTransport t = transport();
        SessionSpec base = anySpec();
        for (ProbeProtocol protocol : ProbeProtocol.values()) {
            if (!protocols().contains(protocol)) {
                assertThatThrownBy(() -> t.openSession(spec(protocol, base.destination(), base.flowPolicy()),
                        new Recorder())).as(protocol + " is not claimed").isInstanceOf(TransportException.class);
            }
        }
        for (FlowPolicy policy : FlowPolicy.values()) {
            if (!flowPolicies().contains(policy)) {
                assertThatThrownBy(() -> t.openSession(base.withFlowPolicy(policy), new Recorder()))
                        .as(policy + " is not claimed").isInstanceOf(TransportException.class)
                        .hasMessageContaining(policy.name());
            }
        }
        if (!provider().capabilities().contains(TransportCapability.IPV6)) {
            assertThatThrownBy(() -> t.openSession(spec(base.protocol(), address("::1"), base.flowPolicy()),
                    new Recorder())).as("IPv6 is not claimed").isInstanceOf(TransportException.class);
        }
        if (!provider().capabilities().contains(TransportCapability.IPV4)) {
            assertThatThrownBy(() -> t.openSession(spec(base.protocol(), address("127.0.0.1"), base.flowPolicy()),
                    new Recorder())).as("IPv4 is not claimed").isInstanceOf(TransportException.class);
        }
    }
}
