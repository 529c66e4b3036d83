package io.pathprobe.core.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger alone, on made-up times: one probe per TTL 1..5, a 1 s probe timeout, adaptive wait. */
@org.junit.jupiter.api.Timeout(5)
class ProbeLedgerTest {
    private static final long MS = 1_000_000;
    private static final InetAddress DEST = Scenario.DESTINATION;

    private final ProbeTable table = new ProbeTable(1, 5, 1);
    private final List<ProbeState> finished = new ArrayList<>();
    private final ProbeLedger ledger = new ProbeLedger(table::at, new SequenceSpace(65535, table.size()),
            new WaitPolicy(1000 * MS, true), DEST, ProbeProtocol.UDP, 1, 5, finished::add);

    private ProbeState send(int ttl, long now) {
        ProbeState p = table.probe(ttl, 0);
        assertThat(ledger.send(p, now, -1)).isGreaterThanOrEqualTo(0);
        ledger.sent(p, now);
        return p;
    }

    private static ProbeResponse router(ProbeState p, long at) {
        return new ProbeResponse(p.sequence(), ResponseKind.TIME_EXCEEDED, 11, 0, Scenario.address(10, 0, p.ttl(), 1), at);
    }

    private static ProbeResponse unreachable(ProbeState p, int code, long at) {
        return new ProbeResponse(p.sequence(), ResponseKind.DESTINATION_UNREACHABLE, 3, code, DEST, at);
    }

    @Test
    void aFirstAnswerMatchesASecondIsADuplicate() {
        ProbeState p = send(1, 0);
        assertThat(ledger.answer(router(p, MS), MS)).isInstanceOf(ProbeLedger.Matched.class);
        assertThat(p.status()).isEqualTo(ProbeStatus.REPLY);
        assertThat(p.rttNanos()).isEqualTo(MS);
        assertThat(ledger.answer(router(p, 2 * MS), 2 * MS)).isInstanceOf(ProbeLedger.Duplicate.class);
        assertThat(ledger.matched()).isEqualTo(1);
        assertThat(ledger.unmatched()).isEqualTo(1);
        assertThat(ledger.inFlight()).isZero();
        assertThat(finished).containsExactly(p);
    }

    @Test
    void anAnswerWithinTheProbeTimeoutRevisesATimeoutAfterItNever() {
        ProbeState slow = send(1, 0);
        ProbeState far = send(2, 0);
        ledger.answer(router(far, MS), MS); // NEAR: TTL 1 may go after max(2 ms, 10 x 1 ms)
        assertThat(ledger.nextExpiry(MS)).isEqualTo(9 * MS);
        List<ProbeState> expired = new ArrayList<>();
        ledger.expire(10 * MS, expired::add);
        assertThat(expired).containsExactly(slow);
        assertThat(slow.status()).isEqualTo(ProbeStatus.TIMEOUT);
        assertThat(ledger.answer(router(slow, 500 * MS), 500 * MS)).isInstanceOf(ProbeLedger.Late.class);
        assertThat(slow.status()).isEqualTo(ProbeStatus.REPLY);

        ProbeState lost = send(3, 0);
        ledger.expire(1000 * MS, p -> {});
        assertThat(lost.status()).isEqualTo(ProbeStatus.TIMEOUT);
        assertThat(ledger.answer(router(lost, 1001 * MS), 1001 * MS)).isInstanceOf(ProbeLedger.Duplicate.class);
        assertThat(lost.status()).isEqualTo(ProbeStatus.TIMEOUT);
    }

    @Test
    void anAnswerIsPossibleUntilTheProbeTimeoutOfAProbeGivenUpEarly() {
        ProbeState slow = send(1, 0);
        ProbeState far = send(2, 0);
        assertThat(ledger.answerPossibleUntil(slow)).as("pending: not given up").isEqualTo(Long.MIN_VALUE);
        ledger.answer(router(far, MS), MS);
        ledger.expire(10 * MS, p -> {}); // given up after 10 ms (NEAR)
        assertThat(ledger.answerPossibleUntil(slow)).isEqualTo(1000 * MS);
        assertThat(ledger.answerPossibleUntil(slow, 50 * MS)).as("held 50 ms at most").isEqualTo(50 * MS);
        assertThat(ledger.answerPossibleUntil(slow, 5 * MS)).as("waited longer already").isEqualTo(Long.MIN_VALUE);
        assertThat(ledger.answerPossibleUntil(slow, 5000 * MS)).as("never past the probe timeout")
                .isEqualTo(1000 * MS);
        assertThat(ledger.rateLimited(slow)).isTrue();
        assertThat(ledger.answerPossibleUntil(slow)).as("RATE_LIMITED is revised alike").isEqualTo(1000 * MS);
        assertThat(ledger.answerPossibleUntil(far)).as("answered").isEqualTo(Long.MIN_VALUE);

        ProbeState lost = send(3, 0);
        ledger.expire(1000 * MS, p -> {});
        assertThat(lost.status()).isEqualTo(ProbeStatus.TIMEOUT);
        assertThat(ledger.answerPossibleUntil(lost)).as("waited its whole timeout").isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theDestinationEndsThePathAndItsAnswersBeyondAreExpectedOnce() {
        List<ProbeState> all = new ArrayList<>();
        for (int ttl = 1; ttl <= 5; ttl++) {
            all.add(send(ttl, 0));
        }
        ProbeLedger.Answer a = ledger.answer(unreachable(all.get(2), 3, MS), MS); // port unreachable to UDP
        assertThat(a).isInstanceOf(ProbeLedger.Matched.class);
        assertThat(all.get(2).status()).isEqualTo(ProbeStatus.REPLY);
        assertThat(all.get(2).destination()).isTrue();
        assertThat(ledger.horizon()).isEqualTo(3);
        assertThat(all.get(3).status()).isEqualTo(ProbeStatus.ABANDONED);
        assertThat(ledger.answer(unreachable(all.get(3), 3, 2 * MS), 2 * MS)).isInstanceOf(ProbeLedger.BeyondPath.class);
        assertThat(ledger.answer(unreachable(all.get(3), 3, 3 * MS), 3 * MS)).isInstanceOf(ProbeLedger.Unmatched.class);
        assertThat(ledger.inFlight()).isEqualTo(2);
    }

    /** A port unreachable quoting the TTL the probe arrived with. */
    private static ProbeResponse quoting(ProbeState p, int quotedTtl, long at) {
        return new ProbeResponse(p.sequence(), ResponseKind.DESTINATION_UNREACHABLE, 3, 3, DEST, at, 60, quotedTtl,
                ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of());
    }

    @Test
    void aQuoteOfTheDestinationPlacesItWhereItsOwnProbesWentUnanswered() {
        ledger.distanceByQuote();
        List<ProbeState> all = new ArrayList<>();
        for (int ttl = 1; ttl <= 5; ttl++) {
            all.add(send(ttl, 0));
        }
        ledger.answer(router(all.get(0), MS), MS);
        ledger.answer(router(all.get(1), MS), MS);
        // the TTL-5 probe arrived with TTL 2: it passed 3 routers, the destination is at TTL 4
        assertThat(ledger.answer(quoting(all.get(4), 2, 2 * MS), 2 * MS)).isInstanceOf(ProbeLedger.Matched.class);
        assertThat(ledger.horizon()).isEqualTo(4);
        assertThat(ledger.quotedDestinationTtl()).isEqualTo(4);
        assertThat(ledger.quotedFromTtl()).isEqualTo(5);
        assertThat(all.get(3).pending()).as("the destination's own probe is still awaited").isTrue();
    }

    @Test
    void aQuoteIsNotTrustedWithoutBeingAskedForAgainstARouterBeyondItNorAboveTheProbesTtl() {
        List<ProbeState> all = new ArrayList<>();
        for (int ttl = 1; ttl <= 5; ttl++) {
            all.add(send(ttl, 0));
        }
        ledger.answer(quoting(all.get(4), 2, MS), MS); // not asked for: the path ends at the probe's TTL
        assertThat(ledger.horizon()).isEqualTo(5);
        assertThat(ledger.quotedDestinationTtl()).isEqualTo(-1);

        ProbeTable t = new ProbeTable(1, 5, 1);
        ProbeLedger asked = new ProbeLedger(t::at, new SequenceSpace(65535, t.size()), new WaitPolicy(1000 * MS, true),
                DEST, ProbeProtocol.UDP, 1, 5, p -> {});
        asked.distanceByQuote();
        List<ProbeState> sent = new ArrayList<>();
        for (int ttl = 1; ttl <= 5; ttl++) {
            ProbeState p = t.probe(ttl, 0);
            assertThat(asked.send(p, 0, -1)).isGreaterThanOrEqualTo(0);
            asked.sent(p, 0);
            sent.add(p);
        }
        asked.answer(router(sent.get(2), MS), MS); // a router answered at TTL 3
        asked.answer(quoting(sent.get(4), 4, 2 * MS), 2 * MS); // says TTL 2: the router at 3 says otherwise
        assertThat(asked.horizon()).isEqualTo(5);
        asked.answer(quoting(sent.get(3), 9, 3 * MS), 3 * MS); // quotes more than it was sent with: ignored
        assertThat(asked.horizon()).isEqualTo(4);
        assertThat(asked.quotedDestinationTtl()).isEqualTo(-1);
    }

    @Test
    void anotherUnreachableFromTheDestinationIsUnreachable() {
        ProbeState p = send(4, 0);
        ledger.answer(unreachable(p, 13, MS), MS); // administratively prohibited
        assertThat(p.status()).isEqualTo(ProbeStatus.UNREACHABLE);
        assertThat(p.destination()).isTrue();
        assertThat(ledger.horizon()).isEqualTo(4);
    }

    @Test
    void anAnswerReceivedBeforeItsProbeWasSentIsAnEarlierHolders() {
        ProbeState p = send(1, 5 * MS);
        assertThat(ledger.answer(router(p, MS), 6 * MS)).isInstanceOf(ProbeLedger.Unmatched.class);
        assertThat(p.pending()).isTrue();
    }
}
