package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;

/** linux-udp-recverr against the portable contract kit, on loopback: runs for any user. */
class UdpRecverrTransportContractTest extends ProbeTransportContractKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new UdpRecverrTransportProvider();
    }
}
