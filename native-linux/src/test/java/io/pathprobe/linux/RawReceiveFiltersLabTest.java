package io.pathprobe.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCounters;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The raw transports' receive sockets each see every ICMP message of the namespace; their socket filters
 * queue only the errors that quote their own protocol (and echo replies for linux-raw-icmp). With all three
 * open in one namespace, a trace through one of them is answered in full, and the other two read nothing
 * at all: not read and dropped, never read (their counters stay where they were).
 */
@LabTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RawReceiveFiltersLabTest {
    private static final int HOPS = 6;
    private static final int PORT = 33434;

    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(HOPS).icmpUnlimited("every answer the raw sockets' filters must pass or drop is asserted").inCurrentNamespace());

    @Test
    void eachRawTransportReadsOnlyTheAnswersToItsOwnProbes() throws Exception {
        Map<ProbeProtocol, ProbeTransport> transports = new EnumMap<>(ProbeProtocol.class);
        try {
            transports.put(ProbeProtocol.ICMP, new RawIcmpTransportProvider().open());
            transports.put(ProbeProtocol.UDP, new RawUdpTransportProvider().open());
            transports.put(ProbeProtocol.TCP, new RawTcpTransportProvider().open());
            for (ProbeProtocol protocol : ProbeProtocol.values()) {
                Map<ProbeProtocol, TransportCounters> before = counters(transports);
                int answers = trace(transports.get(protocol), protocol);
                Map<ProbeProtocol, TransportCounters> after = counters(transports);
                assertThat(answers).as("%s: every hop and the destination answered", protocol).isEqualTo(HOPS);
                assertThat(after.get(protocol).delivered() - before.get(protocol).delivered())
                        .as("%s: its own transport delivered the answers", protocol).isGreaterThanOrEqualTo(HOPS);
                for (ProbeProtocol other : ProbeProtocol.values()) {
                    if (other != protocol) {
                        assertThat(after.get(other).read())
                                .as("%s's transport read nothing of the %s trace (before %s, after %s)", other, protocol,
                                        before.get(other), after.get(other))
                                .isEqualTo(before.get(other).read());
                    }
                }
            }
        } finally {
            transports.values().forEach(ProbeTransport::close);
        }
    }

    private static Map<ProbeProtocol, TransportCounters> counters(Map<ProbeProtocol, ProbeTransport> transports) {
        Map<ProbeProtocol, TransportCounters> c = new EnumMap<>(ProbeProtocol.class);
        transports.forEach((p, t) -> c.put(p, t.counters().orElseThrow()));
        return c;
    }

    /** TTL 1..HOPS (the destination at HOPS), each probe sent again until answered; how many were answered. */
    private static int trace(ProbeTransport transport, ProbeProtocol protocol) throws Exception {
        ConcurrentLinkedQueue<ProbeResponse> answers = new ConcurrentLinkedQueue<>();
        Set<Integer> answered = new HashSet<>();
        try (ProbeSession s = transport.openSession(new SessionSpec(protocol, LAB.lab().destination(), PORT,
                FlowPolicy.FIXED, 0x77), answers::add)) {
            for (int round = 0; round < 10 && answered.size() < HOPS; round++) {
                for (int ttl = 1; ttl <= HOPS; ttl++) {
                    if (!answered.contains(100 + ttl)) {
                        s.send(ProbeSpec.of(100 + ttl, ttl));
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                while (answered.size() < HOPS && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    answers.forEach(r -> answered.add(r.sequence()));
                }
            }
        }
        return answered.size();
    }
}
