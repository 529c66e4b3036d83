package io.pathprobe.core.internal.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.EnrichmentDataException;
import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.internal.EnrichmentSettings;
import io.pathprobe.lab.MmdbWriter;
import io.pathprobe.lab.PeeringDbDumpWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracer's lookups with local files (issue 51 item 4): a GeoIP database's AS numbers are the AS source only
 * when no resolver nor Team Cymru is configured; offline tracers still read the files; the answers are cached;
 * a file that cannot be used fails {@code build()} with nothing left running. The DNS server is a closed port on
 * loopback: nothing leaves the machine.
 */
class LocalLookupsTest {
    private static final InetSocketAddress CLOSED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Path asnDb() throws Exception {
        return new MmdbWriter("GeoLite2-ASN").put("198.18.0.0/15", MmdbWriter.asn(64500, "LAB-ISP"))
                .write(dir.resolve("asn.mmdb"));
    }

    private Path cityDb() throws Exception {
        return new MmdbWriter("GeoLite2-City")
                .put("198.18.0.0/15", MmdbWriter.city("DE", "Germany", "Frankfurt", 50.11, 8.68, 20))
                .write(dir.resolve("city.mmdb"));
    }

    private Path dump() throws Exception {
        return new PeeringDbDumpWriter().exchange(3, "LAB-IX", "Frankfurt", "DE", "198.18.100.0/24")
                .write(dir.resolve("pdb.json"));
    }

    private static EnrichmentSettings settings(boolean offline, boolean teamCymru, List<Path> geo, List<Path> ixp) {
        return new EnrichmentSettings(offline ? null : CLOSED, null, null, Duration.ofMillis(300), offline,
                EnrichmentSettings.DEFAULT_FAILURE_TTL, teamCymru, geo, ixp);
    }

    @Test
    void aGeoDatabaseGivesTheAsUnlessAResolverIsSet() throws Exception {
        InetAddress hop = InetAddress.getByName("198.18.0.6");
        try (EnricherLookups l = EnricherLookups.create(settings(false, false, List.of(asnDb()), List.of()),
                Ticker.SYSTEM, executor)) {
            var asn = l.asn(hop).get(5, TimeUnit.SECONDS);
            assertThat(asn.status()).isEqualTo(LookupStatus.FOUND);
            assertThat(asn.value().orElseThrow().number()).isEqualTo(64500);
            assertThat(l.asn(InetAddress.getByName("192.0.2.1")).get(5, TimeUnit.SECONDS).status())
                    .isEqualTo(LookupStatus.NOT_FOUND);
            assertThat(l.location(hop).get(5, TimeUnit.SECONDS).status()).as("an ASN database places nothing")
                    .isEqualTo(LookupStatus.NOT_FOUND);
            assertThat(l.exchange(hop).get(5, TimeUnit.SECONDS).status()).as("no dump").isEqualTo(LookupStatus.OFF);
            long loads = l.statistics().loads();
            l.asn(hop).get(5, TimeUnit.SECONDS);
            assertThat(l.statistics().loads()).as("the second answer from the cache").isEqualTo(loads);
            assertThat(l.statistics().hits()).isPositive();
        }
        try (EnricherLookups l = EnricherLookups.create(settings(false, true, List.of(asnDb()), List.of()),
                Ticker.SYSTEM, executor)) {
            assertThat(l.asn(hop).get(5, TimeUnit.SECONDS).status())
                    .as("-A asked: Team Cymru (here a closed port) takes precedence").isEqualTo(LookupStatus.FAILED);
        }
    }

    @Test
    void anOfflineTracerStillReadsItsFiles() throws Exception {
        InetAddress ix = InetAddress.getByName("198.18.100.2");
        try (EnricherLookups l = EnricherLookups.create(settings(true, false, List.of(cityDb()), List.of(dump())),
                Ticker.SYSTEM, executor)) {
            assertThat(l.enabled()).isTrue();
            assertThat(l.hostname(ix).get(5, TimeUnit.SECONDS).status()).isEqualTo(LookupStatus.OFF);
            assertThat(l.asn(ix).get(5, TimeUnit.SECONDS).status()).isEqualTo(LookupStatus.OFF);
            assertThat(l.location(ix).get(5, TimeUnit.SECONDS).value().orElseThrow().shortText())
                    .isEqualTo("DE Frankfurt");
            assertThat(l.exchange(ix).get(5, TimeUnit.SECONDS).value().orElseThrow().name()).isEqualTo("LAB-IX");
            assertThat(l.exchange(InetAddress.getByName("198.18.0.1")).get(5, TimeUnit.SECONDS).status())
                    .isEqualTo(LookupStatus.NOT_FOUND);
        }
        try (EnricherLookups l = EnricherLookups.create(settings(true, false, List.of(), List.of()), Ticker.SYSTEM,
                executor)) {
            assertThat(l.enabled()).as("offline without files: nothing at all").isFalse();
        }
    }

    @Test
    void aFileThatCannotBeUsedFailsTheBuildWithNothingLeftRunning() throws Exception {
        Path bad = Files.write(dir.resolve("bad.mmdb"), new byte[] {1, 2, 3});
        try (PathTracer warm = PathTracer.builder().offline().geoDatabase(cityDb()).build()) {
            assertThat(warm).isNotNull(); // classes and pools of a first tracer: not counted below
        }
        int threads = Thread.activeCount();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> PathTracer.builder().offline().geoDatabase(bad).build())
                    .isInstanceOf(EnrichmentDataException.class).hasMessageStartingWith("GeoIP database " + bad)
                    .satisfies(e -> assertThat(((EnrichmentDataException) e).file()).isEqualTo(bad));
            assertThatThrownBy(() -> PathTracer.builder().peeringDbDump(dir.resolve("none.json")).build())
                    .isInstanceOf(EnrichmentDataException.class).hasMessageContaining("no such file");
        }
        Thread.sleep(200);
        assertThat(Thread.activeCount()).as("no thread started for a tracer that failed").isLessThanOrEqualTo(threads);
    }
}
