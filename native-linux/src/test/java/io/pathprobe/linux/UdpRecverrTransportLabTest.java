package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportCompatibilityKit;

/** linux-udp-recverr against the compatibility kit. */
class UdpRecverrTransportCompatibilityTest extends ProbeTransportCompatibilityKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new UdpRecverrTransportProvider();
    }
}
