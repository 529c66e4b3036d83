package io.pathprobe.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.Unprivileged;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an unprivileged process is told: a child JVM runs as nobody (uid/gid 65534, no supplementary
 * groups, no capabilities) through {@code setpriv}, in this JVM's private network namespace, and
 * prints every provider's availability, once with net.ipv4.ping_group_range "1 0" (the kernel
 * default) and once wide. Needs root (setpriv, the sysctl of a private namespace): tagged lab.
 */
@LabTest
class AvailabilityReasonsTest {
    private static Unprivileged nobody;
    private static String originalRange;

    @BeforeAll
    static void copyClasspath() throws IOException {
        assumeTrue(TestNamespace.isPrivate(), "changes ping_group_range: runs only in a private network namespace");
        assumeTrue(new File("/usr/bin/setpriv").canExecute() || new File("/bin/setpriv").canExecute(), "setpriv");
        originalRange = TestNamespace.pingGroupRange();
        nobody = Unprivileged.copyOfClassPath();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (originalRange != null) {
            TestNamespace.setPingGroupRange(originalRange);
        }
        if (nobody != null) {
            nobody.close();
        }
    }

    @Test
    void withTheDefaultPingGroupRangeAnUnprivilegedProcessGetsUdpOnlyAndIsToldWhy() throws Exception {
        TestNamespace.setPingGroupRange("1 0");
        Map<String, String[]> seen = availabilityAsNobody();

        assertThat(seen.get("linux-icmp-dgram")[1]).isEqualTo("false");
        assertThat(seen.get("linux-icmp-dgram")[2])
                .isEqualTo("net.ipv4.ping_group_range is '1 0': excludes gid 65534 (no supplementary groups)");
        assertThat(seen.get("linux-raw-icmp")[1]).isEqualTo("false");
        assertThat(seen.get("linux-raw-icmp")[2])
                .isEqualTo("needs CAP_NET_RAW (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP): EPERM (Operation not permitted))");
        assertThat(seen.get("linux-udp-recverr")[1]).isEqualTo("true");
        assertThat(seen.get("linux-tcp-in-connection")[1]).as("issue 26: raw sockets").isEqualTo("false");
        assertThat(seen.get("linux-tcp-in-connection")[2])
                .isEqualTo("needs CAP_NET_RAW (socket(AF_INET, SOCK_RAW, IPPROTO_RAW): EPERM (Operation not permitted))");
        // issue 67: what alone would make each usable, for a note of one line
        assertThat(remedies.get("linux-icmp-dgram")).isEqualTo("gid 65534 in net.ipv4.ping_group_range (now '1 0')");
        assertThat(remedies.get("linux-raw-icmp")).isEqualTo("CAP_NET_RAW");
        assertThat(remedies.get("linux-tcp-in-connection")).isEqualTo("CAP_NET_RAW");
        assertThat(remedies).doesNotContainKey("linux-udp-recverr");
        assertThat(otherPlatform).as("the Linux transports are this platform's").isEmpty();
    }

    @Test
    void withAWidePingGroupRangePingSocketsBecomeAvailable() throws Exception {
        TestNamespace.setPingGroupRange(TestNamespace.WIDE);
        Map<String, String[]> seen = availabilityAsNobody();

        assertThat(seen.get("linux-icmp-dgram")[1]).as(seen.get("linux-icmp-dgram")[2]).isEqualTo("true");
        assertThat(seen.get("linux-raw-icmp")[1]).isEqualTo("false");
        assertThat(seen.get("linux-udp-recverr")[1]).isEqualTo("true");
    }

    /** The remedies the last {@link #availabilityAsNobody()} saw, by transport. */
    private static final Map<String, String> remedies = new LinkedHashMap<>();
    /** The transports of other platforms it saw. */
    private static final java.util.Set<String> otherPlatform = new java.util.LinkedHashSet<>();

    /** name -> {name, available, reason} as printed by {@link AvailabilityProbe} running as nobody. */
    private static Map<String, String[]> availabilityAsNobody() throws Exception {
        ProcessBuilder pb = nobody.java(AvailabilityProbe.class.getName(), List.of()).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String[]> seen = new LinkedHashMap<>();
        remedies.clear();
        otherPlatform.clear();
        for (String line : out.split("\n")) {
            String[] f = line.split("\\|", 3);
            if (f.length == 3 && f[1].equals("remedy")) {
                remedies.put(f[0], f[2]);
            } else if (f.length == 3 && f[1].equals("otherPlatform")) {
                otherPlatform.add(f[0]);
            } else if (f.length == 3) {
                seen.put(f[0], f);
            }
        }
        assertThat(seen).as(out).containsKeys("linux-icmp-dgram", "linux-raw-icmp", "linux-udp-recverr");
        return seen;
    }
}
