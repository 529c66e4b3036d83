package io.pathprobe.linux;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;

/** linux-tcp-connect against the portable contract kit, on loopback: runs for any user. */
class TcpConnectTransportContractTest extends ProbeTransportContractKit {
    @Override
    protected ProbeTransportProvider provider() {
        return new TcpConnectTransportProvider();
    }
}
