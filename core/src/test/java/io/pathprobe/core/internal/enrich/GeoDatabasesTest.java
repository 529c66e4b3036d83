package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.EnrichmentDataException;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.lab.MmdbWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline GeoIP through MaxMind's reader, on mmdb files the tests write ({@link MmdbWriter}, by the public format
 * specification) for the lab's addresses: City-like, ASN-like and IPinfo-like databases, merged; and files that
 * cannot be used (missing, random bytes, cut, empty, a directory) give one typed error naming the file.
 */
class GeoDatabasesTest {
    @TempDir
    Path dir;

    static Path city(Path dir) throws IOException {
        return new MmdbWriter("GeoLite2-City")
                .put("198.18.0.0/15", MmdbWriter.city("DE", "Germany", "Frankfurt", 50.11, 8.68, 20))
                .put("198.18.100.0/24", MmdbWriter.city("NL", "Netherlands", "Amsterdam", 52.37, 4.9, 5))
                .put("2001:db8::/32", MmdbWriter.city("FR", "France", "Paris", 48.86, 2.35, 50))
                .write(dir.resolve("city.mmdb"));
    }

    static Path asn(Path dir) throws IOException {
        return new MmdbWriter("GeoLite2-ASN")
                .put("198.18.0.0/16", MmdbWriter.asn(64500, "LAB-ISP"))
                .put("198.19.0.0/16", MmdbWriter.asn(64510L, "LAB-DEST"))
                .put("2001:db8::/32", MmdbWriter.asn(4_200_000_000L, "LAB-V6"))
                .write(dir.resolve("asn.mmdb"));
    }

    private static InetAddress a(String s) throws IOException {
        return InetAddress.getByName(s);
    }

    @Test
    void cityDatabaseGivesCountryCityAndCoordinates() throws Exception {
        try (GeoDatabases g = GeoDatabases.open(List.of(city(dir)))) {
            GeoLocation l = g.location(a("198.18.0.6")).orElseThrow();
            assertThat(l.countryCode()).contains("DE");
            assertThat(l.country()).contains("Germany");
            assertThat(l.city()).contains("Frankfurt");
            assertThat(l.latitude().getAsDouble()).isEqualTo(50.11);
            assertThat(l.longitude().getAsDouble()).isEqualTo(8.68);
            assertThat(l.accuracyRadiusKm().getAsInt()).isEqualTo(20);
            assertThat(l.database()).isEqualTo("GeoLite2-City");
            assertThat(l).hasToString("DE Frankfurt");
            assertThat(g.location(a("198.18.100.7")).orElseThrow().shortText()).as("the longer network")
                    .isEqualTo("NL Amsterdam");
            assertThat(g.location(a("198.19.255.254")).orElseThrow().city()).contains("Frankfurt");
            assertThat(g.location(a("2001:db8:1::1")).orElseThrow().shortText()).isEqualTo("FR Paris");
            assertThat(g.location(a("192.0.2.1"))).as("an address in no network").isEmpty();
            assertThat(g.location(a("2001:db9::1"))).isEmpty();
            assertThat(g.asn(a("198.18.0.6"))).as("a City database has no AS").isEmpty();
            assertThat(g.hasAsn()).isFalse();
        }
    }

    @Test
    void asnDatabaseGivesAsNumbersWithTheNetwork() throws Exception {
        try (GeoDatabases g = GeoDatabases.open(List.of(asn(dir)))) {
            assertThat(g.hasAsn()).isTrue();
            AsnInfo x = g.asn(a("198.18.7.1")).orElseThrow();
            assertThat(x.number()).isEqualTo(64500);
            assertThat(x.name()).contains("LAB-ISP");
            assertThat(x.prefix()).contains("198.18.0.0/16");
            assertThat(g.asn(a("198.19.0.1")).orElseThrow().number()).isEqualTo(64510);
            assertThat(g.asn(a("2001:db8::1")).orElseThrow().number()).as("a uint32 above 2^31")
                    .isEqualTo(4_200_000_000L);
            assertThat(g.asn(a("203.0.113.1"))).isEmpty();
            assertThat(g.location(a("198.18.7.1"))).as("an ASN database places nothing").isEmpty();
        }
    }

    @Test
    void databasesAreMergedFirstGivenFirst() throws Exception {
        Path ipinfo = new MmdbWriter("ipinfo lite.mmdb")
                .put("198.18.0.0/15", MmdbWriter.ipinfoLite(64999, "OTHER", "AT", "Austria"))
                .put("2001:db8::/32", MmdbWriter.ipinfoLite(64501, "LAB-TRANSIT", "FR", "France"))
                .write(dir.resolve("lite.mmdb"));
        try (GeoDatabases g = GeoDatabases.open(List.of(city(dir), asn(dir), ipinfo))) {
            GeoLocation l = g.location(a("198.18.0.6")).orElseThrow();
            assertThat(l.shortText()).as("the City database first").isEqualTo("DE Frankfurt");
            assertThat(l.database()).isEqualTo("GeoLite2-City");
            assertThat(g.asn(a("198.18.0.6")).orElseThrow().number()).as("the ASN database before IPinfo's")
                    .isEqualTo(64500);
        }
        try (GeoDatabases g = GeoDatabases.open(List.of(ipinfo))) {
            assertThat(g.hasAsn()).isTrue();
            AsnInfo x = g.asn(a("2001:db8::9")).orElseThrow();
            assertThat(x.number()).as("IPinfo's \"AS64501\"").isEqualTo(64501);
            assertThat(x.name()).contains("LAB-TRANSIT");
            GeoLocation l = g.location(a("198.18.0.1")).orElseThrow();
            assertThat(l.countryCode()).contains("AT");
            assertThat(l.country()).contains("Austria");
            assertThat(l.city()).isEmpty();
            assertThat(l.shortText()).isEqualTo("AT");
        }
    }

    @Test
    void aCountryDatabaseHasNoAs() throws Exception {
        Path country = new MmdbWriter("ipinfo country.mmdb")
                .put("198.18.0.0/15", java.util.Map.of("country", "DE", "country_name", "Germany",
                        "continent", "EU"))
                .write(dir.resolve("country.mmdb"));
        try (GeoDatabases g = GeoDatabases.open(List.of(country))) {
            assertThat(g.hasAsn()).isFalse();
            GeoLocation l = g.location(a("198.18.0.1")).orElseThrow();
            assertThat(l.countryCode()).contains("DE");
            assertThat(l.country()).contains("Germany");
            assertThat(l.shortText()).isEqualTo("DE");
        }
    }

    @Test
    void ipinfoLocationCoordinatesAsStrings() throws Exception {
        Path loc = new MmdbWriter("ipinfo standard_location.mmdb")
                .put("198.18.0.0/15", MmdbWriter.ipinfoLocation("Berlin", "DE", 52.52, 13.405))
                .write(dir.resolve("loc.mmdb"));
        try (GeoDatabases g = GeoDatabases.open(List.of(loc))) {
            GeoLocation l = g.location(a("198.19.1.1")).orElseThrow();
            assertThat(l.shortText()).isEqualTo("DE Berlin");
            assertThat(l.latitude().getAsDouble()).isEqualTo(52.52);
            assertThat(l.longitude().getAsDouble()).isEqualTo(13.405);
            assertThat(l.accuracyRadiusKm()).isEmpty();
            assertThat(g.hasAsn()).as("a location database has no AS").isFalse();
        }
    }

    @Test
    void unusableFilesGiveOneTypedErrorNamingTheFile() throws Exception {
        Path good = city(dir);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.mmdb"), Arrays.copyOf(bytes, bytes.length / 2));
        Path cutEnd = Files.write(dir.resolve("cut-end.mmdb"), Arrays.copyOf(bytes, bytes.length - 20));
        byte[] noise = new byte[4096];
        new Random(51).nextBytes(noise);
        Path random = Files.write(dir.resolve("random.mmdb"), noise);
        Path empty = Files.write(dir.resolve("empty.mmdb"), new byte[0]);
        Path missing = dir.resolve("missing.mmdb");
        for (Path bad : List.of(cut, cutEnd, random, empty, missing, dir)) {
            assertThatThrownBy(() -> GeoDatabases.open(List.of(good, bad))).as("%s", bad)
                    .isInstanceOf(EnrichmentDataException.class)
                    .hasMessageStartingWith("GeoIP database " + bad + ": ")
                    .hasMessageNotContaining("\n")
                    .satisfies(e -> assertThat(((EnrichmentDataException) e).file()).isEqualTo(bad));
        }
        assertThatThrownBy(() -> GeoDatabases.open(List.of(missing))).hasMessageContaining("no such file");
        assertThatThrownBy(() -> GeoDatabases.open(List.of(random)))
                .hasMessageContaining("not a readable MaxMind DB (mmdb) file");
    }

    @Test
    void corruptSearchTreeIsFoundWhenOpened() throws Exception {
        byte[] bytes = Files.readAllBytes(city(dir));
        // the tree's records point past the data section: the first records' decoding fails
        for (int i = 0; i < 60; i++) {
            bytes[i] = (byte) 0xee;
        }
        Path bad = Files.write(dir.resolve("tree.mmdb"), bytes);
        assertThatThrownBy(() -> GeoDatabases.open(List.of(bad))).isInstanceOf(EnrichmentDataException.class)
                .hasMessageContaining("corrupt or truncated");
    }

    @Test
    void localDataAnswersAsCacheLoaders() throws Exception {
        Path f = city(dir);
        var settings = new io.pathprobe.internal.EnrichmentSettings(null, null, null, java.time.Duration.ofSeconds(1),
                true, java.time.Duration.ofSeconds(30), false, List.of(f), List.of());
        try (LocalData d = LocalData.open(settings)) {
            assertThat(d.hasGeo()).isTrue();
            assertThat(d.hasExchanges()).isFalse();
            Timed<GeoLocation> t = d.location(a("198.18.0.1")).getNow(null);
            assertThat(t).as("completed at once").isNotNull();
            assertThat(t.value().map(GeoLocation::shortText)).isEqualTo(Optional.of("DE Frankfurt"));
            assertThat(d.location(a("192.0.2.1")).getNow(null).found()).isFalse();
        }
    }
}
