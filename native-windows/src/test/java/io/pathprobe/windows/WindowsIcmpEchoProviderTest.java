package io.pathprobe.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import io.pathprobe.windows.internal.FakeIcmpApi;
import io.pathprobe.windows.internal.IcmpApi;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class WindowsIcmpEchoProviderTest {
    private static final Supplier<IcmpApi> NEVER = () -> {
        throw new AssertionError("the ICMP API must not be touched here");
    };

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(ServiceLoader.load(ProbeTransportProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(WindowsIcmpEchoProvider.class);
    }

    @Test
    void keepsItsNameAndPriority() {
        var p = new WindowsIcmpEchoProvider();
        assertThat(p.name()).isEqualTo("windows-icmp-echo");
        assertThat(p.priority()).isEqualTo(300);
    }

    @Test
    void claimsOnlyClassicFlowsBecauseWindowsChoosesIdentifierAndSequence() {
        // off Windows nothing is checked: the claim is what it does on a Windows with both stacks
        assertThat(new WindowsIcmpEchoProvider("Linux", "amd64", NEVER).capabilities()).containsExactlyInAnyOrder(TransportCapability.ICMP,
                TransportCapability.IPV4, TransportCapability.IPV6, TransportCapability.UNPRIVILEGED,
                TransportCapability.FLOW_PER_PROBE, TransportCapability.PAYLOAD_SIZE)
                .doesNotContain(TransportCapability.FLOW_FIXED, TransportCapability.FLOW_EXPLICIT,
                        TransportCapability.KERNEL_TIMESTAMPS, TransportCapability.QUOTED_CHECKSUM);
    }

    @Test
    void onAnotherOsSaysWhichOsItNeedsWithoutTouchingTheApi() {
        var a = new WindowsIcmpEchoProvider("Linux", "amd64", NEVER).availability();
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).isEqualTo("not Windows (os.name=Linux)");
        assertThat(a.otherPlatform()).as("left out of the one-line notes").isTrue();
        assertThat(a.unavailabilityCause()).isInstanceOf(TransportException.class);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "asserts this JVM is not on Windows")
    void thisJvmIsNotWindowsSoTheRealProviderIsUnavailable() {
        var a = new WindowsIcmpEchoProvider().availability();
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).startsWith("not Windows (os.name=");
    }

    @Test
    void aThirtyTwoBitJvmOnWindowsIsRefused() {
        var a = new WindowsIcmpEchoProvider("Windows 11", "x86", NEVER).availability();
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).contains("64-bit JVM").contains("os.arch=x86");
    }

    @Test
    void aBindingThatFailsIsTheCause() {
        var failure = new UnsatisfiedLinkError("iphlpapi.dll: not found");
        var a = new WindowsIcmpEchoProvider("Windows 11", "amd64", () -> {
            throw failure;
        }).availability();
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).contains("could not bind iphlpapi.dll");
        assertThat(a.unavailabilityCause()).hasCause(failure);
    }

    @Test
    void theKillSwitchTurnsItOff() {
        String key = "pathprobe.transport.windows-icmp-echo.disabled";
        System.setProperty(key, "true");
        try {
            var a = new WindowsIcmpEchoProvider("Windows 11", "amd64", NEVER).availability();
            assertThat(a.isAvailable()).isFalse();
            assertThat(a.reason()).contains(key);
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void onWindowsWithAWorkingApiItIsAvailableAndOpens() {
        FakeIcmpApi api = FakeIcmpApi.loopback();
        var p = new WindowsIcmpEchoProvider("Windows 11", "amd64", () -> api);
        assertThat(p.availability().isAvailable()).isTrue();
        assertThat(api.openHandles()).as("the availability check closed what it opened").isEmpty();
        try (ProbeTransport t = p.open()) {
            assertThat(t.name()).isEqualTo(p.name());
            assertThat(t.capabilities()).isEqualTo(p.capabilities());
        }
        assertThat(api.openHandles()).isEmpty();
        assertThat(api.violations()).isEmpty();
    }

    @Test
    void onWindowsWithoutIcmpv6ItOffersIpv4AloneAndSaysWhy() {
        // Wine: Icmp6CreateFile is a stub failing with ERROR_CALL_NOT_IMPLEMENTED
        FakeIcmpApi api = FakeIcmpApi.loopback();
        api.icmp6CreateFails(true);
        var p = new WindowsIcmpEchoProvider("Windows 10", "amd64", () -> api);
        assertThat(p.capabilities()).contains(TransportCapability.IPV4, TransportCapability.ICMP)
                .doesNotContain(TransportCapability.IPV6);
        assertThat(p.availability().isAvailable()).isTrue();
        assertThat(p.ipv6Unavailable()).isEqualTo("Icmp6CreateFile failed: ERROR_CALL_NOT_IMPLEMENTED (120)");
        assertThat(api.openHandles()).as("the availability check closed what it opened").isEmpty();
        try (ProbeTransport t = p.open()) {
            assertThat(t.capabilities()).isEqualTo(p.capabilities());
        }
        assertThat(api.openHandles()).isEmpty();
    }

    @Test
    void onWindowsWithIcmpv6ItClaimsIpv6() {
        FakeIcmpApi api = FakeIcmpApi.loopback();
        var p = new WindowsIcmpEchoProvider("Windows 11", "amd64", () -> api);
        assertThat(p.capabilities()).contains(TransportCapability.IPV4, TransportCapability.IPV6);
        assertThat(p.ipv6Unavailable()).isNull();
        assertThat(api.openHandles()).isEmpty();
    }

    @Test
    void openFailsWithTheReason() {
        var provider = new WindowsIcmpEchoProvider("Linux", "amd64", NEVER);
        assertThatThrownBy(provider::open)
                .isInstanceOf(TransportException.class)
                .hasMessageContaining(provider.availability().reason())
                .hasCauseInstanceOf(TransportException.class);
    }
}
