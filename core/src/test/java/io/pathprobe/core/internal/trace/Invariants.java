package io.pathprobe.core.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;

/** The accounting invariants every scenario must keep. */
final class Invariants {
    private Invariants() {}

    /** Checks a running strategy after a step. */
    static void step(TraceStrategy s, TraceRequest request) {
        assertThat(s.inFlight()).as("in flight").isBetween(0, request.maxInFlight());
    }

    /** Checks a final result. */
    static void result(TraceResult r, TraceRequest request, TraceStrategy s, ScenarioTransport transport) {
        assertThat(r.status()).isNotEqualTo(TraceStatus.RUNNING);
        assertThat(s.inFlight()).as("nothing in flight at the end").isZero();
        assertThat(s.maxInFlightSeen()).as("maxInFlight respected").isLessThanOrEqualTo(request.maxInFlight());
        int previousTtl = 0;
        for (Hop h : r.hops()) {
            assertThat(h.ttl()).isGreaterThan(previousTtl);
            previousTtl = h.ttl();
            int sent = 0;
            for (ProbeResult p : h.probes()) {
                assertThat(p.status()).as("terminal status of %s", p).isNotEqualTo(ProbeStatus.PENDING);
                if (p.status() != ProbeStatus.SEND_FAILED) {
                    sent++;
                }
                // the destination by its address, or by the type of its answer whatever its address
                // (echo reply, a UDP probe's port unreachable, a TCP answer); never a Time Exceeded
                boolean destinationType = p.icmp().map(m -> m.isEchoReply()
                        || (m.isPortUnreachable() && r.protocol() == ProbeProtocol.UDP)).orElse(true);
                assertThat(p.fromDestination()).as("%s", p).isEqualTo(p.answered()
                        && (p.responder().equals(r.destination()) || destinationType) && p.fromDestination());
                assertThat(p.fromDestination() && p.icmp().map(IcmpMessage::isTimeExceeded).orElse(false))
                        .as("a Time Exceeded is never the destination's: %s", p).isFalse();
            }
            HopStatistics st = h.statistics();
            assertThat(st.sent()).isEqualTo(sent);
            assertThat(st.sent()).as("sent = received + lost + abandoned + rate-limited at TTL %d", h.ttl())
                    .isEqualTo(st.received() + st.lost() + st.abandoned() + st.rateLimited());
        }
        boolean reached = r.destinationReached();
        assertThat(reached).isEqualTo(r.destinationHop().isPresent());
        if (reached && r.flows() == 1) {
            assertThat(r.hops().get(r.hops().size() - 1).isDestination())
                    .as("no hop beyond the destination").isTrue();
        } else if (reached) {
            // several flows: each ends where it reached the destination (flows may reach it, or
            // another site of it, at different TTLs): no probe of a flow beyond its own end
            java.util.Map<Integer, Integer> end = new java.util.HashMap<>();
            r.hops().forEach(h -> h.probes().stream().filter(p -> p.fromDestination() && p.flow().isPresent())
                    .forEach(p -> end.merge(p.flow().getAsInt(), p.ttl(), Math::min)));
            r.hops().forEach(h -> h.probes().stream().filter(p -> p.flow().isPresent()).forEach(p -> assertThat(
                    p.ttl()).as("flow %d beyond its destination", p.flow().getAsInt())
                    .isLessThanOrEqualTo(end.getOrDefault(p.flow().getAsInt(), Integer.MAX_VALUE))));
        }
        if (r.status() != TraceStatus.CANCELLED && r.status() != TraceStatus.DEADLINE_EXCEEDED) {
            assertThat(r.status() == TraceStatus.DESTINATION_REACHED).as("status %s agrees with destinationReached %s",
                    r.status(), reached).isEqualTo(reached);
        } else if (r.status() == TraceStatus.DESTINATION_REACHED) {
            assertThat(reached).isTrue();
        }
        assertThat((long) s.matched() + r.unmatchedReplies() + s.afterEnd())
                .as("every answer delivered to the trace is matched, unmatched, or read after its end")
                .isEqualTo(transport.delivered());
        assertThat(transport.openSessions).as("session closed").isEmpty();
    }
}
