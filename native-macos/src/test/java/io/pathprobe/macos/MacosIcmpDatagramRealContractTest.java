package io.pathprobe.macos;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;

/**
 * The compatibility kit's portable part against the real provider (jnr-ffi libc, Netty kqueue). Off
 * macOS the provider is unavailable: the kit checks that it says why and that open() refuses, and
 * skips the rest. On a Mac this is the first real run: every loopback check (127.0.0.1, ::1) through
 * real ICMP datagram sockets.
 */
class MacosIcmpDatagramRealContractTest extends ProbeTransportContractKit {
    private final MacosIcmpDatagramProvider provider = new MacosIcmpDatagramProvider();

    @Override
    protected ProbeTransportProvider provider() {
        return provider;
    }
}
