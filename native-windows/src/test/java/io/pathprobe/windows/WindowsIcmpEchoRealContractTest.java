package io.pathprobe.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.tck.ProbeTransportContractKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The compatibility kit's portable part against the real provider (the jnr-ffi binding of
 * iphlpapi.dll). Here, off Windows, the kit checks that it is unavailable with a reason and that
 * open() refuses, and skips the rest; on Windows it probes 127.0.0.1 and, where Icmp6CreateFile
 * works, ::1 for real. Under Wine (build/wine-check) that is IPv4 alone: Wine 8's Icmp6CreateFile is
 * a stub, so the provider does not claim IPv6 and the kit probes only the families claimed;
 * {@link #ipv6IsClaimedWhereIcmp6CreateFileWorks()} is then skipped with the reason.
 */
class WindowsIcmpEchoRealContractTest extends ProbeTransportContractKit {
    private static final WindowsIcmpEchoProvider PROVIDER = new WindowsIcmpEchoProvider();

    @Override
    protected ProbeTransportProvider provider() {
        return PROVIDER;
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void ipv6IsClaimedWhereIcmp6CreateFileWorks() {
        assumeTrue(PROVIDER.availability().isAvailable(), () -> "unavailable: " + PROVIDER.availability().reason());
        String why = PROVIDER.ipv6Unavailable();
        assumeTrue(why == null, () -> "IPv6 not tested here, only IPv4: " + why
                + " (Wine has no ICMPv6: its Icmp6CreateFile is a stub)");
        assertThat(PROVIDER.capabilities()).contains(TransportCapability.IPV6);
    }
}
