package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What Lab does before or without building anything: arguments, commands, link listings. */
class LabWithoutRootTest {

    @Test
    void javaCommandRunsAMainClassWithThisJvmAndClassPath() {
        List<String> cmd = Lab.javaCommand(LabWithoutRootTest.class, "trace", "198.19.0.1");
        assertThat(cmd.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(new File(cmd.get(0)).canExecute()).isTrue();
        List<String> rest = Runtime.version().feature() >= 22
                ? List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        LabWithoutRootTest.class.getName(), "trace", "198.19.0.1")
                : List.of("-cp", System.getProperty("java.class.path"), LabWithoutRootTest.class.getName(), "trace",
                        "198.19.0.1");
        assertThat(cmd.subList(1, cmd.size())).isEqualTo(rest);

        List<String> withOptions = Lab.javaCommand("a.jar", List.of("-Dx=1"), "p.Main", List.of());
        assertThat(withOptions.subList(withOptions.size() - 4, withOptions.size()))
                .containsExactly("-Dx=1", "-cp", "a.jar", "p.Main");
    }

    @Test
    void badBuilderArgumentsFailAtOnce() {
        assertThatThrownBy(() -> Lab.chain(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(251)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(5).silentHops(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("routers are at 1..4");
        assertThatThrownBy(() -> Lab.chain(5).silentHops(3).silentHops(2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("silentHops was already set");
        assertThatThrownBy(() -> Lab.chain(5).icmpRateLimit(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(5).hostPingGroupRange(-1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Lab.chain(5).silentHops(3, 1, 3).settings().silent()).containsExactly(1, 3);
    }

    @Test
    void theRootNamespaceOrAnUnknownOneIsRefusedAsHost() {
        assertThatThrownBy(() -> LabHost.requireNotRoot(OptionalLong.of(4026531833L), OptionalLong.of(4026531833L)))
                .isInstanceOf(LabException.class).hasMessageContaining("root network namespace");
        assertThatThrownBy(() -> LabHost.requireNotRoot(OptionalLong.of(4026532177L), OptionalLong.empty()))
                .isInstanceOf(LabException.class);
        LabHost.requireNotRoot(OptionalLong.of(4026532177L), OptionalLong.of(4026531833L));
    }

    @Test
    void linksAreUpWithCarrierAndOperationalStateUp() {
        String listing = """
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT
                2: uplink@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT
                3: downlink@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN
                """;
        assertThat(LabHost.linksNotUp(listing, "")).containsExactly(
                "downlink (LOWERLAYERDOWN, <NO-CARRIER,BROADCAST,MULTICAST,UP>)");
        String carrierOnly = "2: uplink@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UNKNOWN\n";
        assertThat(LabHost.linksNotUp(carrierOnly, "")).hasSize(1);
        assertThat(LabHost.linksNotUp(carrierOnly, "uplink")).isEmpty();
    }
}
