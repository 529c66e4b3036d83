package io.pathprobe.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.Lab;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lab's shape, without building one: no root, no processes. */
class ChainTopologyTest {

    private static Optional<InetAddress> ip(String literal) throws Exception {
        return Optional.of(InetAddress.getByName(literal));
    }

    @Test
    void namespacesAreNamedAfterTheLabAndEachNodesRole() {
        ChainTopology own = new ChainTopology("pathprobe-42-1", 4, List.of(), false);
        assertThat(own.namespaces()).containsExactly("pathprobe-42-1-h", "pathprobe-42-1-r1", "pathprobe-42-1-r2",
                "pathprobe-42-1-r3", "pathprobe-42-1-d");
        assertThat(own.labNodes()).containsExactly(0, 1, 2, 3, 4);
        assertThat(own.hostInterface()).isEqualTo("downlink");

        ChainTopology here = new ChainTopology("pathprobe-42-2", 4, List.of(), true);
        assertThat(here.namespace(0)).isEmpty();
        assertThat(here.namespace(4)).isEqualTo("pathprobe-42-2-d");
        assertThat(here.labNodes()).containsExactly(1, 2, 3, 4);
        assertThat(here.hostInterface()).isEqualTo(Lab.HOST_INTERFACE);
    }

    @Test
    void theExpectedPathIsEachRoutersLinkTowardTheHostSilentOnesEmpty() throws Exception {
        ChainTopology t = new ChainTopology("pathprobe-42-1", 29, List.of(5, 12, 20), true);
        List<Optional<InetAddress>> path = t.expectedPath();
        assertThat(path).hasSize(29);
        assertThat(path.get(0)).isEqualTo(ip("198.18.0.2"));
        assertThat(path.get(1)).isEqualTo(ip("198.18.0.6"));
        assertThat(path.get(5)).isEqualTo(ip("198.18.0.22"));
        assertThat(path.get(4)).isEmpty();
        assertThat(path.get(11)).isEmpty();
        assertThat(path.get(19)).isEmpty();
        assertThat(path.get(27)).isEqualTo(ip("198.18.0.110"));
        assertThat(path.get(28)).isEqualTo(ip("198.19.0.1"));
        assertThat(t.expectedResponder(29)).isEqualTo(ip("198.19.0.1"));
        assertThat(t.expectedResponder(30)).isEmpty();
        assertThatThrownBy(() -> t.expectedResponder(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.isSilent(12)).isTrue();
        assertThat(t.isSilent(13)).isFalse();
    }

    @Test
    void aSingleHopIsTheDestinationAlone() throws Exception {
        ChainTopology t = new ChainTopology("pathprobe-42-1", 1, List.of(), false);
        assertThat(t.namespaces()).containsExactly("pathprobe-42-1-h", "pathprobe-42-1-d");
        assertThat(t.expectedPath()).containsExactly(ip("198.19.0.1"));
        // it stands in for router 1 toward the unrouted address
        assertThat(t.forwards(1)).isTrue();
        assertThat(t.forwards(0)).isFalse();
        assertThat(t.describe(1)).isEqualTo("the destination");
    }

    @Test
    void rolesInterfacesAndForwarding() {
        ChainTopology t = new ChainTopology("pathprobe-42-1", 3, List.of(), false);
        assertThat(t.interfaceNames(0)).containsExactly("downlink");
        assertThat(t.interfaceNames(1)).containsExactly("uplink", "downlink");
        assertThat(t.interfaceNames(3)).containsExactly("uplink");
        assertThat(t.forwards(1)).isTrue();
        assertThat(t.forwards(2)).isTrue();
        assertThat(t.forwards(3)).isFalse();
        assertThat(t.describe(0)).isEqualTo("the host");
        assertThat(t.describe(2)).isEqualTo("router 2");
        assertThat(t.describe(3)).isEqualTo("the destination");
        assertThat(ChainTopology.role(0, 3)).isEqualTo("h");
        assertThat(ChainTopology.role(2, 3)).isEqualTo("r2");
        assertThat(ChainTopology.role(3, 3)).isEqualTo("d");
    }

    @Test
    void onlyRouterOnesUplinkTowardTheCallingNamespaceIsUpOnCarrier() {
        ChainTopology here = new ChainTopology("pathprobe-42-1", 3, List.of(), true);
        assertThat(here.carrierSuffices("pathprobe-42-1-r1")).isEqualTo("uplink");
        assertThat(here.carrierSuffices("pathprobe-42-1-r2")).isEmpty();
        ChainTopology own = new ChainTopology("pathprobe-42-1", 3, List.of(), false);
        assertThat(own.carrierSuffices("pathprobe-42-1-r1")).isEmpty();
    }

    @Test
    void nodesOutsideTheChainAreRefused() {
        ChainTopology t = new ChainTopology("pathprobe-42-1", 3, List.of(), false);
        assertThatThrownBy(() -> t.namespace(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TTL must be 0 (host)...3 (destination), was 4");
        assertThatThrownBy(() -> t.namespace(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChainTopology("x", 0, List.of(), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChainTopology("x", 251, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
