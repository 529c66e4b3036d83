package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.TracerStats;
import io.pathprobe.enrich.Responder;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.lab.middlebox.HostileRouter;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.DropReason;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 21, "every quote is checked whole", on real kernel routers: a 5-hop chain whose router 1 is
 * also a hostile router ({@link HostileRouter}) answering every probe with the forgeries of the chaos
 * suite (kinds 1-5) and the rewritten probe number (kinds 6 and 7: the previous probe's number, the
 * rest as sent, the checksum included; quoted in 28 bytes and whole), each from an address of its own.
 * Every Linux transport, raw and unprivileged, ICMP, UDP and TCP, Paris and classic where it offers
 * it, traces through it while router 1 forwards slowly away from the host ({@link Chaos#slowForward}),
 * so that the forgeries for probes beyond it arrive before the real answers, while those probes are
 * pending: nothing may be attributed to a forged address, and every hop of the chain
 * must still be found with its real router's answers (so the test fails both ways: a check too weak
 * lets forgeries in, one too strong loses the routers' genuine quotes, which Linux routers make whole).
 *
 * <p>Two known limits of the unprivileged transports, whose kinds are left out here and said so
 * (they were attributed when tried: 52 of 60 kind-2 forgeries through each):
 * <ul>
 *   <li>linux-udp-recverr in classic mode reads the probe number from the quoted destination port,
 *       which is all an unprivileged socket gets of an 8-byte quote (the error queue hands over no
 *       quoted IP or UDP header, so neither the IP ID nor the checksum): kinds 2 (checksum and IP ID
 *       + 1: the port is the probe's own), 4 and 6 (the port rewritten to another probe's) are, to it,
 *       genuine answers. Its whole quotes (kind 7) are caught by the sequence and cookie the classic
 *       payload now carries; in Paris mode an 8-byte quote is QUOTE_TOO_SHORT.</li>
 *   <li>linux-tcp-connect: the kernel chooses the SYN's initial sequence number and tells no
 *       unprivileged program; it accepts an ICMP error quoting that number or the next one (tcp_v4_err:
 *       between snd_una and snd_nxt), and the first error ends the connect. Kind 2 (sequence number +
 *       1) is therefore taken by the kernel for the probe; the others (another probe's number, ports,
 *       destination) never reach the socket.</li>
 * </ul>
 * The raw transports (linux-raw-udp, linux-raw-tcp, linux-raw-icmp) catch all seven: they choose the
 * IP ID (keyed per session) and see the whole quote. linux-tcp-in-connection (issue 26: the segments of a
 * connection to the lab's TCP service) catches the six that forge its probes' answers; kind 2 is left out for
 * the reason linux-tcp-connect's is: the forger also answers the connection's own SYN, and its sequence
 * number + 1 is what the kernel takes, in SYN_SENT, for the SYN's answer, so the connect fails (the trace
 * would fall back to SYN probes, which are not what is tested here).
 */
@LabTest
class ForgedQuoteLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(5).tcpService(8080).icmpUnlimited("forged and genuine quotes are injected probe for probe: a refusal would hide the genuine answer under test").inCurrentNamespace());
    /** The port a trace inside a connection connects to (the lab's service); SYN probes go to port 80, closed (RST). */
    private static final int SERVICE = 8080;

    private static final int TRACES = 2;
    /** Router 1's forwarding rate away from the host: 60-byte probes leave it every 15 ms. */
    private static final long SLOW_BITS_PER_SECOND = 32_000;
    private static final List<String> REPORT = Collections.synchronizedList(new ArrayList<>());

    @AfterAll
    static void report() {
        System.out.println("forged quotes: transport flow mode | forged by kind | attributed by kind | hops found | drops");
        REPORT.forEach(System.out::println);
    }

    @ParameterizedTest(name = "{0} {2} kinds {3}")
    @CsvSource({
        "linux-raw-icmp, ICMP, PARIS, 1234567",
        "linux-icmp-dgram, ICMP, PARIS, 1234567",
        "linux-icmp-dgram, ICMP, CLASSIC, 1234567",
        "linux-raw-udp, UDP, PARIS, 1234567",
        "linux-raw-udp, UDP, CLASSIC, 1234567",
        "linux-udp-recverr, UDP, PARIS, 1234567",
        "linux-udp-recverr, UDP, CLASSIC, 1357",
        "linux-raw-tcp, TCP, PARIS, 1234567",
        "linux-raw-tcp, TCP, CLASSIC, 1234567",
        "linux-tcp-connect, TCP, PARIS, 134567",
        "linux-tcp-connect, TCP, CLASSIC, 134567",
        "linux-tcp-in-connection, TCP, PARIS, 134567"})
    void noForgedQuoteIsAttributedAndEveryHopIsStillFound(String transport, ProbeProtocol protocol, FlowMode mode,
            String kinds) {
        Lab lab = LAB.lab();
        List<TraceResult> results = new ArrayList<>();
        List<HostileRouter.Forged> forged;
        TracerStats stats;
        try (Chaos chaos = Chaos.on(lab);
                PathTracer tracer = PathTracer.builder().offline().preferredTransport(transport).packetsPerSecond(0).build()) {
            // probes beyond router 1 wait in its downlink's queue: the real routers' answers come after the
            // forger's (which answers on router 1 as it sees each probe), while their probes are pending
            chaos.slowForward(1, SLOW_BITS_PER_SECOND);
            HostileRouter hostile = chaos.hostileRouter(1, kinds);
            for (int i = 0; i < TRACES; i++) {
                TraceRequest.Builder request = TraceRequest.builder(lab.destination()).protocol(protocol).flowMode(mode)
                        .maxTtl(10).probesPerTtl(3).probeTimeout(Duration.ofSeconds(2))
                        // the hops behind the slow router answer tens of ms after router 1: waiting adaptively from
                        // router 1's RTT would give up on them (and linux-tcp-connect's Paris probe, one in flight,
                        // would be superseded before its answer), which is not what this test is about
                        .adaptiveWait(false);
                if (transport.equals("linux-tcp-in-connection")) {
                    request.tcpMode(TcpMode.IN_CONNECTION).destinationPort(SERVICE);
                }
                TraceResult r = tracer.trace(request.build());
                assertThat(r.transport()).as("the transport asked for").isEqualTo(transport);
                assertThat(r.flowMode()).isEqualTo(mode);
                results.add(r);
            }
            hostile.close();
            forged = hostile.forged();
            stats = tracer.stats();
        }
        Map<Integer, Long> forgedByKind = forged.stream().collect(Collectors.groupingBy(HostileRouter.Forged::kind,
                TreeMap::new, Collectors.counting()));
        Map<Integer, Integer> attributedByKind = new TreeMap<>();
        int hopsFound = 0;
        List<String> missing = new ArrayList<>();
        for (TraceResult r : results) {
            for (Hop h : r.hops()) {
                for (ProbeResult p : h.probes()) {
                    p.responder().filter(ForgedQuoteLabTest::isForged).ifPresent(a -> attributedByKind.merge(
                            a.getAddress()[3] & 0xff, 1, Integer::sum));
                }
            }
            for (int ttl = 1; ttl <= lab.hops(); ttl++) {
                InetAddress expected = lab.expectedResponder(ttl).orElseThrow();
                int t = ttl;
                List<InetAddress> responders = r.hop(ttl).map(h -> h.responders().stream().map(Responder::address)
                        .toList()).orElse(List.of());
                if (responders.contains(expected)) {
                    hopsFound++;
                } else {
                    missing.add("TTL " + t + " of\n" + r);
                }
            }
            if (!r.destinationReached()) {
                missing.add("the destination of\n" + r);
            }
        }
        String drops = "unrelated " + stats.dropped(DropReason.UNRELATED) + ", quote too short "
                + stats.dropped(DropReason.QUOTE_TOO_SHORT) + ", malformed " + stats.dropped(DropReason.MALFORMED);
        REPORT.add(String.format(Locale.ROOT, "%s %s | %s | %s | %d/%d | %s", transport, mode, forgedByKind,
                attributedByKind, hopsFound, TRACES * lab.hops(), drops));
        System.out.println(REPORT.get(REPORT.size() - 1));

        // the forger did its work: every kind that applies to the protocol, the rewritten number included
        assertThat(forgedByKind.keySet()).as("forged by kind").containsExactlyInAnyOrderElementsOf(
                kinds.chars().map(c -> c - '0').boxed().toList());
        assertThat(attributedByKind).as("%s %s: forged answers attributed, by kind", transport, mode).isEmpty();
        assertThat(missing).as("%s %s: real routers whose genuine answers were not attributed", transport, mode).isEmpty();
    }

    private static boolean isForged(InetAddress a) {
        return a.getHostAddress().startsWith(HostileRouter.PREFIX + ".");
    }
}
