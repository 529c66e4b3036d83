package io.pathprobe.core.internal.mtu;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Tracepath;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 26, path MTU on real kernel routers, through the privileged raw transport (linux-raw-udp) and the
 * unprivileged socket one (linux-udp-recverr), against iputils tracepath on the same lab in the same run: a
 * six-hop chain whose link after router 3 has MTU 1280 (IPv4 and IPv6): the first link's MTU, the TTL and
 * responder of the Packet Too Big and its MTU, the path MTU and the destination's TTL must equal
 * tracepath's. An nftables black hole at router 3 (DF packets over 1400 bytes dropped without ICMP) must be
 * reported as from TTL 4 on, after router 3, at exactly 1400 bytes; tracepath, which does not look for
 * black holes, never gets past it with large probes.
 */
@LabTest
@Timeout(300)
class MtuLabTest {
    private static PathTracer tracer(String transport) {
        return PathTracer.builder().offline().packetsPerSecond(0).preferredTransport(transport).build();
    }

    /** The result's text, for reading after the run: target/mtu-NAME.txt. */
    private static void keep(String name, MtuResult r) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "mtu-" + name + ".txt"), r + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(address, e);
        }
    }

    private static MtuRequest request(InetAddress target) {
        return MtuRequest.builder(target).probeTimeout(Duration.ofMillis(500)).build();
    }

    /** Privileged (raw sockets, IP header written whole) and the unprivileged socket transport, both as root here. */
    @ParameterizedTest
    @ValueSource(strings = {"linux-raw-udp", "linux-udp-recverr"})
    void aSmallLinkInTheMiddleIsWhereTracepathSeesItIpv4AndIpv6(String transport) {
        try (Lab lab = Lab.chain(6).ipv6().linkMtu(3, 1280).inCurrentNamespace().build(); PathTracer t = tracer(transport)) {
            for (InetAddress target : List.of(lab.destination(), lab.destination6())) {
                // tracepath first: the path MTU the kernel learns from the Packet Too Big its probes (or ours) get
                // lowers what it reports for [LOCALHOST]; pathprobe reads the device's MTU
                Tracepath tp = Tracepath.run(lab, target);
                MtuResult r = t.measure(request(target));
                keep("link-" + transport + (target instanceof java.net.Inet6Address ? "-v6" : "-v4"), r);
                String both = "pathprobe:\n" + r + "\ntracepath:\n" + tp.output();
                assertThat(r.status()).as(both).isEqualTo(TraceStatus.DESTINATION_REACHED);
                assertThat(r.transport()).isEqualTo(transport);
                assertThat(r.firstLinkMtu()).as(both).isEqualTo(tp.localMtu()).hasValue(1500);
                assertThat(r.drops()).as(both).hasSize(1);
                MtuHop drop = r.drops().get(0);
                assertThat(tp.drops()).as(both).hasSize(1);
                Tracepath.Line reference = tp.drops().get(0);
                assertThat(drop.ttl()).as(both).isEqualTo(reference.ttl()).isEqualTo(4);
                assertThat(drop.tooBig()).as(both).isEqualTo(reference.pmtu()).hasValue(1280);
                assertThat(drop.tooBigFrom()).as(both).contains(literal(reference.address()));
                for (MtuHop h : r.hops()) { // the responder of each TTL: tracepath's last line there
                    String last = tp.lines().stream().filter(l -> l.ttl() == h.ttl() && l.pmtu().isEmpty())
                            .reduce((a, b) -> b).orElseThrow().address();
                    assertThat(h.address()).as("TTL %d: %s", h.ttl(), both).contains(literal(last));
                }
                boolean v6 = target instanceof java.net.Inet6Address;
                assertThat(drop.tooBigFrom()).as(both).isEqualTo(v6 ? lab.expectedResponder6(3) : lab.expectedResponder(3));
                assertThat(r.pathMtu()).as(both).isEqualTo(tp.resumeMtu()).hasValue(1280);
                assertThat(Optional.of(r.hops().get(r.hops().size() - 1).ttl())).as(both).isEqualTo(tp.reachedAt())
                        .contains(6);
                assertThat(r.hops()).as(both).allSatisfy(h -> assertThat(h.pathMtu()).isEqualTo(h.ttl() < 4 ? 1500 : 1280));
                assertThat(r.blackHole()).as(both).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux-raw-udp", "linux-udp-recverr"})
    void anNftablesBlackHoleIsReportedAfterItsRouterAtItsSize(String transport) {
        try (Lab lab = Lab.chain(6).ipv6().mtuBlackHole(3, 1400).inCurrentNamespace().build(); PathTracer t = tracer(transport)) {
            for (InetAddress target : List.of(lab.destination(), lab.destination6())) {
                boolean v6 = target instanceof java.net.Inet6Address;
                MtuResult r = t.measure(request(target));
                keep("black-hole-" + transport + (v6 ? "-v6" : "-v4"), r);
                assertThat(r.status()).as("%s", r).isEqualTo(TraceStatus.DESTINATION_REACHED);
                assertThat(r.transport()).isEqualTo(transport);
                assertThat(r.drops()).as("%s", r).isEmpty();
                assertThat(r.blackHole()).as("%s", r).isPresent();
                assertThat(r.blackHole().get().ttl()).as("%s", r).isEqualTo(4);
                assertThat(r.blackHole().get().after()).as("%s", r)
                        .isEqualTo(v6 ? lab.expectedResponder6(3) : lab.expectedResponder(3));
                assertThat(r.blackHole().get().largestPassing()).as("%s", r).isEqualTo(1400);
                assertThat(r.blackHole().get().smallestLost()).as("%s", r).isEqualTo(1401);
                assertThat(r.pathMtu()).as("%s", r).hasValue(1400);
                assertThat(r.hops()).as("%s", r).allSatisfy(h -> assertThat(h.answered()).isTrue());
            }
        }
    }

    /**
     * The reference, once (it does not depend on pathprobe's transport): tracepath, which sends 1500-byte probes and
     * does not look for black holes, never gets past it. Both families at once: each waits out every TTL beyond the
     * black hole.
     */
    @org.junit.jupiter.api.Test
    void tracepathNeverGetsPastAnNftablesBlackHole() {
        try (Lab lab = Lab.chain(6).ipv6().mtuBlackHole(3, 1400).inCurrentNamespace().build()) {
            List<java.util.concurrent.CompletableFuture<Tracepath>> runs = List.of(lab.destination(), lab.destination6())
                    .stream().map(target -> java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> Tracepath.run(lab, target))).toList();
            for (java.util.concurrent.CompletableFuture<Tracepath> run : runs) {
                Tracepath tp = run.join();
                assertThat(tp.lines()).as(tp.output()).isNotEmpty();
                assertThat(tp.reachedAt()).as("tracepath never gets past the black hole:%n%s", tp.output()).isEmpty();
            }
        }
    }
}
