package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.EnrichmentDataException;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.lab.PeeringDbDumpWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PeeringDB dumps: IX prefixes by longest match (IPv4, IPv6), members by exact address, bad dumps. */
class PeeringDbTest {
    @TempDir
    Path dir;

    static PeeringDbDumpWriter dump() {
        return new PeeringDbDumpWriter()
                .exchange(1, "LAB-IX Frankfurt", "Frankfurt", "DE", "198.18.100.0/24", "2001:db8:100::/64")
                .exchange(2, "LAB-IX Small", "Berlin", "DE", "198.18.100.128/25")
                .member(1, 10, 64501, "LAB-TRANSIT", "198.18.100.2", "2001:db8:100::2");
    }

    private static InetAddress a(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void longestPrefixNamesTheExchangeAndTheMember() throws Exception {
        PeeringDb db = PeeringDb.open(List.of(dump().write(dir.resolve("pdb.json"))));
        assertThat(db.prefixes()).isEqualTo(3);
        Exchange x = db.exchange(a("198.18.100.2")).orElseThrow();
        assertThat(x.name()).isEqualTo("LAB-IX Frankfurt");
        assertThat(x.ixId()).isEqualTo(1);
        assertThat(x.city()).contains("Frankfurt");
        assertThat(x.country()).contains("DE");
        assertThat(x.prefix()).isEqualTo("198.18.100.0/24");
        assertThat(x.memberAsn().getAsLong()).isEqualTo(64501);
        assertThat(x.memberName()).contains("LAB-TRANSIT");
        assertThat(x.shortText()).isEqualTo("IX LAB-IX Frankfurt");
        assertThat(x).hasToString("IX LAB-IX Frankfurt [198.18.100.0/24, member AS64501 LAB-TRANSIT]");
        Exchange other = db.exchange(a("198.18.100.3")).orElseThrow();
        assertThat(other.memberAsn()).as("no netixlan for this address").isEmpty();
        assertThat(db.exchange(a("198.18.100.200")).orElseThrow().name()).as("the /25 inside the /24")
                .isEqualTo("LAB-IX Small");
        assertThat(db.exchange(a("2001:db8:100::2")).orElseThrow().memberAsn().getAsLong()).isEqualTo(64501);
        assertThat(db.exchange(a("2001:db8:100:1::2"))).isEmpty();
        assertThat(db.exchange(a("198.18.101.1"))).isEmpty();
    }

    @Test
    void aBareApiAnswerOfIxpfxIsAccepted() throws Exception {
        Path f = Files.writeString(dir.resolve("ixpfx.json"),
                "{\"data\": [{\"id\": 7, \"ixlan_id\": 42, \"protocol\": \"IPv4\", \"prefix\": \"198.18.200.0/24\"}],"
                + " \"meta\": {}}");
        PeeringDb db = PeeringDb.open(List.of(f));
        assertThat(db.exchange(a("198.18.200.9")).orElseThrow().name()).isEqualTo("ixlan 42");
    }

    @Test
    void malformedEntriesAreSkippedAndNamesNeverResolved() throws Exception {
        Path f = Files.writeString(dir.resolve("odd.json"), "{\"ix\": {\"data\": [{\"id\": 1, \"name\": \"X\"}]},"
                + " \"ixlan\": {\"data\": [{\"id\": 1, \"ix_id\": 1}]}, \"ixpfx\": {\"data\": ["
                + "{\"ixlan_id\": 1, \"prefix\": \"localhost/24\"}, {\"ixlan_id\": 1, \"prefix\": \"198.18.1.0/99\"},"
                + "{\"ixlan_id\": 1, \"prefix\": \"198.18.2.0/24\"}]},"
                + " \"netixlan\": {\"data\": [{\"ix_id\": 1, \"asn\": 1, \"ipaddr4\": \"abc\", \"ipaddr6\": null}]}}");
        PeeringDb db = PeeringDb.open(List.of(f));
        assertThat(db.prefixes()).isEqualTo(1);
        assertThat(db.exchange(a("198.18.2.1")).orElseThrow().name()).isEqualTo("X");
        assertThat(PeeringDbParser.literal("localhost")).isNull();
        assertThat(PeeringDbParser.literal("abc")).isNull();
        assertThat(PeeringDbParser.literal("2001:db8::1")).isEqualTo(a("2001:db8::1"));
    }

    @Test
    void badDumpsGiveOneTypedErrorNamingTheFile() throws Exception {
        String good = dump().json();
        Path truncated = Files.writeString(dir.resolve("truncated.json"), good.substring(0, good.length() / 2));
        Path notJson = Files.write(dir.resolve("random.json"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Path notDump = Files.writeString(dir.resolve("other.json"), "{\"something\": [1, 2]}");
        Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
        Path wrongShape = Files.writeString(dir.resolve("shape.json"), "{\"ixpfx\": \"x\"}");
        Path trailing = Files.writeString(dir.resolve("trailing.json"), good + "}");
        Path missing = dir.resolve("missing.json");
        for (Path bad : List.of(truncated, notJson, notDump, array, wrongShape, trailing, missing)) {
            assertThatThrownBy(() -> PeeringDb.open(List.of(bad))).as("%s", bad)
                    .isInstanceOf(EnrichmentDataException.class)
                    .hasMessageStartingWith("PeeringDB dump " + bad + ": ")
                    .hasMessageNotContaining("\n")
                    .satisfies(e -> assertThat(((EnrichmentDataException) e).file()).isEqualTo(bad));
        }
        assertThatThrownBy(() -> PeeringDb.open(List.of(truncated))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> PeeringDb.open(List.of(notDump))).hasMessageContaining("no \"ixpfx\"");
    }

    @Test
    void trieAnswersTheLongestPrefix() throws Exception {
        PrefixTrie<String> t = new PrefixTrie<>();
        t.put(a("0.0.0.0"), 0, "default");
        t.put(a("198.18.0.0"), 15, "lab");
        t.put(a("198.18.0.0"), 24, "a");
        t.put(a("198.18.0.128"), 25, "b");
        t.put(a("198.18.0.0"), 24, "again");
        t.put(a("2001:db8::"), 32, "v6");
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.longest(a("198.18.0.1"))).isEqualTo("a");
        assertThat(t.longest(a("198.18.0.129"))).isEqualTo("b");
        assertThat(t.longest(a("198.19.5.5"))).isEqualTo("lab");
        assertThat(t.longest(a("192.0.2.1"))).isEqualTo("default");
        assertThat(t.longest(a("2001:db8:ffff::1"))).isEqualTo("v6");
        assertThat(t.longest(a("2001:db9::1"))).isNull();
        t.put(a("198.18.0.1"), 32, "host");
        assertThat(t.longest(a("198.18.0.1"))).isEqualTo("host");
        assertThatThrownBy(() -> t.put(a("198.18.0.0"), 33, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
