package io.pathprobe.lab.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading scamper 20211212's tracelb JSON (captured on the lab's width-4 diamond and 2 × 2 meshed diamond). */
class ScamperParseTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = ScamperParseTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InetAddress a(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aDiamondsNodesLinksAndProbeCount() throws Exception {
        Scamper.Result r = Scamper.parse(resource("scamper-tracelb-diamond4.json"), Duration.ofMillis(4273));
        assertThat(r.method()).isEqualTo("udp-dport");
        assertThat(r.confidence()).isEqualTo(95);
        assertThat(r.probes()).isEqualTo(29);
        assertThat(r.nodesAt(1)).containsExactly(a("198.18.0.2"));
        assertThat(r.nodesAt(2)).containsExactlyInAnyOrder(a("198.18.4.2"), a("198.18.4.6"), a("198.18.4.10"),
                a("198.18.4.14"));
        assertThat(r.nodesAt(3)).containsExactly(a("198.18.5.2"));
        assertThat(r.nodesAt(4)).containsExactly(a("198.19.0.1"));
        assertThat(r.links()).contains(new Scamper.Link(1, a("198.18.0.2"), a("198.18.4.14")),
                new Scamper.Link(2, a("198.18.4.2"), a("198.18.5.2")), new Scamper.Link(3, a("198.18.5.2"), a("198.19.0.1")));
        // only links some flow showed: none of the 6 flows scamper sent to TTL 3 went through 198.18.4.14
        assertThat(r.links()).hasSize(4 + 3 + 1).doesNotContain(new Scamper.Link(2, a("198.18.4.14"), a("198.18.5.2")));
        assertThat(r.addresses()).hasSize(7);
        assertThat(r.wall()).isEqualTo(Duration.ofMillis(4273));
    }

    @Test
    void aMeshedDiamondsCrossLinksComeFromTheFlows() throws Exception {
        Scamper.Result r = Scamper.parse(resource("scamper-tracelb-meshed2.json"), Duration.ZERO);
        assertThat(r.nodesAt(3)).containsExactlyInAnyOrder(a("198.18.5.2"), a("198.18.5.6"));
        Set<Scamper.Link> at2 = Set.copyOf(r.links().stream().filter(l -> l.ttl() == 2).toList());
        assertThat(at2).hasSizeGreaterThanOrEqualTo(3); // the flows that scamper sent crossed over
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> Scamper.parse("{\"type\":\"trace\"}", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scamper.parse("{\"type\":", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
