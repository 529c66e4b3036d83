package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.middlebox.Chaos;
import org.junit.jupiter.api.Test;

/** {@link TraceJson} on a hand-written trace document, and {@link Chaos}'s reading of the rate-limit counters. */
class TraceJsonTest {
    private static final String DOC = """
            {"schemaVersion":7,"target":"198.19.0.1","status":"DESTINATION_REACHED","destinationReached":true,
             "durationMs":12.5,"hops":[
              {"ttl":1,"address":"198.18.0.2","rtts":[0.1,0.2,0.1],"sent":3,"received":3,"lost":0,"forwardLost":0,
               "backwardLost":0,"probes":[{"attempt":1,"status":"REPLY"},{"attempt":2,"status":"REPLY"},
               {"attempt":3,"status":"REPLY"}]},
              {"ttl":2,"address":"198.18.0.6","rtts":[0.3],"sent":3,"received":1,"lost":2,"forwardLost":0,
               "backwardLost":2,"probes":[{"attempt":1,"status":"REPLY"},{"attempt":2,"status":"TIMEOUT"},
               {"attempt":3,"status":"TIMEOUT"}]},
              {"ttl":3,"address":null,"rtts":[],"sent":3,"received":0,"lost":0,"forwardLost":0,"backwardLost":0,
               "probes":[{"attempt":1,"status":"RATE_LIMITED"}]},
              {"ttl":4,"address":"198.19.0.1","rtts":[0.4,0.4,0.5],"sent":3,"received":3,"forwardLost":0,"backwardLost":0},
              {"ttl":5,"address":"198.19.0.9","rtts":[0.4],"sent":4,"received":1,"lost":2,"forwardLost":2,
               "backwardLost":0,"undecided":1,"rateLimited":1,"loss":0.6666,"lossLow":0.5}
             ],"tcpConfirmations":2}
            """;

    @Test
    void readsWhatATraceShowsAndClaims() {
        TraceJson t = TraceJson.parse(DOC);
        assertThat(t.status()).isEqualTo("DESTINATION_REACHED");
        assertThat(t.destinationReached()).isTrue();
        assertThat(t.durationMs()).isEqualTo(12.5);
        assertThat(t.hops()).hasSize(5);
        assertThat(t.hop(1).orElseThrow().rtts()).isEqualTo(3);
        assertThat(t.hop(2).orElseThrow().backwardLost()).isEqualTo(2);
        assertThat(t.hop(2).orElseThrow().statuses()).containsExactly("REPLY", "TIMEOUT", "TIMEOUT");
        TraceJson.Hop bound = t.hop(5).orElseThrow();
        assertThat(bound.lossClaimed()).as("an undecided miss is no claim").isEqualTo(1);
        assertThat(bound.lossLow()).isEqualTo(0.5);
        assertThat(bound.loss()).isEqualTo(0.6666);
        assertThat(bound.rateLimited()).isEqualTo(1);
        assertThat(t.lossClaimed()).isEqualTo(3);
        assertThat(t.tcpConfirmations()).isEqualTo(2);
        assertThat(t.routersWithoutAddress(4)).containsExactly(3);
        assertThat(t.hop(4).orElseThrow().statuses()).isEmpty();
        assertThat(t.toString()).contains("2 198.18.0.6 rtts=1", "(loss: 0 forward, 2 backward)", "3 * rtts=0",
                "(loss: 2 forward, 0 backward, 1 undecided) (rate-limited: 1)");
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> TraceJson.parse("{\"error\":\"no route\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceJson.parse("traceroute to")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHostRateLimitCounterIsReadByName() {
        String snmp = """
                Ip: Forwarding DefaultTTL
                Ip: 1 64
                Icmp: InMsgs InErrors InCsumErrors InDestUnreachs OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs
                Icmp: 40 0 0 2 31 0 1 17 9
                IcmpMsg: InType3 OutType3
                IcmpMsg: 2 9
                """;
        assertThat(Chaos.outRateLimitHost(snmp)).isEqualTo(17);
        assertThat(Chaos.outRateLimitHost("Icmp: InMsgs\nIcmp: 3\n")).isZero(); // a kernel without the counter
        assertThat(Chaos.outRateLimitHost("")).isZero();
    }
}
