package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportLabKit;

/** linux-raw-udp against the lab kit (tagged lab, inherited) (the test JVM runs as root: CAP_NET_RAW). */
class RawUdpTransportLabTest extends ProbeTransportLabKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new RawUdpTransportProvider();
    }
}
