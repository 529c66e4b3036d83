package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportCompatibilityKit;

/** linux-icmp-dgram against the compatibility kit. */
class IcmpDatagramTransportCompatibilityTest extends ProbeTransportCompatibilityKit {
    static {
        TestNamespace.allowPingSockets();
    }

    @Override
    protected ProbeTransportProvider provider() {
        return new IcmpDatagramTransportProvider();
    }
}
