package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportLabKit;

/** linux-udp-recverr against the lab kit (tagged lab, inherited). */
class UdpRecverrTransportLabTest extends ProbeTransportLabKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new UdpRecverrTransportProvider();
    }
}
