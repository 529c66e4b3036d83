package io.pathprobe.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Probes to send and what each must (or must not) bring back, sent and checked as a whole.
 *
 * <p>Kernel routers rate-limit ICMP errors per source (Linux: a burst of about 6, then 1/s; a "no
 * route" costs double). So a probe whose answer has not come within one round is sent again, with
 * the same sequence, up to a few rounds, and the checks below allow a repeated answer to carry the
 * same sequence. What they never allow: an answer from anyone but the expected responder, an answer
 * to a probe that should stay silent, an answer with a sequence the session never sent, or an RTT
 * that is not positive.
 */
final class ProbePlan {
    /** What a probe should bring back. */
    record Expectation(Optional<InetAddress> responder, ResponseKind kind, int icmpCode, String description) {
        static Expectation silence() {
            return new Expectation(Optional.empty(), ResponseKind.TIME_EXCEEDED, -1, "no answer (silent hop)");
        }

        static Expectation from(InetAddress responder, ResponseKind kind, int icmpCode, String description) {
            return new Expectation(Optional.of(responder), kind, icmpCode, description);
        }

        boolean answered() {
            return responder.isPresent();
        }
    }

    private static final class Probe {
        final ProbeSession session;
        final Recorder recorder;
        final int sequence;
        final int ttl;
        final int flow;
        final Expectation expectation;
        long firstSent = Long.MIN_VALUE;
        long lastSent = Long.MIN_VALUE;
        int sends;

        Probe(ProbeSession session, Recorder recorder, int sequence, int ttl, int flow, Expectation expectation) {
            this.session = session;
            this.recorder = recorder;
            this.sequence = sequence;
            this.ttl = ttl;
            this.flow = flow;
            this.expectation = expectation;
        }

        boolean hasAnswer() {
            return !recorder.forSequence(sequence).isEmpty();
        }

        @Override
        public String toString() {
            return "probe seq " + sequence + " ttl " + ttl + (flow == 0 ? "" : " flow " + flow) + " (expecting "
                    + expectation.description() + ")";
        }
    }

    private final List<Probe> probes = new ArrayList<>();
    private final Duration round;
    private final int rounds;
    private final Duration quietPeriod;

    /**
     * @param round how long to wait for answers before sending the unanswered probes again
     * @param rounds how many times a probe is sent at most
     * @param quietPeriod how long to keep listening once every expected answer is in, to catch extra ones
     */
    ProbePlan(Duration round, int rounds, Duration quietPeriod) {
        this.round = round;
        this.rounds = rounds;
        this.quietPeriod = quietPeriod;
    }

    ProbePlan add(ProbeSession session, Recorder recorder, int sequence, int ttl, Expectation expectation) {
        return add(session, recorder, sequence, ttl, 0, expectation);
    }

    /** A probe of flow {@code flow} (for a session of {@link io.pathprobe.spi.FlowPolicy#EXPLICIT}). */
    ProbePlan add(ProbeSession session, Recorder recorder, int sequence, int ttl, int flow, Expectation expectation) {
        for (Probe p : probes) {
            if (p.session == session && p.sequence == sequence) {
                throw new IllegalArgumentException("sequence " + sequence + " twice in one session");
            }
        }
        probes.add(new Probe(session, recorder, sequence, ttl, flow, expectation));
        return this;
    }

    /** Sends, re-sends what stays unanswered, then checks every expectation. */
    void runAndVerify() {
        List<Probe> pending = new ArrayList<>(probes);
        for (int r = 0; r < rounds && !pending.isEmpty(); r++) {
            for (Probe p : pending) {
                send(p);
                if (p.session.maxInFlight() < Integer.MAX_VALUE && p.expectation.answered()) {
                    // A session with few probes in flight (TCP connect() with a fixed source port: one)
                    // releases a probe when it sends the next: wait for this one's answer first.
                    p.recorder.awaitUntil(x -> p.hasAnswer(), round);
                }
            }
            long deadline = System.nanoTime() + round.toNanos();
            for (Probe p : pending) {
                if (p.expectation.answered()) {
                    p.recorder.awaitUntil(x -> p.hasAnswer(),
                            Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
            }
            List<Probe> next = new ArrayList<>();
            for (Probe p : pending) {
                if (p.expectation.answered() && !p.hasAnswer()) {
                    next.add(p);
                }
            }
            pending = next;
        }
        sleep(quietPeriod);
        verify();
    }

    private static void send(Probe p) {
        long sent;
        try {
            sent = p.session.send(new ProbeSpec(p.sequence, p.ttl, p.flow));
        } catch (SendFailedException e) {
            throw new AssertionError(p + ": send failed: " + e.getMessage() + " (noRoute=" + e.noRoute() + ")", e);
        }
        if (p.sends++ == 0) {
            p.firstSent = sent;
        }
        p.lastSent = sent;
    }

    private void verify() {
        List<String> problems = new ArrayList<>();
        for (Probe p : probes) {
            List<ProbeResponse> answers = p.recorder.forSequence(p.sequence);
            Expectation e = p.expectation;
            if (!e.answered()) {
                if (!answers.isEmpty()) {
                    problems.add(p + ": expected silence, got " + answers);
                }
                continue;
            }
            if (answers.isEmpty()) {
                problems.add(p + ": no answer after " + p.sends + " sends");
                continue;
            }
            if (answers.size() > p.sends) {
                problems.add(p + ": " + answers.size() + " answers to " + p.sends + " sends: " + answers);
            }
            for (ProbeResponse a : answers) {
                if (!a.responder().equals(e.responder().get())) {
                    problems.add(p + ": answered by " + a.responder().getHostAddress() + ", expected "
                            + e.responder().get().getHostAddress() + ": " + a);
                }
                if (a.kind() != e.kind() || (e.icmpCode() >= 0 && a.icmpCode() != e.icmpCode())) {
                    problems.add(p + ": answered with " + a.kind() + " " + a.icmpType() + "/"
                            + a.icmpCode() + ": " + a);
                }
                if (a.receivedNanos() <= p.firstSent) {
                    problems.add(p + ": received at " + a.receivedNanos() + ", not after it was first sent at "
                            + p.firstSent + " (RTT must be positive)");
                }
                if (p.sends == 1 && a.receivedNanos() - p.firstSent > Duration.ofSeconds(2).toNanos()) {
                    problems.add(p + ": implausible RTT " + (a.receivedNanos() - p.firstSent) / 1_000_000.0
                            + " ms in a lab whose RTTs are well below a millisecond");
                }
            }
        }
        // Answers that match no probe of their session: a sequence never sent.
        List<Recorder> recorders = new ArrayList<>();
        for (Probe p : probes) {
            if (!recorders.contains(p.recorder)) {
                recorders.add(p.recorder);
            }
        }
        for (Recorder rec : recorders) {
            for (ProbeResponse a : rec.responses()) {
                boolean known = false;
                for (Probe p : probes) {
                    known |= p.recorder == rec && p.sequence == a.sequence();
                }
                if (!known) {
                    problems.add("an answer with a sequence this session never sent: " + a);
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
        assertThat(problems).isEmpty();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
