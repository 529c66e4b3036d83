package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code trace --tcp-mode in-connection} (issue 26) through a 6-hop chain whose router 3 limits new TCP
 * connections (burst 1, then 1 a minute) before a service on port 8080: JSON and text say the probes travelled
 * inside the connection; a closed port, and an unprivileged user (no raw sockets), fall back to SYN probes and
 * say why.
 */
@LabTest
class CliInConnectionLabTest {
    private static final int PORT = 8080;

    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.chain(6).tcpService(PORT).limitNewTcpConnections(3, 1, 1)
            .icmpUnlimited("traces inside a connection, many in a row through the same routers").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    @RegisterExtension
    @Order(2)
    static final Nobody NOBODY = Nobody.perClass(false);



    @Test
    void jsonSaysTheProbesTravelledInsideTheConnection() throws Exception {
        LAB.lab().newTcpConnectionLimit(true); // a full burst: this trace's connection
        Run run = CLI.run("trace", "--json", "--tcp-mode", "in-connection", "-p", Integer.toString(PORT), "-w",
                "0.5", "-m", "8", dest(LAB));
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        JsonNode j = JSON.readTree(run.out());
        assertThat(j.get("protocol").asText()).isEqualTo("tcp");
        assertThat(j.get("tcpMode").asText()).isEqualTo("in_connection");
        assertThat(j.get("transport").asText()).isEqualTo("linux-tcp-in-connection");
        assertThat(j.get("protocolNote").isNull()).isTrue();
        assertThat(j.get("destinationReached").asBoolean()).isTrue();
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (JsonNode hop : j.get("hops")) {
            JsonNode a = hop.get("address");
            path.add(a.isNull() ? Optional.empty() : Optional.of(InetAddress.getByName(a.asText())));
        }
        assertThat(path).isEqualTo(LAB.lab().expectedPath());
    }

    @Test
    void theTextSaysSoToo() {
        LAB.lab().newTcpConnectionLimit(true);
        Run run = CLI.run("trace", "--tcp-mode", "in-connection", "-p", Integer.toString(PORT), "-w", "0.5", "-m",
                "8", dest(LAB));
        System.out.println(run.out());
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("destination reached").contains("transport linux-tcp-in-connection (inside a TCP "
                + "connection)").doesNotContain("tcp probes:");
    }

    @Test
    void aClosedPortFallsBackToSynProbesAndTheSummarySaysWhy() {
        LAB.lab().newTcpConnectionLimit(false);
        Run run = CLI.run("trace", "--tcp-mode", "in-connection", "-p", Integer.toString(PORT + 1), "-w", "0.5",
                "-m", "8", dest(LAB));
        assertThat(run.exitCode()).as("the SYNs' RST: the destination answered%n%s", run.out()).isZero();
        assertThat(run.out()).contains("transport linux-raw-tcp").contains("tcp probes: no trace inside a connection to "
                + dest(LAB) + " port " + (PORT + 1) + " (linux-tcp-in-connection: " + dest(LAB) + " port " + (PORT + 1)
                + ": connect: ECONNREFUSED (Connection refused)): SYN probes instead");
    }

    @Test
    void withoutRawSocketsTheTraceFallsBackAndSaysSo() throws Exception {
        LAB.lab().newTcpConnectionLimit(false);
        Run run = CLI.asNobody(NOBODY, "trace", "--json", "--tcp-mode", "in-connection", "-p", Integer.toString(PORT),
                "-w", "0.5", "-m", "8", dest(LAB));
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        JsonNode j = JSON.readTree(run.out());
        assertThat(j.get("tcpMode").asText()).isEqualTo("syn");
        assertThat(j.get("transport").asText()).as("unprivileged SYNs").isEqualTo("linux-tcp-connect");
        assertThat(j.get("protocolNote").asText()).contains("linux-tcp-in-connection: needs CAP_NET_RAW")
                .endsWith("SYN probes instead");
        assertThat(j.get("destinationReached").asBoolean()).isTrue();
    }
}
