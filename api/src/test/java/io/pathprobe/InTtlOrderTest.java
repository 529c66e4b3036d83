package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
class InTtlOrderTest {

    private static Hop hop(int ttl, boolean destination) throws Exception {
        InetAddress a = InetAddress.getByName("198.18.0." + ttl);
        return new Hop(ttl, List.of(ApiFixtures.reply(ttl, 0, a, Duration.ofMillis(ttl),
                new IcmpMessage(destination ? 0 : 11, 0, false), destination)), List.of(new Responder(a, 1)),
                new HopStatistics(1, 1, 0, 0, Optional.empty()));
    }

    @Test
    void handsHopsOverInTtlOrderFromTheFirstTtlAndStopsAtTheDestination() throws Exception {
        List<Integer> seen = new ArrayList<>();
        TraceListener l = TraceListener.inTtlOrder(h -> seen.add(h.ttl()));
        TraceRequest request = TraceRequest.builder("198.19.0.1").firstTtl(2).build();
        l.started(request, InetAddress.getByName("198.19.0.1"), "t");
        l.hopCompleted(hop(4, false));
        l.hopCompleted(hop(3, false));
        assertThat(seen).isEmpty();
        l.hopCompleted(hop(2, false));
        assertThat(seen).containsExactly(2, 3, 4);
        l.hopCompleted(hop(6, false));
        l.hopCompleted(hop(5, true));
        l.hopCompleted(hop(7, false));
        assertThat(seen).containsExactly(2, 3, 4, 5);
    }

    @Test
    void requestsWithTheSameOptionsAreEqual() {
        TraceRequest a = TraceRequest.builder("198.19.0.1").maxTtl(9).build();
        assertThat(a).isEqualTo(a.toBuilder().build()).hasSameHashCodeAs(a.toBuilder().build());
        assertThat(a).isNotEqualTo(a.toBuilder().maxTtl(10).build());
        assertThat(a).isNotEqualTo(a.toBuilder().protocol(ProbeProtocol.ICMP).build());
    }
}
