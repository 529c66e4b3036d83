package io.pathprobe.core.internal.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.internal.EnrichmentSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AS lookups ask a third party about every hop's address (Team Cymru's public zone), so they are
 * opt-in (issue 23): by default they are OFF and nothing is sent for them; host names are looked up.
 * The DNS server here is a closed port on loopback: nothing leaves the machine.
 */
class EnricherLookupsTest {
    private static final InetSocketAddress CLOSED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() throws Exception {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static EnrichmentSettings settings(boolean teamCymru) {
        return new EnrichmentSettings(CLOSED, null, null, Duration.ofMillis(300), false,
                EnrichmentSettings.DEFAULT_FAILURE_TTL, teamCymru);
    }

    @Test
    void asLookupsAreOffUnlessAskedFor() throws Exception {
        InetAddress hop = InetAddress.getByName("198.18.0.2");
        EnricherLookups byDefault = EnricherLookups.create(settings(false), Ticker.SYSTEM, executor);
        try {
            Lookup<AsnInfo> off = byDefault.asn(hop).get(5, TimeUnit.SECONDS);
            assertThat(off.status()).isEqualTo(LookupStatus.OFF);
            assertThat(byDefault.hostname(hop).get(5, TimeUnit.SECONDS).status())
                    .as("host names are still looked up (and fail here: the port is closed)").isEqualTo(LookupStatus.FAILED);
        } finally {
            byDefault.close();
        }
        EnricherLookups asked = EnricherLookups.create(settings(true), Ticker.SYSTEM, executor);
        try {
            assertThat(asked.asn(hop).get(5, TimeUnit.SECONDS).status()).as("asked: a query was made (and failed)")
                    .isEqualTo(LookupStatus.FAILED);
        } finally {
            asked.close();
        }
        assertThat(settings(false).asnLookups()).isFalse();
        assertThat(settings(true).asnLookups()).isTrue();
    }
}
