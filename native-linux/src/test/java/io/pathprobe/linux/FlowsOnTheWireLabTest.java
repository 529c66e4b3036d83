package io.pathprobe.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SessionSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The flows of the unprivileged transports as they leave the host, captured with tcpdump (pcap,
 * parsed here) on the host's link of a small ad-hoc topology, IPv4 and IPv6: host (this JVM's
 * private namespace) - router - destination, veths with transmit checksum offload off (so the
 * kernel computes UDP and TCP checksums as a NIC would), no route out. The lab chain has no IPv6
 * yet, hence this topology of its own. Everything it creates is deleted after the class.
 *
 * <ul>
 *   <li>UDP Paris (FIXED, EXPLICIT): every probe of a flow has the same source and destination
 *       ports and IPv6 flow label; its UDP checksum is exactly {@code sequence + 1} and valid;
 *       answers from the router (TTL 1) and the destination (TTL 2) are matched to every probe;
 *   <li>ICMP: FIXED probes all carry the flow's checksum (IPv4 and IPv6), PER_PROBE ones varying
 *       checksums; the IPv6 label is constant;
 *   <li>TCP connect: FIXED SYNs all have one source port (and IPv6 flow label 0), PER_PROBE ones
 *       a port each; answers (Time Exceeded, RST) are matched; FIXED probes sent back to back (each
 *       releasing the one before) are never credited with the answer of another.
 * </ul>
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlowsOnTheWireLabTest {
    private static final String NS = "ppwire-" + ProcessHandle.current().pid();
    private static final String HOST_IF = "ppw0";
    private static final InetAddress ROUTER4 = ip("198.18.250.2");
    private static final InetAddress DEST4 = ip("198.18.250.6");
    private static final InetAddress ROUTER6 = ip("2001:db8:250:1::2");
    private static final InetAddress DEST6 = ip("2001:db8:250:2::2");

    private Process tcpdump;
    private Path pcap;

    @BeforeAll
    void build() throws Exception {
        TestNamespace.allowPingSockets();
        run("ip", "netns", "add", NS + "-r");
        run("ip", "netns", "add", NS + "-d");
        String r = NS + "-r";
        String d = NS + "-d";
        run("ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", "ppw0r", "netns", r);
        run("ip", "-n", r, "link", "add", "ppw1r", "type", "veth", "peer", "name", "ppw1d", "netns", d);
        run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0");
        for (String ns : List.of(r, d)) {
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0",
                    "net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0", "net.ipv4.ip_forward=1",
                    "net.ipv6.conf.all.forwarding=1");
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        run("ethtool", "-K", HOST_IF, "tx", "off");
        run("ip", "netns", "exec", r, "ethtool", "-K", "ppw0r", "tx", "off");
        run("ip", "netns", "exec", r, "ethtool", "-K", "ppw1r", "tx", "off");
        run("ip", "netns", "exec", d, "ethtool", "-K", "ppw1d", "tx", "off");
        run("ip", "addr", "add", "198.18.250.1/30", "dev", HOST_IF);
        run("ip", "addr", "add", "2001:db8:250:1::1/64", "dev", HOST_IF, "nodad");
        run("ip", "-n", r, "addr", "add", "198.18.250.2/30", "dev", "ppw0r");
        run("ip", "-n", r, "addr", "add", "2001:db8:250:1::2/64", "dev", "ppw0r", "nodad");
        run("ip", "-n", r, "addr", "add", "198.18.250.5/30", "dev", "ppw1r");
        run("ip", "-n", r, "addr", "add", "2001:db8:250:2::1/64", "dev", "ppw1r", "nodad");
        run("ip", "-n", d, "addr", "add", "198.18.250.6/30", "dev", "ppw1d");
        run("ip", "-n", d, "addr", "add", "2001:db8:250:2::2/64", "dev", "ppw1d", "nodad");
        run("ip", "link", "set", HOST_IF, "up");
        run("ip", "-n", r, "link", "set", "ppw0r", "up");
        run("ip", "-n", r, "link", "set", "ppw1r", "up");
        run("ip", "-n", d, "link", "set", "ppw1d", "up");
        run("ip", "route", "add", "198.18.250.4/30", "via", "198.18.250.2");
        run("ip", "-6", "route", "add", "2001:db8:250:2::/64", "via", "2001:db8:250:1::2");
        run("ip", "-n", d, "route", "add", "198.18.250.0/30", "via", "198.18.250.5");
        run("ip", "-n", d, "-6", "route", "add", "2001:db8:250:1::/64", "via", "2001:db8:250:2::1");
        // neighbours resolved before the capture starts
        for (int i = 0; i < 50; i++) {
            if (runOk("ip", "netns", "exec", d, "ip", "-6", "route", "get", "2001:db8:250:1::1")) {
                break;
            }
            Thread.sleep(20);
        }
    }

    @AfterAll
    void tearDown() {
        stopCapture();
        runOk("ip", "link", "del", HOST_IF);
        runOk("ip", "netns", "del", NS + "-r");
        runOk("ip", "netns", "del", NS + "-d");
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void udpParisFlowsKeepTheirPortsAndLabelAndCarryTheSequenceInTheChecksum() throws Exception {
        for (InetAddress dest : List.of(DEST4, DEST6)) {
            InetAddress router = dest == DEST4 ? ROUTER4 : ROUTER6;
            startCapture("udp");
            List<ProbeResponse> fixedAnswers = new CopyOnWriteArrayList<>();
            List<ProbeResponse> explicitAnswers = new CopyOnWriteArrayList<>();
            try (ProbeTransport t = new UdpRecverrTransportProvider().open();
                    ProbeSession fixed = t.openSession(new SessionSpec(ProbeProtocol.UDP, dest, 33434, FlowPolicy.FIXED, 5),
                            fixedAnswers::add);
                    ProbeSession explicit = t.openSession(SessionSpec.explicit(ProbeProtocol.UDP, dest, 40000),
                            explicitAnswers::add)) {
                int[] sequences = {0, 1, 2, 0x7f, 0xff, 0x100, 0x1234, 0xfffd, 0xfffe};
                for (int i = 0; i < sequences.length; i++) {
                    fixed.send(ProbeSpec.of(sequences[i], 1 + i % 2));
                    explicit.send(new ProbeSpec(sequences[i], 1 + i % 2, i % 3));
                    Thread.sleep(2);
                }
                awaitAnswers(fixedAnswers, sequences.length);
                awaitAnswers(explicitAnswers, sequences.length);
                List<Packet> packets = stopCapture().stream().filter(p -> p.protocol == 17 && p.source.equals(sourceOf(dest)))
                        .toList();
                assertThat(packets).as("captured UDP probes to %s", dest).hasSize(2 * sequences.length);
                Map<Integer, List<Packet>> byDport = new TreeMap<>();
                for (Packet p : packets) {
                    assertThat(p.checksumValid).as("udp sum ok: %s", p).isTrue();
                    int sequence = p.payloadShort(2);
                    assertThat(p.checksum).as("the UDP checksum carries sequence %d + 1: %s", sequence, p)
                            .isEqualTo(sequence + 1);
                    byDport.computeIfAbsent(p.dport, k -> new ArrayList<>()).add(p);
                }
                assertThat(byDport.keySet()).containsExactly(33439, 40000, 40001, 40002);
                Set<Integer> labels = new HashSet<>();
                for (List<Packet> flow : byDport.values()) {
                    assertThat(flow).extracting(p -> p.sport).as("one source port per flow").containsOnly(flow.get(0).sport);
                    assertThat(flow).extracting(p -> p.flowLabel).as("one flow label per flow").containsOnly(flow.get(0).flowLabel);
                    labels.add(flow.get(0).flowLabel);
                }
                if (dest == DEST6) {
                    assertThat(labels).as("IPv6 labels differ between flows").hasSize(4);
                }
                for (List<ProbeResponse> answers : List.of(fixedAnswers, explicitAnswers)) {
                    assertThat(answers).extracting(ProbeResponse::sequence).containsExactlyInAnyOrder(
                            java.util.Arrays.stream(sequences).boxed().toArray(Integer[]::new));
                    for (ProbeResponse a : answers) {
                        int index = java.util.Arrays.binarySearch(sequences, a.sequence());
                        assertThat(a.responder()).isEqualTo(index % 2 == 0 ? router : dest);
                        assertThat(a.kind()).isEqualTo(index % 2 == 0 ? ResponseKind.TIME_EXCEEDED
                                : ResponseKind.DESTINATION_UNREACHABLE);
                    }
                }
            }
            System.out.println("UDP Paris on the wire toward " + dest.getHostAddress() + ":\n" + lastDump);
        }
    }

    @Test
    void icmpFixedFlowsKeepOneChecksumAndClassicOnesVaryIt() throws Exception {
        for (InetAddress dest : List.of(DEST4, DEST6)) {
            startCapture(dest == DEST4 ? "icmp" : "icmp6");
            List<ProbeResponse> fixedAnswers = new CopyOnWriteArrayList<>();
            List<ProbeResponse> classicAnswers = new CopyOnWriteArrayList<>();
            try (ProbeTransport t = new IcmpDatagramTransportProvider().open();
                    ProbeSession fixed = t.openSession(new SessionSpec(ProbeProtocol.ICMP, dest, 1, FlowPolicy.FIXED, 0x1234),
                            fixedAnswers::add);
                    ProbeSession classic = t.openSession(SessionSpec.perProbe(ProbeProtocol.ICMP, dest, 1),
                            classicAnswers::add)) {
                for (int i = 0; i < 8; i++) {
                    fixed.send(ProbeSpec.of(100 + i, 1 + i % 2));
                    classic.send(ProbeSpec.of(200 + i, 1 + i % 2));
                    Thread.sleep(2);
                }
                awaitAnswers(fixedAnswers, 8);
                awaitAnswers(classicAnswers, 8);
                List<Packet> requests = stopCapture().stream()
                        .filter(p -> p.source.equals(sourceOf(dest)) && p.icmpType == (dest == DEST4 ? 8 : 128)).toList();
                assertThat(requests).hasSize(16);
                List<Integer> fixedSums = new ArrayList<>();
                List<Integer> classicSums = new ArrayList<>();
                for (Packet p : requests) {
                    assertThat(p.checksumValid).as("valid checksum: %s", p).isTrue();
                    (p.icmpSequence() < 200 ? fixedSums : classicSums).add(p.checksum);
                }
                assertThat(fixedSums).as("FIXED: the flow's checksum, IPv4 and IPv6").containsOnly(0x1234);
                assertThat(new HashSet<>(classicSums)).as("PER_PROBE: the checksum varies").hasSize(8);
                assertThat(requests).extracting(p -> p.flowLabel).as("one flow label").containsOnly(requests.get(0).flowLabel);
                for (ProbeResponse a : fixedAnswers) {
                    assertThat(a.sentChecksum()).isEqualTo(0x1234);
                    if (a.kind() == ResponseKind.TIME_EXCEEDED) {
                        assertThat(a.quotedChecksum()).isEqualTo(0x1234);
                        assertThat(a.checksumDelta()).isZero();
                    }
                }
                for (ProbeResponse a : classicAnswers) {
                    if (a.kind() == ResponseKind.TIME_EXCEEDED) {
                        assertThat(a.checksumDelta()).as("%s", a).isZero();
                        assertThat(classicSums).contains(a.quotedChecksum());
                    }
                }
            }
            System.out.println("ICMP flows on the wire toward " + dest.getHostAddress() + ":\n" + lastDump);
        }
    }

    @Test
    void tcpFixedSessionsKeepOnePortAndLabelAndClassicOnesChangeIt() throws Exception {
        for (InetAddress dest : List.of(DEST4, DEST6)) {
            InetAddress router = dest == DEST4 ? ROUTER4 : ROUTER6;
            for (FlowPolicy policy : List.of(FlowPolicy.FIXED, FlowPolicy.PER_PROBE)) {
                startCapture("tcp");
                List<ProbeResponse> answers = new CopyOnWriteArrayList<>();
                try (ProbeTransport t = new TcpConnectTransportProvider().open();
                        ProbeSession s = t.openSession(new SessionSpec(ProbeProtocol.TCP, dest, 33434, policy, 0), answers::add)) {
                    assertThat(s.maxInFlight()).isEqualTo(policy == FlowPolicy.FIXED ? 1 : Integer.MAX_VALUE);
                    for (int i = 0; i < 8; i++) {
                        int sequence = 10 + i;
                        s.send(ProbeSpec.of(sequence, 1 + i % 2));
                        if (policy == FlowPolicy.FIXED) { // one in flight: wait for its answer
                            awaitAnswers(answers, i + 1);
                        }
                    }
                    awaitAnswers(answers, 8);
                    List<Packet> syns = stopCapture().stream()
                            .filter(p -> p.protocol == 6 && p.source.equals(sourceOf(dest)) && (p.tcpFlags & 0x02) != 0).toList();
                    assertThat(syns).as("one SYN per probe, no retransmission").hasSize(8);
                    assertThat(syns).extracting(p -> p.dport).containsOnly(33434);
                    if (policy == FlowPolicy.FIXED) {
                        assertThat(syns).extracting(p -> p.sport).as("FIXED: one source port").containsOnly(syns.get(0).sport);
                        assertThat(syns).extracting(p -> p.flowLabel).as("FIXED: IPv6 flow label 0").containsOnly(dest == DEST4 ? -1 : 0);
                    } else {
                        assertThat(new HashSet<>(syns.stream().map(p -> p.sport).toList())).as("PER_PROBE: a port each")
                                .hasSize(8);
                    }
                    assertThat(answers).extracting(ProbeResponse::sequence).containsExactlyInAnyOrder(10, 11, 12, 13, 14, 15, 16, 17);
                    for (ProbeResponse a : answers) {
                        boolean router1 = (a.sequence() - 10) % 2 == 0;
                        assertThat(a.responder()).isEqualTo(router1 ? router : dest);
                        assertThat(a.kind()).isEqualTo(router1 ? ResponseKind.TIME_EXCEEDED : ResponseKind.TCP_RESET);
                    }
                }
                System.out.println("TCP " + policy + " on the wire toward " + dest.getHostAddress() + ":\n" + lastDump);
            }
        }
    }

    /**
     * A FIXED (Paris) TCP session sent back to back, without waiting for answers: each send releases the previous
     * probe, whose answer may still be on its way to the same 4-tuple, now the next probe's socket. Whatever the
     * timing, every answer delivered names the probe that drew it (Time Exceeded from the router for TTL 1, RST
     * from the destination for TTL 2), at most once; a released probe's answer is delivered before its release or
     * lost (the kernel drops an ICMP error quoting another sequence number than the socket's: docs/transports.md),
     * never credited to the probe after it. The last probe is never released: it is answered. The neighbours are
     * resolved first (a probe answered before the burst).
     */
    @Test
    void tcpFixedProbesSentBackToBackAreNeverCreditedWithTheAnswerOfTheProbeBefore() throws Exception {
        for (InetAddress dest : List.of(DEST4, DEST6)) {
            InetAddress router = dest == DEST4 ? ROUTER4 : ROUTER6;
            List<ProbeResponse> answers = new CopyOnWriteArrayList<>();
            int probes = 64;
            int warmUps = 0;
            try (ProbeTransport t = new TcpConnectTransportProvider().open();
                    ProbeSession s = t.openSession(new SessionSpec(ProbeProtocol.TCP, dest, 33434, FlowPolicy.FIXED, 0),
                            answers::add)) {
                // a probe answered first, sent again until one is: the neighbours are resolved (and the routers'
                // IPv6 link-local addresses past duplicate address detection) before the burst
                long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (; answers.isEmpty() && System.nanoTime() < ready; warmUps++) {
                    s.send(ProbeSpec.of(400 + warmUps, 2));
                    for (int w = 0; w < 100 && answers.isEmpty(); w++) {
                        Thread.sleep(5);
                    }
                }
                awaitAnswers(answers, 1);
                answers.clear();
                for (int i = 0; i < probes; i++) {
                    s.send(ProbeSpec.of(500 + i, 1 + i % 2));
                }
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (answers.stream().noneMatch(a -> a.sequence() == 500 + probes - 1) && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                Thread.sleep(200); // stragglers of released probes, were any delivered
            }
            assertThat(answers).extracting(ProbeResponse::sequence).as("the last probe, never released, is answered")
                    .contains(500 + probes - 1);
            assertThat(answers).extracting(ProbeResponse::sequence).as("at most one answer a probe").doesNotHaveDuplicates();
            for (ProbeResponse a : answers) {
                assertThat(a.sequence()).isBetween(500, 500 + probes - 1);
                boolean router1 = (a.sequence() - 500) % 2 == 0;
                assertThat(a.responder()).as("the answer to probe %d (TTL %d): %s", a.sequence(), router1 ? 1 : 2, a)
                        .isEqualTo(router1 ? router : dest);
                assertThat(a.kind()).as("%s", a).isEqualTo(router1 ? ResponseKind.TIME_EXCEEDED : ResponseKind.TCP_RESET);
            }
            System.out.println("TCP FIXED back to back toward " + dest.getHostAddress() + ": " + answers.size() + " of "
                    + probes + " probes answered before the next released them (after " + warmUps
                    + " probe(s) sent until one was answered)");
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static InetAddress sourceOf(InetAddress dest) {
        return dest == DEST4 ? ip("198.18.250.1") : ip("2001:db8:250:1::1");
    }

    private static void awaitAnswers(List<ProbeResponse> answers, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (answers.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(answers).as("answers").hasSizeGreaterThanOrEqualTo(count);
    }

    private String lastDump = "";

    private void startCapture(String filter) throws Exception {
        pcap = Files.createTempFile("pathprobe-wire", ".pcap");
        tcpdump = new ProcessBuilder("tcpdump", "--immediate-mode", "-Z", "root", "-i", HOST_IF, "-U", "-nn", "-w", pcap.toString(), filter)
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.contains("listening on")) {
            // wait until it captures
        }
        Thread.sleep(50);
    }

    private List<Packet> stopCapture() {
        if (tcpdump == null) {
            return List.of();
        }
        try {
            Thread.sleep(200);
            tcpdump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
            tcpdump = null;
            Process p = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-nn", "-vv").redirectErrorStream(true).start();
            lastDump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            List<Packet> packets = Packet.parsePcap(Files.readAllBytes(pcap));
            Files.deleteIfExists(pcap);
            return packets;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }

    private static boolean runOk(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** What a captured Ethernet frame carries, as far as these tests look. */
    static final class Packet {
        InetAddress source;
        InetAddress destination;
        int protocol;
        int flowLabel = -1;
        int sport;
        int dport;
        int checksum;
        boolean checksumValid;
        int icmpType = -1;
        int tcpFlags;
        byte[] l4;

        int payloadShort(int offset) {
            return ((l4[8 + offset] & 0xff) << 8) | (l4[8 + offset + 1] & 0xff);
        }

        int icmpSequence() {
            return ((l4[6] & 0xff) << 8) | (l4[7] & 0xff);
        }

        @Override
        public String toString() {
            return source.getHostAddress() + "." + sport + " > " + destination.getHostAddress() + "." + dport + " proto "
                    + protocol + " sum 0x" + Integer.toHexString(checksum) + (checksumValid ? " ok" : " BAD")
                    + " label 0x" + Integer.toHexString(flowLabel);
        }

        static List<Packet> parsePcap(byte[] file) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(file);
            int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            b.order(magic == 0xa1b2c3d4 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            int at = 24;
            List<Packet> out = new ArrayList<>();
            while (at + 16 <= file.length) {
                int captured = b.getInt(at + 8);
                int frame = at + 16;
                at = frame + captured;
                if (at > file.length) {
                    break;
                }
                int etherType = ((file[frame + 12] & 0xff) << 8) | (file[frame + 13] & 0xff);
                Packet p = etherType == 0x0800 ? ipv4(file, frame + 14) : etherType == 0x86dd ? ipv6(file, frame + 14) : null;
                if (p != null) {
                    out.add(p);
                }
            }
            return Collections.unmodifiableList(out);
        }

        private static Packet ipv4(byte[] f, int ip) throws IOException {
            Packet p = new Packet();
            int ihl = (f[ip] & 0x0f) * 4;
            int total = u16(f, ip + 2);
            p.protocol = f[ip + 9] & 0xff;
            p.source = InetAddress.getByAddress(java.util.Arrays.copyOfRange(f, ip + 12, ip + 16));
            p.destination = InetAddress.getByAddress(java.util.Arrays.copyOfRange(f, ip + 16, ip + 20));
            p.l4 = java.util.Arrays.copyOfRange(f, ip + ihl, ip + total);
            long pseudo = sum(f, ip + 12, 8) + p.protocol + p.l4.length;
            return transport(p, pseudo);
        }

        private static Packet ipv6(byte[] f, int ip) throws IOException {
            Packet p = new Packet();
            p.flowLabel = (int) (((f[ip + 1] & 0x0fL) << 16) | u16(f, ip + 2));
            int length = u16(f, ip + 4);
            p.protocol = f[ip + 6] & 0xff;
            p.source = InetAddress.getByAddress(java.util.Arrays.copyOfRange(f, ip + 8, ip + 24));
            p.destination = InetAddress.getByAddress(java.util.Arrays.copyOfRange(f, ip + 24, ip + 40));
            p.l4 = java.util.Arrays.copyOfRange(f, ip + 40, ip + 40 + length);
            long pseudo = sum(f, ip + 8, 32) + p.protocol + p.l4.length;
            return transport(p, pseudo);
        }

        private static Packet transport(Packet p, long pseudo) {
            byte[] l4 = p.l4;
            long s = sum(l4, 0, l4.length);
            if (p.protocol == 17 || p.protocol == 6) {
                p.sport = u16(l4, 0);
                p.dport = u16(l4, 2);
                p.checksum = u16(l4, p.protocol == 17 ? 6 : 16);
                p.checksumValid = fold(s + pseudo) == 0xffff;
                if (p.protocol == 6) {
                    p.tcpFlags = l4[13] & 0xff;
                }
            } else if (p.protocol == 1 || p.protocol == 58) {
                p.icmpType = l4[0] & 0xff;
                p.checksum = u16(l4, 2);
                p.checksumValid = fold(s + (p.protocol == 58 ? pseudo : 0)) == 0xffff;
            }
            return p;
        }

        private static long sum(byte[] b, int offset, int length) {
            long s = 0;
            for (int i = 0; i + 1 < length; i += 2) {
                s += u16(b, offset + i);
            }
            if ((length & 1) == 1) {
                s += (b[offset + length - 1] & 0xff) << 8;
            }
            return s;
        }

        private static int fold(long s) {
            while ((s >>> 16) != 0) {
                s = (s & 0xffff) + (s >>> 16);
            }
            return (int) s;
        }

        private static int u16(byte[] b, int offset) {
            return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
        }
    }
}
