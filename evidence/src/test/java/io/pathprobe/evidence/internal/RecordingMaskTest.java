package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.core.internal.enrich.AddressRanges;
import io.pathprobe.evidence.Masking;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A masked recording's replay computes again what the masked document shows of a hidden hop, from the stand-ins:
 * its segment. Found on the lab's home network (a private gateway, a CGNAT router, this host's AS found through its
 * public address): the replay of {@code trace -A --mask 2} said UNKNOWN where the recording said LAN and ISP, and
 * TRANSIT for a hop in this host's AS, whose number the recording had hidden while its document showed it.
 */
class RecordingMaskTest {
    private static InetAddress a(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static ObjectNode as(long number) {
        ObjectNode r = Codec.NODES.objectNode();
        r.put("status", "FOUND");
        ObjectNode v = r.putObject("value");
        v.put("number", number);
        v.put("name", "LAB-ISP");
        return r;
    }

    @Test
    void aHiddenAddressesStandInIsOfItsKindSoItsSegmentComesOutTheSame() throws Exception {
        RecordingMask mask = new RecordingMask(new Masking(2, true, Set.of()));
        for (String hidden : List.of("192.168.1.1", "10.1.2.3", "100.64.0.1", "198.18.0.2", "fd00::1", "2001:db8::1")) {
            InetAddress real = a(hidden);
            InetAddress standIn = mask.write(real, 1);
            assertThat(standIn).as(hidden).isNotEqualTo(real);
            assertThat(AddressRanges.isLocalNetwork(standIn)).as(hidden + " as " + standIn)
                    .isEqualTo(AddressRanges.isLocalNetwork(real));
            assertThat(AddressRanges.isCgnat(standIn)).as(hidden + " as " + standIn)
                    .isEqualTo(AddressRanges.isCgnat(real));
            assertThat(mask.write(real, -1)).as("the same stand-in wherever it shows").isEqualTo(standIn);
        }
    }

    @Test
    void thisHostsOwnAsIsKeptAndAHiddenHopInItIsSaidToBeInIt() throws Exception {
        RecordingMask mask = new RecordingMask(new Masking(2, true, Set.of()));
        String pub = Codec.text(mask.own(a("198.18.0.1"))); // this host's public address, hidden with the source
        String hop = Codec.text(mask.write(a("198.18.0.2"), 2)); // a hidden hop in the same AS
        List<ObjectNode> aliases = new ArrayList<>();
        ObjectNode hopAs = mask.result("a", "198.18.0.2", hop, as(64500), aliases::add);
        assertThat(hopAs.path("value").path("number").asLong()).isEqualTo(RecordingMask.STAND_IN_AS);
        assertThat(hopAs.path("value").has("name")).isFalse();
        assertThat(aliases).isEmpty(); // nothing shown in that AS yet
        ObjectNode own = mask.result("a", "198.18.0.1", pub, as(64500), aliases::add);
        assertThat(own.path("value").path("number").asLong()).as("the document's localAsn").isEqualTo(64500);
        assertThat(aliases).hasSize(1);
        assertThat(aliases.get(0).path("standIn").asLong()).isEqualTo(RecordingMask.STAND_IN_AS);
        assertThat(aliases.get(0).path("subject").asText()).isEqualTo(pub);
        ObjectNode other = mask.result("a", "198.19.0.9", "198.19.0.9", as(64501), aliases::add);
        assertThat(other.path("value").path("number").asLong()).as("a hop shown").isEqualTo(64501);
        ObjectNode hidden2 = mask.result("a", "100.64.0.1", Codec.text(mask.write(a("100.64.0.1"), 1)), as(64999),
                aliases::add);
        assertThat(hidden2.path("value").path("number").asLong()).as("another hidden AS, another stand-in")
                .isEqualTo(RecordingMask.STAND_IN_AS + 1);
        assertThat(aliases).hasSize(1);
    }
}
