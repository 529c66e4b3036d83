package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;

/**
 * linux-icmp-dgram against the portable contract kit, on loopback. Unavailable (and then skipped)
 * when net.ipv4.ping_group_range excludes this process's groups; in a private test namespace where
 * the range can be widened, it is.
 */
class IcmpDatagramTransportContractTest extends ProbeTransportContractKit {
    static {
        TestNamespace.tryAllowPingSockets();
    }

    @Override
    protected ProbeTransportProvider provider() {
        return new IcmpDatagramTransportProvider();
    }
}
