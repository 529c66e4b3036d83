package io.pathprobe.core.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Hop;
import io.pathprobe.HopStatistics;
import io.pathprobe.ProbeResult;
import io.pathprobe.ProbeStatus;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.TraceStatus;
import io.pathprobe.core.internal.sim.ScenarioTransport;

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
                assertThat(p.fromDestination()).isEqualTo(p.answered() && p.responder().equals(r.destination())
                        && p.fromDestination());
            }
            HopStatistics st = h.statistics();
            assertThat(st.sent()).isEqualTo(sent);
            assertThat(st.sent()).as("sent = received + lost + abandoned + rate-limited at TTL %d", h.ttl())
                    .isEqualTo(st.received() + st.lost() + st.abandoned() + st.rateLimited());
        }
        boolean reached = r.destinationReached();
        assertThat(reached).isEqualTo(r.destinationHop().isPresent());
        if (reached) {
            assertThat(r.hops().get(r.hops().size() - 1).isDestination())
                    .as("no hop beyond the destination").isTrue();
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
