package io.pathprobe.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SessionSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The raw transports on the wire, in the lab: a Paris trace (one FIXED flow) with linux-raw-udp,
 * linux-raw-tcp and linux-raw-icmp through a chain of real Linux routers, captured by tcpdump on
 * the host's veth (all veths with tx checksum offload off, so every checksum on the wire is final),
 * compared with {@code traceroute -U} / {@code -T} on the same lab and with the lab's expected
 * path. The capture must show, for every probe of the flow, the same ports (and, for IPv6, the same
 * flow label), the IP ID and transport checksum the transport intended for its probe number, a
 * valid checksum, and the routers' quotes must come back with quotedChecksum == sentChecksum.
 *
 * <p>IPv6: the lab chain is IPv4 only (IPv6 chains are being added to the lab module), so the
 * IPv6 test builds a tiny topology of its own here: this namespace (2001:db8:1::1), a router
 * namespace (2001:db8:1::2 / 2001:db8:2::1) and a destination namespace (2001:db8:2::2), veths
 * with {@code nodad} addresses, torn down in {@code finally}.
 */
@LabTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RawTransportsOnTheWireLabTest {
    private static final int HOPS = 6;
    private static final int PORT = 33434;

    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(HOPS).icmpUnlimited("every probe on the wire and its answer are asserted").inCurrentNamespace());

    @Test
    void parisTracesOfUdpTcpAndIcmpMatchEveryHopAndLeaveAsIntended() throws Exception {
        Lab lab = LAB.lab();
        checksumOffloadOff(lab);
        InetAddress destination = lab.destination();
        List<Optional<InetAddress>> expected = lab.expectedPath();

        Path pcap = Files.createTempFile("pathprobe-raw-", ".pcap");
        Process tcpdump = startCapture(lab.command(List.of("tcpdump", "-i", Lab.HOST_INTERFACE, "-n", "-U", "-w",
                pcap.toString(), "udp or tcp or icmp")));
        Map<ProbeProtocol, Trace> traces = new TreeMap<>();
        try {
            for (ProbeProtocol protocol : ProbeProtocol.values()) {
                traces.put(protocol, trace(provider(protocol), protocol, destination, HOPS));
            }
        } finally {
            stopCapture(tcpdump);
        }
        List<Pcap.Packet> packets = Pcap.read(pcap);
        System.out.println(tcpdumpText(lab, pcap, 40));
        Files.deleteIfExists(pcap);

        for (Map.Entry<ProbeProtocol, Trace> e : traces.entrySet()) {
            ProbeProtocol protocol = e.getKey();
            Trace t = e.getValue();
            System.out.println(protocol + " trace: " + t.path + "; " + t.responses.size() + " answers");
            assertThat(t.path).as("%s: every answering hop matched", protocol).isEqualTo(expected);
            for (ProbeResponse r : t.responses) {
                if (r.kind() == ResponseKind.TIME_EXCEEDED) {
                    assertThat(r.sentChecksum()).as("%s sent checksum: %s", protocol, r).isNotEqualTo(ProbeResponse.UNKNOWN);
                    assertThat(r.quotedChecksum()).as("%s quoted checksum on a clean path: %s", protocol, r)
                            .isEqualTo(r.sentChecksum());
                    assertThat(r.quotedTtl()).isEqualTo(1);
                }
            }
        }
        checkWire(packets, traces, lab.hostAddress(), destination);

        // traceroute on the same lab sees the same path
        List<Optional<InetAddress>> udp = Traceroute.run(lab, List.of("-U", "-q", "1"), destination);
        List<Optional<InetAddress>> tcp = Traceroute.run(lab, List.of("-T", "-q", "1", "-p", Integer.toString(PORT)),
                destination);
        System.out.println("traceroute -U: " + udp + "\ntraceroute -T: " + tcp);
        assertThat(udp).as("traceroute -U").isEqualTo(expected);
        assertThat(tcp).as("traceroute -T").isEqualTo(expected);
        assertThat(traces.get(ProbeProtocol.UDP).path).isEqualTo(udp);
        assertThat(traces.get(ProbeProtocol.TCP).path).isEqualTo(tcp);
    }

    @Test
    void ipv6ParisTracesThroughAnAdHocRouter() throws Exception {
        String prefix = "pp6-" + ProcessHandle.current().pid() + "-";
        String router = prefix + "r";
        String host = prefix + "d";
        Path pcap = Files.createTempFile("pathprobe-raw6-", ".pcap");
        Process tcpdump = null;
        try {
            sh("ip netns add " + router);
            sh("ip netns add " + host);
            sh("ip link add pp6h type veth peer name rup netns " + router);
            sh("ip -n " + router + " link add rdown type veth peer name dup netns " + host);
            sh("sysctl -qw net.ipv6.conf.pp6h.disable_ipv6=0; ip -6 addr add 2001:db8:1::1/64 dev pp6h nodad; "
                    + "ip link set pp6h up; ethtool -K pp6h tx off >/dev/null; "
                    + "ip -6 route add 2001:db8::/32 via 2001:db8:1::2 dev pp6h");
            inNamespace(router, "sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.icmp.ratelimit=0; "
                    + "ip link set lo up; ip -6 addr add 2001:db8:1::2/64 dev rup nodad; "
                    + "ip -6 addr add 2001:db8:2::1/64 dev rdown nodad; ip link set rup up; ip link set rdown up; "
                    + "ethtool -K rup tx off >/dev/null; ethtool -K rdown tx off >/dev/null");
            inNamespace(host, "sysctl -qw net.ipv6.icmp.ratelimit=0; ip link set lo up; "
                    + "ip -6 addr add 2001:db8:2::2/64 dev dup nodad; ip link set dup up; ethtool -K dup tx off >/dev/null; "
                    + "ip -6 route add 2001:db8:1::/64 via 2001:db8:2::1 dev dup");
            InetAddress destination = InetAddress.getByName("2001:db8:2::2");
            List<Optional<InetAddress>> expected = List.of(Optional.of(InetAddress.getByName("2001:db8:1::2")),
                    Optional.of(destination));
            trace(provider(ProbeProtocol.ICMP), ProbeProtocol.ICMP, destination, 2); // neighbour discovery, before the capture

            tcpdump = startCapture(new ProcessBuilder("tcpdump", "-i", "pp6h", "-n", "-U", "-w", pcap.toString(), "ip6"));
            Map<ProbeProtocol, Trace> traces = new TreeMap<>();
            try {
                for (ProbeProtocol protocol : ProbeProtocol.values()) {
                    traces.put(protocol, trace(provider(protocol), protocol, destination, 2));
                }
            } finally {
                stopCapture(tcpdump);
            }
            List<Pcap.Packet> packets = Pcap.read(pcap);
            System.out.println(text(new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-n", "-v"), 40));
            for (Map.Entry<ProbeProtocol, Trace> e : traces.entrySet()) {
                Trace t = e.getValue();
                System.out.println("IPv6 " + e.getKey() + " trace: " + t.path + "; " + t.responses);
                assertThat(t.path).as("IPv6 %s", e.getKey()).isEqualTo(expected);
                for (ProbeResponse r : t.responses) {
                    if (r.kind() == ResponseKind.TIME_EXCEEDED) {
                        assertThat(r.quotedChecksum()).as("IPv6 %s: %s", e.getKey(), r).isEqualTo(r.sentChecksum());
                        assertThat(r.quotedTtl()).isEqualTo(1);
                    }
                }
            }
            checkWire(packets, traces, InetAddress.getByName("2001:db8:1::1"), destination);
            List<Optional<InetAddress>> udp = Traceroute.run(List.of("-6", "-U", "-q", "1", "-m", "5"), destination);
            List<Optional<InetAddress>> tcp = Traceroute.run(List.of("-6", "-T", "-q", "1", "-m", "5", "-p",
                    Integer.toString(PORT)), destination);
            System.out.println("traceroute -6 -U: " + udp + "\ntraceroute -6 -T: " + tcp);
            assertThat(udp).isEqualTo(expected);
            assertThat(tcp).isEqualTo(expected);
        } finally {
            if (tcpdump != null) {
                tcpdump.destroyForcibly();
            }
            Files.deleteIfExists(pcap);
            shQuietly("ip link del pp6h");
            shQuietly("ip netns del " + router);
            shQuietly("ip netns del " + host);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** What one Paris trace saw: the responder per TTL and every answer. */
    private record Trace(ProbeProtocol protocol, List<Optional<InetAddress>> path, List<ProbeResponse> responses) {}

    private static ProbeTransportProvider provider(ProbeProtocol protocol) {
        return switch (protocol) {
            case ICMP -> new RawIcmpTransportProvider();
            case UDP -> new RawUdpTransportProvider();
            case TCP -> new RawTcpTransportProvider();
        };
    }

    /** TTL 1..hops, one FIXED flow (0x77), probe number 100 + ttl, each sent again until answered. */
    private static Trace trace(ProbeTransportProvider provider, ProbeProtocol protocol, InetAddress destination, int hops)
            throws Exception {
        ConcurrentLinkedQueue<ProbeResponse> answers = new ConcurrentLinkedQueue<>();
        try (ProbeTransport t = provider.open();
                ProbeSession s = t.openSession(new SessionSpec(protocol, destination, PORT, FlowPolicy.FIXED, 0x77),
                        answers::add)) {
            for (int round = 0; round < 5; round++) {
                Set<Integer> answered = new HashSet<>();
                answers.forEach(r -> answered.add(r.sequence()));
                boolean all = true;
                for (int ttl = 1; ttl <= hops; ttl++) {
                    if (!answered.contains(100 + ttl)) {
                        all = false;
                        s.send(ProbeSpec.of(100 + ttl, ttl));
                    }
                }
                if (all) {
                    break;
                }
                Thread.sleep(300);
            }
        }
        List<Optional<InetAddress>> path = new ArrayList<>(Collections.nCopies(hops, Optional.empty()));
        List<ProbeResponse> responses = new ArrayList<>(answers);
        for (ProbeResponse r : responses) {
            path.set(r.sequence() - 101, Optional.of(r.responder()));
        }
        return new Trace(protocol, path, responses);
    }

    /**
     * The probes on the wire: per protocol, one source and destination port (and IPv6 flow label)
     * for the whole flow; the checksum intended for the probe number, an IP ID of its own (IPv4) that the
     * routers quote; valid checksums.
     */
    private static void checkWire(List<Pcap.Packet> packets, Map<ProbeProtocol, Trace> traces, InetAddress source,
            InetAddress destination) {
        byte[] src = source.getAddress();
        byte[] dst = destination.getAddress();
        for (ProbeProtocol protocol : traces.keySet()) {
            int ipProtocol = switch (protocol) {
                case ICMP -> destination.getAddress().length == 16 ? 58 : 1;
                case UDP -> 17;
                case TCP -> 6;
            };
            Set<String> flows = new HashSet<>();
            Map<Integer, Integer> checksumByProbe = new TreeMap<>();
            Map<Integer, Integer> ipIdByProbe = new TreeMap<>();
            int count = 0;
            for (Pcap.Packet p : packets) {
                if (!java.util.Arrays.equals(p.source(), src) || !java.util.Arrays.equals(p.destination(), dst)
                        || p.protocol() != ipProtocol) {
                    continue;
                }
                int probe;
                String flow;
                switch (protocol) {
                    case UDP -> {
                        probe = p.t16(6) - 1; // the checksum carries the probe number
                        flow = p.t16(0) + ">" + p.t16(2);
                        assertThat(p.t16(2)).as("UDP destination port of flow 0x77").isEqualTo(PORT + 0x77);
                    }
                    case TCP -> {
                        probe = p.t16(6); // low half of the sequence number
                        flow = p.t16(0) + ">" + p.t16(2) + " tag " + p.t16(4);
                        assertThat(p.t16(2)).isEqualTo(PORT);
                        assertThat(p.ip()[p.transport() + 13] & 0xff).as("SYN only").isEqualTo(0x02);
                    }
                    default -> {
                        if ((p.ip()[p.transport()] & 0xff) != (p.ipv6() ? 128 : 8)) {
                            continue; // not an echo request
                        }
                        probe = p.t16(6);
                        flow = "checksum " + p.t16(2);
                        assertThat(p.t16(2)).as("ICMP checksum of flow 0x77").isEqualTo(0x77);
                    }
                }
                if (probe < 101 || probe > 100 + HOPS) {
                    continue; // traceroute's, or another test's
                }
                count++;
                assertThat(p.checksumValid()).as("%s probe %d: a valid checksum on the wire", protocol, probe).isTrue();
                assertThat(p.ttl()).as("%s probe %d TTL", protocol, probe).isEqualTo(probe - 100);
                if (p.ipv6()) {
                    flow += " label " + Integer.toHexString(p.flowLabel());
                } else {
                    assertThat(p.dontFragment()).isTrue();
                    // the transport's own IP ID (keyed per session, issue 21): never 0, one per probe number
                    assertThat(p.ipId()).as("%s probe %d IP ID", protocol, probe).isNotZero();
                    Integer before = ipIdByProbe.put(probe, p.ipId());
                    assertThat(before == null || before == p.ipId()).as("%s probe %d: one IP ID", protocol, probe).isTrue();
                }
                flows.add(flow);
                int checksum = protocol == ProbeProtocol.TCP ? p.t16(16) : p.t16(protocol == ProbeProtocol.UDP ? 6 : 2);
                checksumByProbe.put(probe, checksum);
            }
            System.out.println("wire " + protocol + (src.length == 16 ? " IPv6" : "") + ": " + count + " probes, flows "
                    + flows + ", checksum by probe " + checksumByProbe);
            assertThat(count).as("%s probes captured", protocol).isGreaterThanOrEqualTo(traces.get(protocol).path.size());
            assertThat(flows).as("%s: one flow on the wire", protocol).hasSize(1);
            for (ProbeResponse r : traces.get(protocol).responses) {
                if (r.sentChecksum() != ProbeResponse.UNKNOWN) {
                    assertThat(checksumByProbe.get(r.sequence())).as("%s probe %d: sentChecksum is what left", protocol,
                            r.sequence()).isEqualTo(r.sentChecksum());
                }
                if (r.kind() == ResponseKind.TIME_EXCEEDED && src.length == 4) {
                    assertThat(r.quotedIpId()).as("%s probe %d: the quoted IP ID is the one that left", protocol,
                            r.sequence()).isEqualTo(ipIdByProbe.get(r.sequence()));
                }
            }
            assertThat(new HashSet<>(ipIdByProbe.values())).as("%s: distinct IP IDs", protocol).hasSize(ipIdByProbe.size());
        }
    }

    private static void checksumOffloadOff(Lab lab) {
        exec(lab.command(List.of("ethtool", "-K", Lab.HOST_INTERFACE, "tx", "off")));
        for (int ttl = 1; ttl <= lab.hops(); ttl++) {
            exec(lab.command(ttl, List.of("ethtool", "-K", "uplink", "tx", "off")));
            if (ttl < lab.hops()) {
                exec(lab.command(ttl, List.of("ethtool", "-K", "downlink", "tx", "off")));
            }
        }
    }

    private static Process startCapture(ProcessBuilder b) throws Exception {
        Process p = b.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(1000); // tcpdump is listening once it has opened the interface
        return p;
    }

    private static void stopCapture(Process p) throws InterruptedException {
        Thread.sleep(300);
        p.destroy(); // SIGTERM: tcpdump flushes and exits
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static String tcpdumpText(Lab lab, Path pcap, int lines) throws IOException {
        return text(lab.command(List.of("tcpdump", "-r", pcap.toString(), "-n", "-v")), lines);
    }

    private static String text(ProcessBuilder b, int lines) throws IOException {
        Process p = b.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return String.join("\n", out.lines().limit(lines).toList());
    }

    private static void exec(ProcessBuilder b) {
        try {
            Process p = b.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError(b.command() + " failed: " + out);
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(b.command() + ": " + e, e);
        }
    }

    private static void sh(String command) {
        exec(new ProcessBuilder("sh", "-c", command));
    }

    private static void inNamespace(String namespace, String command) {
        exec(new ProcessBuilder("ip", "netns", "exec", namespace, "sh", "-c", command));
    }

    private static void shQuietly(String command) {
        try {
            new ProcessBuilder("sh", "-c", command + " 2>/dev/null").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // best effort
        }
    }
}
