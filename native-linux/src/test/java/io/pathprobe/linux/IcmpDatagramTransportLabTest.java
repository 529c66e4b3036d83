package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportLabKit;

/** linux-icmp-dgram against the lab kit (tagged lab, inherited). */
class IcmpDatagramTransportLabTest extends ProbeTransportLabKit {
    static {
        TestNamespace.allowPingSockets();
    }

    @Override
    protected ProbeTransportProvider provider() {
        return new IcmpDatagramTransportProvider();
    }
}
