package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NettyVersionsTest {
    @Test
    void theBuildsOwnNettyPasses() {
        NettyVersions.require(NettyVersionsTest.class.getClassLoader());
        assertThat(NettyVersions.BUILT_WITH).startsWith("4.2.");
        assertThat(NettyVersions.PATHPROBE_VERSION).isNotBlank().doesNotContain("${");
    }

    @Test
    void theModulesAreReadAsNettysOwnVersionReaderReadsThem() {
        ClassLoader loader = NettyVersionsTest.class.getClassLoader();
        Map<String, String> netty = new java.util.TreeMap<>();
        io.netty.util.Version.identify(loader).forEach((artifact, v) -> netty.put(artifact, v.artifactVersion()));
        assertThat(NettyVersions.found(loader)).isEqualTo(netty).containsKey("netty-common");
    }

    @Test
    void netty42ModulesPass() {
        assertThat(NettyVersions.problem(Map.of("netty-common", "4.2.18.Final", "netty-transport", "4.2.18.Final",
                "netty-tcnative-classes", "2.0.70.Final", "netty-handler", "4.3.0.Alpha1"), true)).isNull();
    }

    @Test
    void netty41NextTo42IsNamedWithTheFix() {
        String problem = NettyVersions.problem(Map.of("netty-handler", "4.1.128.Final", "netty-common", "4.1.128.Final",
                "netty-codec-http2", "4.2.18.Final"), true);
        assertThat(problem)
                .startsWith("pathprobe needs Netty 4.2 (it is built with " + NettyVersions.BUILT_WITH + ")")
                .contains("older than 4.2: netty-common 4.1.128.Final, netty-handler 4.1.128.Final")
                .contains("(next to netty-codec-http2 4.2.18.Final)")
                .contains("io.pathprobe:pathprobe-bom:" + NettyVersions.PATHPROBE_VERSION)
                .contains("io.netty:netty-bom:" + NettyVersions.BUILT_WITH);
    }

    @Test
    void aMissingIoHandleApiIsNamedEvenWithoutVersionResources() {
        assertThat(NettyVersions.problem(Map.of(), false)).contains("io.netty.channel.IoHandlerFactory")
                .contains("netty-bom");
    }

    @Test
    void versionsOlderThan42() {
        assertThat(NettyVersions.olderThan42("4.1.128.Final")).isTrue();
        assertThat(NettyVersions.olderThan42("4.0.56.Final")).isTrue();
        assertThat(NettyVersions.olderThan42("4.2.0.Final")).isFalse();
        assertThat(NettyVersions.olderThan42("4.2.18.Final")).isFalse();
        assertThat(NettyVersions.olderThan42("5.0.0.Alpha2")).isFalse();
    }
}
