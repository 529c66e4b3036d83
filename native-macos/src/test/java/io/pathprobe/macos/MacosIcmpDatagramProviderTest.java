package io.pathprobe.macos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportException;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MacosIcmpDatagramProviderTest {

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(ServiceLoader.load(ProbeTransportProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(MacosIcmpDatagramProvider.class);
    }

    @Test
    void onAnotherOsSaysWhichOsItNeeds() {
        assertThat(MacosIcmpDatagramProvider.availability("Linux").isAvailable()).isFalse();
        assertThat(MacosIcmpDatagramProvider.availability("Linux").reason()).isEqualTo("not macOS (os.name=Linux)");
    }

    @Test
    void onItsOwnOsSaysItIsNotImplementedYet() {
        var a = MacosIcmpDatagramProvider.availability("Mac OS X");
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).contains("not implemented yet");
        assertThat(a.unavailabilityCause()).isInstanceOf(TransportException.class);
    }

    @Test
    void openFailsWithTheReason() {
        var provider = new MacosIcmpDatagramProvider();
        assertThatThrownBy(provider::open)
                .isInstanceOf(TransportException.class)
                .hasMessageContaining(provider.availability().reason())
                .hasCause(provider.availability().unavailabilityCause());
    }
}
