package io.pathprobe.macos;

import io.pathprobe.macos.internal.FakeDarwin;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;

/**
 * The transport compatibility kit's portable part, run on Linux against the macOS transport over a
 * simulated macOS kernel ({@link FakeDarwin}: xnu's ICMP datagram socket behaviour, loopback
 * answering, a plain thread for the kqueue loop). Everything above the seam is the real code:
 * provider, transport, sessions, codecs, demultiplexing, counters, closing.
 */
class MacosIcmpDatagramContractTest extends ProbeTransportContractKit {
    private final FakeDarwin host = new FakeDarwin();
    private final MacosIcmpDatagramProvider provider = new MacosIcmpDatagramProvider(host::platform);

    @Override
    protected ProbeTransportProvider provider() {
        return provider;
    }
}
