package io.pathprobe.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.tck.ProbeTransportContractKit;
import io.pathprobe.windows.internal.FakeIcmpApi;
import org.junit.jupiter.api.AfterAll;

/**
 * The compatibility kit's portable part (loopback contract) run against the Windows transport on
 * the simulated ICMP API: the provider believes it is on 64-bit Windows and its iphlpapi.dll is
 * {@link FakeIcmpApi}, which answers 127.0.0.1 and ::1 with echo replies written as
 * IcmpParseReplies leaves them. Everything the kit checks (sequences, fields, threads, closing,
 * afterPendingAnswers, counters, leaks) runs through the real transport code; only the operating
 * system is simulated.
 */
class WindowsIcmpEchoContractTest extends ProbeTransportContractKit {
    private static final FakeIcmpApi API = FakeIcmpApi.loopback();
    private static final WindowsIcmpEchoProvider PROVIDER = new WindowsIcmpEchoProvider("Windows 11", "amd64", () -> API);

    @Override
    protected ProbeTransportProvider provider() {
        return PROVIDER;
    }

    @AfterAll
    static void theApiWasNeverMisused() {
        assertThat(API.violations()).isEmpty();
    }
}
