package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.lab.server.LabResponsivenessServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Building, refusing, failing, tearing down and reaping: nothing may be left behind. */
@LabTest
class LabLifecycleTest {

    @Test
    void closeLeavesNoNamespaceAndIsIdempotent() {
        Lab lab = Lab.chain(6).silentHops(2).build();
        List<String> made = Processes.ourNamespaces();
        assertThat(made).contains(lab.name() + "-h", lab.name() + "-r1", lab.name() + "-r5", lab.name() + "-d")
                .hasSize(7);
        lab.close();
        lab.close();
        assertThat(Processes.ourNamespaces()).isEmpty();
        assertThatThrownBy(() -> lab.command(List.of("true"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeInThisNamespaceRemovesTheInterfaceAndRouteSoTheNextLabCanBeBuilt() {
        for (int i = 0; i < 3; i++) {
            try (Lab lab = Lab.chain(3).inCurrentNamespace().build()) {
                assertThat(LabHost.hostInterfacePresent()).isTrue();
                assertThat(Processes.ourNamespaces()).hasSize(3); // no host namespace: this is the host
                assertThat(Traceroute.run(List.of("-I"), lab.destination())).isEqualTo(lab.expectedPath());
            }
            assertThat(LabHost.hostInterfacePresent()).isFalse();
            assertThat(Processes.output("ip", "-4", "route")).doesNotContain("198.18.");
            assertThat(Processes.ourNamespaces()).isEmpty();
        }
    }

    @Test
    void aSecondLabInThisNamespaceIsRefusedNamingTheFirst() {
        try (Lab first = Lab.chain(2).inCurrentNamespace().build()) {
            assertThatThrownBy(() -> Lab.chain(2).inCurrentNamespace().build()).isInstanceOf(LabException.class)
                    .hasMessageContaining(first.name()).hasMessageContaining("already uses");
            assertThat(Processes.ourNamespaces()).allMatch(n -> n.startsWith(first.name() + "-"));
            try (Lab other = Lab.chain(2).build()) { // one with its own host namespace is fine meanwhile
                assertThat(Traceroute.run(other, List.of("-I"), other.destination())).isEqualTo(other.expectedPath());
            }
        }
        assertThat(Processes.ourNamespaces()).isEmpty();
    }

    @Test
    void badArgumentsThrowAndLeaveNothing() {
        assertThatThrownBy(() -> Lab.chain(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(5).silentHops(5).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(5).silentHops(3, -1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(Processes.ourNamespaces()).isEmpty();
        try (Lab lab = Lab.chain(1).build()) {
            for (int nice : new int[] {-21, 20}) {
                assertThatThrownBy(() -> lab.responsivenessServer(4443, LabResponsivenessServer.Mode.TLS, nice))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nice must be -20..19");
            }
            assertThatThrownBy(() -> lab.responsivenessServer(0, LabResponsivenessServer.Mode.TLS, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be 1..65535");
        }
        assertThat(Processes.ourNamespaces()).isEmpty();
    }

    @Test
    void aFailingRouterSetUpIsReportedAndCleanedUp() {
        String bogus = "route add 10.9.9.0/24 via 203.0.113.1";
        assertThatThrownBy(() -> Lab.chain(4).injectIpCommand(2, bogus).build()).isInstanceOf(LabException.class)
                .hasMessageContaining("setting up router 2")
                .hasMessageContaining("ip netns exec pathprobe-")
                .hasMessageContaining("`" + bogus + "`") // the failing line
                .hasMessageContaining("Nexthop has invalid gateway"); // ip's stderr
        assertThat(Processes.ourNamespaces()).isEmpty();
    }

    @Test
    void aFailingHostSetUpInThisNamespaceIsReportedAndCleanedUp() {
        String range = LabHost.readSysctl(java.nio.file.Path.of("/proc/sys/net/ipv4/ping_group_range"));
        assertThatThrownBy(() -> Lab.chain(3).inCurrentNamespace().injectIpCommand(0, "addr add bogus dev lo").build())
                .isInstanceOf(LabException.class)
                .hasMessageContaining("creating the namespaces and links")
                .hasMessageContaining("`addr add bogus dev lo`");
        assertThat(Processes.ourNamespaces()).isEmpty();
        assertThat(LabHost.hostInterfacePresent()).isFalse();
        assertThat(Processes.output("ip", "-4", "route")).doesNotContain("198.18.");
        assertThat(LabHost.readSysctl(java.nio.file.Path.of("/proc/sys/net/ipv4/ping_group_range"))).isEqualTo(range);
        // and the calling namespace is free again
        try (Lab lab = Lab.chain(3).inCurrentNamespace().build()) {
            assertThat(lab.hops()).isEqualTo(3);
        }
    }

    @Test
    void aLabSetsTheCongestionControlOfItsNamespacesAndGivesTheCallingOneItsOwnBack() {
        java.nio.file.Path cc = java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
        String before = LabHost.readSysctl(cc);
        String other = before.equals("reno") ? "bbr" : "reno"; // reno is always allowed
        try (Lab lab = Lab.chain(2).congestionControl(other).inCurrentNamespace().build()) {
            assertThat(LabHost.readSysctl(cc)).isEqualTo(other);
            for (int node = 1; node <= 2; node++) {
                assertThat(Processes.output(lab.command(node, List.of("cat", cc.toString()))).strip()).as("node " + node)
                        .isEqualTo(other);
            }
        }
        assertThat(LabHost.readSysctl(cc)).isEqualTo(before);
        // one the kernel does not have: a clear error, nothing left behind
        assertThatThrownBy(() -> Lab.chain(2).congestionControl("nosuchcc").build()).isInstanceOf(LabException.class)
                .hasMessageContaining("congestion control 'nosuchcc' is not available: this kernel has ");
        assertThatThrownBy(() -> Lab.chain(2).congestionControl("nosuchcc").inCurrentNamespace().build())
                .isInstanceOf(LabException.class).hasMessageContaining("'nosuchcc' is not available");
        assertThat(Processes.ourNamespaces()).isEmpty();
        assertThat(LabHost.hostInterfacePresent()).isFalse();
        assertThat(LabHost.readSysctl(cc)).isEqualTo(before);
        assertThatThrownBy(() -> Lab.chain(2).congestionControl("reno; true")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(2).congestionControl("reno").congestionControl("bbr"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aControlTheMachineDoesNotAllowNamespacesIsSetOnTheLabsRoutesAndBothEndsOfAConnectionUseIt() throws Exception {
        java.nio.file.Path cc = java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
        String before = LabHost.readSysctl(cc);
        String wanted = LabHost.congestionControlAvailable("cubic") && !before.equals("cubic") ? "cubic" : null;
        org.junit.jupiter.api.Assumptions.assumeTrue(wanted != null, "cubic is not loaded here, or already the default");
        org.junit.jupiter.api.Assumptions.assumeFalse(LabHost.congestionControlAllowed(wanted),
                "this machine lets namespaces make cubic their default: the route path is not needed");
        try (Lab lab = Lab.chain(2).congestionControl(wanted).tcpService(5201).inCurrentNamespace().build()) {
            assertThat(LabHost.readSysctl(cc)).as("the calling namespace's default is left alone").isEqualTo(before);
            for (int node = 1; node <= 2; node++) {
                String routes = Processes.output(lab.command(node, List.of("ip", "-4", "-o", "route", "show", "table", "all",
                        "type", "unicast")));
                assertThat(routes.lines().toList()).as("node %d: %s", node, routes).isNotEmpty()
                        .allMatch(l -> l.contains("congctl " + wanted));
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(lab.destination(), 5201), 5000);
                String here = Processes.output("ss", "-tinH", "state", "established", "dst", lab.destination().getHostAddress());
                assertThat(here).as(here).contains(wanted);
                String there = "";
                for (int i = 0; i < 50 && !there.contains(wanted); i++) { // the accept may trail the connect
                    there = Processes.output(lab.command(2, List.of("ss", "-tinH", "state", "established", "sport", "=", ":5201")));
                    Thread.sleep(20);
                }
                assertThat(there).as(there).contains(wanted);
            }
        }
        assertThat(LabHost.readSysctl(cc)).isEqualTo(before);
        assertThat(Processes.ourNamespaces()).isEmpty();
    }

    @Test
    void theCallingNamespaceIsRefusedAsHostWhenItIsTheRootOne() {
        assertThatThrownBy(() -> LabHost.requireNotRoot(OptionalLong.of(4026531833L), OptionalLong.of(4026531833L)))
                .isInstanceOf(LabException.class).hasMessageContaining("root network namespace");
        // unknown counts as root: the assumption that never lets a probe out
        assertThatThrownBy(() -> LabHost.requireNotRoot(OptionalLong.of(4026532177L), OptionalLong.empty()))
                .isInstanceOf(LabException.class);
        assertThatThrownBy(() -> LabHost.requireNotRoot(OptionalLong.empty(), OptionalLong.of(4026531833L)))
                .isInstanceOf(LabException.class);
        LabHost.requireNotRoot(OptionalLong.of(4026532177L), OptionalLong.of(4026531833L));
        // and this test JVM runs in a private namespace (build/netns/bin/java)
        assertThat(Lab.inRootNetworkNamespace()).isFalse();
    }

    @Test
    void stalePidsNamespacesAreReapedLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        assertThat(Namespaces.alive(deadPid)).isFalse();
        String stale = Namespaces.labName(deadPid, 1) + "-r1";
        String live = Namespaces.labName(1, 77) + "-d"; // pid 1 is always alive
        Processes.output("ip", "netns", "add", stale);
        Processes.output("ip", "netns", "add", live);
        try {
            assertThat(Lab.reapStale()).isGreaterThanOrEqualTo(0); // another JVM's build may have reaped it first
            assertThat(Namespaces.exists(stale)).isFalse();
            assertThat(Namespaces.exists(live)).isTrue();
        } finally {
            Processes.output("ip", "netns", "del", live);
            if (Namespaces.exists(stale)) {
                Processes.output("ip", "netns", "del", stale);
            }
        }
    }

    @Test
    void parallelBuildsNeverCollide() {
        List<CompletableFuture<List<?>>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int hops = 3 + i;
            runs.add(CompletableFuture.supplyAsync(() -> {
                try (Lab lab = Lab.chain(hops).build()) {
                    return Traceroute.run(lab, List.of("-I"), lab.destination()).equals(lab.expectedPath())
                            ? List.of(lab.name()) : List.of();
                }
            }));
        }
        List<Object> names = new ArrayList<>();
        runs.forEach(r -> names.addAll(r.join()));
        assertThat(names).hasSize(4).doesNotHaveDuplicates();
        assertThat(Processes.ourNamespaces()).isEmpty();
    }

    @Test
    void aThirtyHopLabBuildsAndTearsDownQuickly() {
        long[] build = new long[5];
        long[] close = new long[5];
        for (int i = 0; i < build.length; i++) {
            long t0 = System.nanoTime();
            Lab lab = Lab.chain(30).silentHops(5, 12, 20).inCurrentNamespace().build();
            long t1 = System.nanoTime();
            lab.close();
            close[i] = System.nanoTime() - t1;
            build[i] = t1 - t0;
        }
        java.util.Arrays.sort(build);
        java.util.Arrays.sort(close);
        System.out.printf(Locale.ROOT, "30-hop lab: build median %.0f ms (max %.0f), close median %.1f ms (max %.1f)%n",
                build[2] / 1e6, build[4] / 1e6, close[2] / 1e6, close[4] / 1e6);
        // liveness only (10x the 3 s a build once took at worst): how long a build takes is the
        // benchmark's figure (build/bench lab)
        assertThat(Duration.ofNanos(build[2])).isLessThan(Duration.ofSeconds(30));
        assertThat(Processes.ourNamespaces()).isEmpty();
    }
}
