package io.pathprobe.lab;

import static io.pathprobe.lab.NatTopology.DESTINATION;
import static io.pathprobe.lab.NatTopology.INSIDE_HOST;
import static io.pathprobe.lab.NatTopology.PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.Capture.Packet;
import io.pathprobe.lab.NatTopology.Shape;
import io.pathprobe.lab.middlebox.QuotePreservingNat;
import io.pathprobe.lab.runner.Traceroute;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link QuotePreservingNat} on a real home network in namespaces ({@link NatTopology}): probes are
 * translated on the way out, and the ICMP errors about them come back with the quoted source
 * restored but the quoted UDP checksum as translated; Linux still delivers them to the probing
 * socket; nothing is left behind.
 */
@LabTest
class QuotePreservingNatTest {

    /**
     * UDP probes that expire just beyond the NAT and at the destination: the Time Exceeded and the
     * Port Unreachable reach the inside host addressed to it, about a quote whose source is the
     * inside host again, with valid outer, ICMP and quoted IP checksums, and whose UDP checksum is
     * the one the probe had after translation (as captured on the NAT's outside link), which
     * tcpdump therefore calls bad.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Shape.class)
    void errorsComeBackWithTheTranslatedChecksumInTheQuote(Shape shape) throws Exception {
        try (NatTopology lab = NatTopology.build(shape); QuotePreservingNat nat = lab.startNat()) {
            int beyond = lab.natTtl() + 1; // the router beyond the NAT
            int dest = beyond + 1;
            List<Packet> inside;
            List<Packet> outside;
            String trace;
            try (Capture in = Capture.start(lab.host, NatTopology.HOST_INTERFACE);
                    Capture out = Capture.start(lab.nat, NatTopology.NAT_OUTSIDE)) {
                trace = Processes.output(NatTopology.in(lab.host, "traceroute", "-n", "-U", "-q", "1", "-w", "2",
                        "-f", Integer.toString(beyond), "-m", Integer.toString(dest), DESTINATION.getHostAddress()));
                inside = in.stop();
                outside = out.stop();
            }
            System.out.println(trace);
            Traceroute.Result r = Traceroute.parse(trace);
            assertThat(r.hops()).extracting(Traceroute.Hop::ttl).containsExactly(beyond, dest);
            assertThat(r.hops().get(0).probes().get(0).address()).contains(NatTopology.BEYOND_NAT);
            assertThat(r.reached(DESTINATION)).isTrue();

            for (int ttl : new int[] {beyond, dest}) {
                checkError(ttl, ttl == beyond ? 11 : 3, ttl == beyond ? NatTopology.BEYOND_NAT.getHostAddress()
                        : DESTINATION.getHostAddress(), lab.natTtl(), inside, outside);
            }
        }
    }

    private static void checkError(int ttl, int icmpType, String responder, int hopsBack, List<Packet> inside,
            List<Packet> outside) {
        String what = "probe with TTL " + ttl;
        // the probe as the inside host sent it, and as the NAT sent it on
        Packet probe = only(inside, p -> p.protocol() == 17 && p.ttl() == ttl
                && p.source().equals(INSIDE_HOST.getHostAddress()), what + " on the inside");
        Packet translated = only(outside, p -> p.protocol() == 17 && p.id() == probe.id(), what + " on the outside");
        assertThat(translated.source()).isEqualTo(PUBLIC.getHostAddress());
        assertThat(translated.text()).as("tcpdump on the outside: %s", translated).contains("[udp sum ok]");
        int original = probe.u16(probe.ihl() + 6);
        int afterNat = translated.u16(translated.ihl() + 6);
        assertThat(afterNat).as("the translation changed the UDP checksum").isNotEqualTo(original);

        // the ICMP error as it reached the NAT, and as it reached the inside host
        Packet before = only(outside, p -> isErrorAbout(p, probe.id()), "ICMP error about the " + what + " outside");
        Packet after = only(inside, p -> isErrorAbout(p, probe.id()), "ICMP error about the " + what + " inside");
        System.out.println("--- outside (NAT's " + NatTopology.NAT_OUTSIDE + "):\n" + before.text());
        System.out.println("--- inside (host's " + NatTopology.HOST_INTERFACE + "):\n" + after.text());
        assertThat(before.destination()).isEqualTo(PUBLIC.getHostAddress());
        assertThat(before.text()).contains("[udp sum ok]");

        int ihl = after.ihl();
        int icmp = ihl;
        int quote = icmp + 8;
        int qihl = (after.u8(quote) & 0x0f) * 4;
        int length = after.u16(2);
        // outer header: from the router that sent it, to the inside host, one TTL less per router on the way back
        assertThat(after.source()).isEqualTo(responder);
        assertThat(after.destination()).isEqualTo(INSIDE_HOST.getHostAddress());
        assertThat(after.ttl()).isEqualTo(before.ttl() - hopsBack);
        assertThat(after.u8(icmp)).isEqualTo(icmpType);
        assertThat(length).isEqualTo(before.u16(2)).isEqualTo(after.bytes().length);
        assertThat(Capture.checksum(after.bytes(), 0, ihl)).as("outer IP checksum").isZero();
        assertThat(Capture.checksum(after.bytes(), icmp, length - icmp)).as("ICMP checksum").isZero();
        // the quote: source restored, its IP header checksum valid, everything after that header untouched
        assertThat(after.address(quote + 12)).isEqualTo(INSIDE_HOST.getHostAddress());
        assertThat(after.address(quote + 16)).isEqualTo(DESTINATION.getHostAddress());
        assertThat(Capture.checksum(after.bytes(), quote, qihl)).as("quoted IP header checksum").isZero();
        assertThat(Arrays.copyOfRange(after.bytes(), quote + qihl, length))
                .as("the quoted UDP header and payload, as the NAT received them")
                .isEqualTo(Arrays.copyOfRange(before.bytes(), quote + qihl, length));
        int quoted = after.u16(quote + qihl + 6);
        assertThat(quoted).as("quoted UDP checksum = the probe's after translation").isEqualTo(afterNat);
        // tcpdump agrees: every checksum right but the quoted UDP one, which would be the probe's original
        assertThat(after.text())
                .contains(String.format("[bad udp cksum 0x%04x -> 0x%04x!]", afterNat, original))
                .doesNotContain("wrong icmp cksum")
                .doesNotContain("bad cksum");
    }

    private static boolean isErrorAbout(Packet p, int id) {
        if (p.protocol() != 1 || p.bytes().length < p.ihl() + 28) {
            return false;
        }
        int type = p.u8(p.ihl());
        return (type == 3 || type == 11) && p.u16(p.ihl() + 8 + 4) == id;
    }

    private static Packet only(List<Packet> packets, java.util.function.Predicate<Packet> which, String what) {
        List<Packet> found = packets.stream().filter(which).toList();
        assertThat(found).as("%s in %s", what, packets).hasSize(1);
        return found.get(0);
    }

    /** Linux traceroute from the inside host sees every hop and reaches the destination, whatever it probes with. */
    @ParameterizedTest(name = "{0} traceroute {1}")
    @CsvSource({"GATEWAY, -U", "GATEWAY, -I", "GATEWAY, -T", "GATEWAY, ''",
        "BEHIND_LAN_ROUTER, -U", "BEHIND_LAN_ROUTER, -I", "BEHIND_LAN_ROUTER, -T", "BEHIND_LAN_ROUTER, ''"})
    void tracerouteThroughTheNatReachesTheDestination(Shape shape, String method) throws Exception {
        try (NatTopology lab = NatTopology.build(shape); QuotePreservingNat nat = lab.startNat()) {
            List<String> cmd = new java.util.ArrayList<>(List.of("traceroute", "-n"));
            if (!method.isEmpty()) {
                cmd.add(method);
            }
            cmd.addAll(List.of("-w", "2", "-m", "8", DESTINATION.getHostAddress()));
            String out = Processes.output(NatTopology.in(lab.host, cmd.toArray(String[]::new)));
            System.out.println(out);
            Traceroute.Result r = Traceroute.parse(out);
            assertThat(r.path()).isEqualTo(lab.expectedPath());
            assertThat(r.reached(DESTINATION)).isTrue();
            assertThat(r.hops()).allSatisfy(h -> assertThat(h.probes()).hasSize(3)
                    .allSatisfy(p -> assertThat(p.annotation()).isEmpty()));
        }
    }

    /** close() removes the table and the daemon, idempotently; the home network is cut off again. */
    @Test
    void closeLeavesNothingBehind() throws Exception {
        try (NatTopology lab = NatTopology.build(Shape.GATEWAY)) {
            QuotePreservingNat nat = lab.startNat();
            long pid = nat.daemonPid();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            assertThat(pids(lab.nat)).containsExactly(Long.toString(pid));
            assertThat(Processes.output(NatTopology.in(lab.nat, "nft", "list", "tables"))).contains(nat.table());
            assertThat(Processes.output(NatTopology.in(lab.nat, "nft", "list", "table", "ip", nat.table())))
                    .contains("ip saddr set 198.18.0.1", "ip daddr set 192.168.1.2", "drop");

            nat.close();
            nat.close();

            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(pids(lab.nat)).isEmpty();
            assertThat(Processes.output(NatTopology.in(lab.nat, "nft", "list", "ruleset")).strip()).isEmpty();
            assertThat(nat.daemonLog()).contains("exiting (stdin closed)");
            // without the NAT the router beyond it cannot answer the home network
            Traceroute.Result r = Traceroute.parse(Processes.output(NatTopology.in(lab.host, "traceroute", "-n", "-U",
                    "-q", "1", "-w", "1", "-m", "2", DESTINATION.getHostAddress())));
            assertThat(r.path()).containsExactly(Optional.of(NatTopology.v4("192.168.1.1")), Optional.empty());
        }
    }

    /**
     * A JVM that dies without closing its NAT (halt: no shutdown hooks, as in a crash or kill -9)
     * leaves no daemon: it exits when its stdin pipe closes.
     */
    @Test
    void theDaemonDiesWithItsJvm() throws Exception {
        try (NatTopology lab = NatTopology.build(Shape.GATEWAY)) {
            Process child = new ProcessBuilder(Lab.javaCommand(QuotePreservingNatCrash.class, lab.nat))
                    .redirectErrorStream(true).start();
            long pid = -1;
            String binary = null;
            StringBuilder seen = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.startsWith("daemon ")) {
                        pid = Long.parseLong(line.substring(7).strip());
                    } else if (line.startsWith("binary ")) {
                        binary = line.substring(7).strip();
                    }
                }
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(seen.toString()).isEqualTo(QuotePreservingNatCrash.HALTED);
            assertThat(pid).as(seen.toString()).isPositive();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!pids(lab.nat).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(pids(lab.nat)).as("processes left in the NAT's namespace").isEmpty();
                long daemon = pid;
                assertThat(ProcessHandle.allProcesses().filter(p -> p.pid() == daemon && p.isAlive()
                        && p.info().command().map(c -> c.endsWith("quotenat")).orElse(false))).isEmpty();
            } finally {
                if (binary != null) { // the halted JVM could not delete its temporary directory
                    Path dir = Path.of(binary).getParent();
                    Files.deleteIfExists(dir.resolve("quotenat"));
                    Files.deleteIfExists(dir.resolve("quotenat.c"));
                    Files.deleteIfExists(dir.resolve("labpacket.h"));
                    Files.deleteIfExists(dir);
                }
            }
        }
    }

    @Test
    void refusesWhatItCannotDo() {
        assertThatThrownBy(() -> QuotePreservingNat.start("pathprobe-no-such-namespace", "in0", "out0", INSIDE_HOST, PUBLIC))
                .isInstanceOf(LabException.class).hasMessageContaining("no network namespace");
        assertThatThrownBy(() -> QuotePreservingNat.start("x", "in0", "bad name", INSIDE_HOST, PUBLIC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuotePreservingNat.start("x", "in0", "in0", INSIDE_HOST, PUBLIC))
                .isInstanceOf(IllegalArgumentException.class);
        try (NatTopology lab = NatTopology.build(Shape.GATEWAY)) {
            assertThatThrownBy(() -> QuotePreservingNat.start(lab.nat, "in0", "nosuch0", INSIDE_HOST, PUBLIC))
                    .isInstanceOf(LabException.class).hasMessageContaining("nosuch0");
            assertThat(pids(lab.nat)).isEmpty();
            assertThat(Processes.output(NatTopology.in(lab.nat, "nft", "list", "ruleset")).strip()).isEmpty();
        }
    }

    private static List<String> pids(String ns) {
        return Processes.output("ip", "netns", "pids", ns).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
