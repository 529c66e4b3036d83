package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportLabKit;

/** linux-tcp-connect against the lab kit (tagged lab, inherited). */
class TcpConnectTransportLabTest extends ProbeTransportLabKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new TcpConnectTransportProvider();
    }
}
