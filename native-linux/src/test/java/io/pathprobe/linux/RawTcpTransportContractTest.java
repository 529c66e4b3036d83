package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;

/** linux-raw-tcp against the portable contract kit, on loopback; skipped without CAP_NET_RAW. */
class RawTcpTransportContractTest extends ProbeTransportContractKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new RawTcpTransportProvider();
    }
}
