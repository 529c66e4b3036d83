package io.pathprobe.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Linux providers' kill switch, {@code pathprobe.transport.<name>.disabled=true}: checked before
 * anything else, so this runs anywhere, unprivileged.
 */
class KillSwitchTest {
    @Test
    void theKillSwitchMakesEachProviderUnavailableAndOpenSaysWhy() {
        for (ProbeTransportProvider provider : List.of(new IcmpDatagramTransportProvider(),
                new RawIcmpTransportProvider(), new UdpRecverrTransportProvider())) {
            String property = "pathprobe.transport." + provider.name() + ".disabled";
            String previous = System.getProperty(property);
            System.setProperty(property, "true");
            try {
                Availability a = provider.availability();
                assertThat(a.isAvailable()).as(provider.name()).isFalse();
                assertThat(a.unavailabilityCause()).isNotNull();
                assertThat(a.reason()).isEqualTo("disabled by system property " + property + "=true");
                Throwable thrown = catchThrowable(() -> provider.open().close());
                assertThat(thrown).isInstanceOf(TransportException.class);
                assertThat(thrown.getMessage()).contains(a.reason());
            } finally {
                if (previous == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, previous);
                }
            }
            assertThat(provider.availability().reason()).doesNotContain(property);
        }
    }
}
