package io.pathprobe.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportException;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class WindowsIcmpEchoProviderTest {

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(ServiceLoader.load(ProbeTransportProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(WindowsIcmpEchoProvider.class);
    }

    @Test
    void onAnotherOsSaysWhichOsItNeeds() {
        assertThat(WindowsIcmpEchoProvider.availability("Linux").isAvailable()).isFalse();
        assertThat(WindowsIcmpEchoProvider.availability("Linux").reason()).isEqualTo("not Windows (os.name=Linux)");
    }

    @Test
    void onItsOwnOsSaysItIsNotImplementedYet() {
        var a = WindowsIcmpEchoProvider.availability("Windows 11");
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).contains("not implemented yet");
        assertThat(a.unavailabilityCause()).isInstanceOf(TransportException.class);
    }

    @Test
    void openFailsWithTheReason() {
        var provider = new WindowsIcmpEchoProvider();
        assertThatThrownBy(provider::open)
                .isInstanceOf(TransportException.class)
                .hasMessageContaining(provider.availability().reason())
                .hasCause(provider.availability().unavailabilityCause());
    }
}
