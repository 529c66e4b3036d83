package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Tracepath;
import java.net.InetAddress;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe mtu} end to end through a 6-hop chain whose link after router 3 has MTU 1280, IPv4 and
 * IPv6: as root (in this JVM: raw sockets, linux-raw-udp) and as uid 65534 (no privilege: UDP with
 * IP_MTU_DISCOVER and IP_RECVERR, linux-udp-recverr), text
 * and JSON; the Packet Too Big's TTL, responder and MTU equal tracepath's on the same lab; bad input exits 2.
 */
@LabTest
class CliMtuLabTest {
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.chain(6).ipv6().linkMtu(3, 1280).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    @RegisterExtension
    @Order(2)
    static final Nobody NOBODY = Nobody.perClass(false);



    /** What every run must show, against tracepath's drop line on the same lab. */
    private static void sameAsTracepath(JsonNode j, InetAddress target, InetAddress router3, String transport, String what)
            throws Exception {
        Tracepath.Line drop = Tracepath.run(LAB.lab(), target).drops().get(0);
        assertThat(j.get("status").asText()).as(what).isEqualTo("DESTINATION_REACHED");
        assertThat(j.get("transport").asText()).as(what).isEqualTo(transport);
        assertThat(j.get("firstLinkMtu").asInt()).as(what).isEqualTo(1500);
        assertThat(j.get("pathMtu").asInt()).as(what).isEqualTo(1280);
        JsonNode hop4 = j.get("hops").get(3);
        assertThat(hop4.get("ttl").asInt()).as(what).isEqualTo(drop.ttl()).isEqualTo(4);
        assertThat(hop4.get("tooBig").asInt()).as(what).isEqualTo(drop.pmtu().getAsInt()).isEqualTo(1280);
        assertThat(InetAddress.getByName(hop4.get("tooBigFrom").asText())).as(what)
                .isEqualTo(InetAddress.getByName(drop.address())).isEqualTo(router3);
        assertThat(j.get("hops")).as(what).hasSize(6);
        assertThat(j.get("blackHole").isNull()).as(what).isTrue();
    }

    @Test
    void asRootTextAndJson() throws Exception {
        Lab lab = LAB.lab();
        Run text = CLI.run("mtu", "-w", "500ms", lab.destination().getHostAddress());
        assertThat(text.exitCode()).as("%s%s", text.out(), text.err()).isZero();
        assertThat(text.out()).contains(" 1?: [LOCALHOST]").contains("pmtu 1500")
                .containsPattern(" 4:  198\\.18\\.0\\.10 +pmtu 1280").contains("Resume: pmtu 1280 hops 6");
        Run json = CLI.run("mtu", "--format", "json", "-w", "500ms", lab.destination().getHostAddress());
        assertThat(json.exitCode()).as("%s%s", json.out(), json.err()).isZero();
        sameAsTracepath(JSON.readTree(json.out()), lab.destination(), lab.expectedResponder(3).orElseThrow(), "linux-raw-udp",
                json.out());
    }

    @Test
    void asNobodyIpv4AndIpv6() throws Exception {
        Lab lab = LAB.lab();
        Run v4 = CLI.asNobody(NOBODY, "mtu", "--json", "-w", "500ms", lab.destination().getHostAddress());
        assertThat(v4.exitCode()).as("%s%s", v4.out(), v4.err()).isZero();
        sameAsTracepath(JSON.readTree(v4.out()), lab.destination(), lab.expectedResponder(3).orElseThrow(), "linux-udp-recverr",
                v4.out());
        Run v6 = CLI.asNobody(NOBODY, "mtu", "--json", "-w", "500ms", lab.destination6().getHostAddress());
        assertThat(v6.exitCode()).as("%s%s", v6.out(), v6.err()).isZero();
        sameAsTracepath(JSON.readTree(v6.out()), lab.destination6(), lab.expectedResponder6(3).orElseThrow(), "linux-udp-recverr",
                v6.out());
    }

    @Test
    void badInputExitsTwo() {
        Run small = CLI.run("mtu", "--max-size", "100", LAB.lab().destination().getHostAddress());
        assertThat(small.exitCode()).isEqualTo(2);
        assertThat(small.err()).contains("-l must be 1280..65535, was ");
        Run both = CLI.run("mtu", "-4", "-6", LAB.lab().destination().getHostAddress());
        assertThat(both.exitCode()).isEqualTo(2);
    }
}
