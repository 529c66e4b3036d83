package io.pathprobe.windows;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;

/**
 * The compatibility kit's portable part against the real provider (the jnr-ffi binding of
 * iphlpapi.dll). Here, off Windows, the kit checks that it is unavailable with a reason and that
 * open() refuses, and skips the rest; on Windows it probes 127.0.0.1 and ::1 for real: the first
 * thing to run on a Windows machine.
 */
class WindowsIcmpEchoRealContractTest extends ProbeTransportContractKit {
    private static final WindowsIcmpEchoProvider PROVIDER = new WindowsIcmpEchoProvider();

    @Override
    protected ProbeTransportProvider provider() {
        return PROVIDER;
    }
}
