package io.pathprobe.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.DescribingItself}, the contract kit's group of describing itself:
 * the name, the capabilities (a protocol, an address family, a flow policy), availability with a reason, the open
 * transport describing itself as its provider. The kit's nested class of that name extends this class, so that
 * JUnit runs these tests, and Surefire reports them, as that nested class's. Part of the kit: extend
 * {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractDescribingItself extends ContractGroup {
    ContractDescribingItself(ProbeTransportContractKit kit) {
        super(kit);
    }

    @Test
    void nameAndCapabilitiesAreConsistent() {
        ProbeTransportProvider p = provider();
        assertThat(p.name()).isNotBlank().doesNotContainAnyWhitespaces();
        assertThat(p.capabilities()).as("capabilities must name at least one protocol")
                .containsAnyOf(TransportCapability.ICMP, TransportCapability.UDP, TransportCapability.TCP);
        assertThat(p.capabilities()).as("capabilities must name at least one address family")
                .containsAnyOf(TransportCapability.IPV4, TransportCapability.IPV6);
        assertThat(p.capabilities()).as("capabilities must name at least one flow policy")
                .containsAnyOf(TransportCapability.FLOW_FIXED, TransportCapability.FLOW_PER_PROBE,
                        TransportCapability.FLOW_EXPLICIT);
    }

    @Test
    void availabilityGivesAReasonAndAnUnavailableProviderRefusesToOpen() {
        Availability a = provider().availability();
        if (a.isAvailable()) {
            assertThat(a.unavailabilityCause()).isNull();
            assertThat(a.reason()).isEqualTo("available");
            return;
        }
        assertThat(a.unavailabilityCause()).as("an unavailable provider says why").isNotNull();
        assertThat(a.reason()).isNotBlank().isNotEqualTo("available");
        Throwable thrown = catchThrowable(() -> provider().open().close());
        assertThat(thrown).as("open() of an unavailable provider (%s)", a.reason())
                .isInstanceOf(TransportException.class);
    }

    @Test
    void theOpenTransportDescribesItselfAsItsProvider() {
        assertThat(transport().name()).isEqualTo(provider().name());
        assertThat(transport().capabilities()).isEqualTo(provider().capabilities());
    }
}
