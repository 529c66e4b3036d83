package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;

/** linux-raw-udp against the portable contract kit, on loopback; skipped without CAP_NET_RAW. */
class RawUdpTransportContractTest extends ProbeTransportContractKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new RawUdpTransportProvider();
    }
}
