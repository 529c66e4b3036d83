package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportCompatibilityKit;

/** linux-raw-icmp against the compatibility kit (the test JVM runs as root: CAP_NET_RAW). */
class RawIcmpTransportCompatibilityTest extends ProbeTransportCompatibilityKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new RawIcmpTransportProvider();
    }
}
