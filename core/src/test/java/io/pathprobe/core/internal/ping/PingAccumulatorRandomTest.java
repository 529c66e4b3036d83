package io.pathprobe.core.internal.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.ping.PingAccumulator.Answer;
import io.pathprobe.core.internal.ping.PingAccumulator.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random event streams (sends, answers in and out of time and order, duplicates, stale and garbage
 * numbers, timeouts) against an unbounded reference written straight from the definitions: every
 * counter, classification and statistic must agree, and the invariants hold after every event.
 */
@Timeout(60)
class PingAccumulatorRandomTest {
    private static final byte PENDING = 0;
    private static final byte RECEIVED = 1;
    private static final byte LOST = 2;
    private static final byte LATE = 3;

    /** The definitions, with lists that grow without bound: no window, no histogram, no fold. */
    private static final class Reference {
        final long modulus;
        final int window;
        final long timeout;
        final List<Long> sendTimes = new ArrayList<>();
        final List<Byte> states = new ArrayList<>();
        final List<Long> rtts = new ArrayList<>();
        /** Received RTTs with their sequences, in arrival order. */
        final List<long[]> arrivals = new ArrayList<>();
        long received;
        long lost;
        long duplicates;
        long late;
        long outOfOrder;
        long unmatched;
        long highest = -1;

        Reference(int maxSequence, int window, long timeout) {
            this.modulus = maxSequence + 1L;
            this.window = (int) Math.min(window, modulus);
            this.timeout = timeout;
        }

        long sent() {
            return sendTimes.size();
        }

        void sent(long at) {
            sendTimes.add(at);
            states.add(PENDING);
            rtts.add(-1L);
        }

        Answer answer(int wire, long at) {
            long seq = -1;
            for (long s = sent() - 1; s >= 0 && s >= sent() - modulus; s--) {
                if (s % modulus == wire) {
                    seq = s;
                    break;
                }
            }
            if (seq < 0 || seq < sent() - window || at < sendTimes.get((int) seq)) {
                unmatched++;
                return new Answer(Kind.UNMATCHED, -1, -1, false);
            }
            int i = (int) seq;
            long rtt = at - sendTimes.get(i);
            byte state = states.get(i);
            if (state == RECEIVED || state == LATE) {
                duplicates++;
                return new Answer(Kind.DUPLICATE, seq, rtt, false);
            }
            if (state == LOST || rtt > timeout) {
                if (state == PENDING) {
                    lost++;
                }
                states.set(i, LATE);
                late++;
                return new Answer(Kind.LATE, seq, rtt, false);
            }
            states.set(i, RECEIVED);
            rtts.set(i, rtt);
            received++;
            arrivals.add(new long[] {seq, rtt});
            boolean reordered = seq < highest;
            if (reordered) {
                outOfOrder++;
            }
            highest = Math.max(highest, seq);
            return new Answer(Kind.REPLY, seq, rtt, reordered);
        }

        boolean timedOut(long seq) {
            int i = (int) seq;
            if (states.get(i) != PENDING) {
                return false;
            }
            states.set(i, LOST);
            lost++;
            return true;
        }

        long pending() {
            return states.stream().filter(s -> s == PENDING).count();
        }

        List<Long> sortedRtts() {
            List<Long> sorted = new ArrayList<>();
            for (long[] a : arrivals) {
                sorted.add(a[1]);
            }
            Collections.sort(sorted);
            return sorted;
        }

        /** RFC 3550 over the received RTTs in send order, pending and lost probes skipped. */
        Double jitter() {
            double j = 0;
            long previous = -1;
            boolean any = false;
            for (int s = 0; s < sent(); s++) {
                if (states.get(s) == RECEIVED) {
                    if (previous >= 0) {
                        j = j + (Math.abs(rtts.get(s) - previous) - j) / 16;
                        any = true;
                    }
                    previous = rtts.get(s);
                }
            }
            return any ? j : null;
        }
    }

    @Test
    void randomStreamsAgreeWithTheDefinitionsAndKeepTheInvariants() {
        int[] maxSequences = {65535, 15, 3, 300};
        int[] windows = {4, 16, 64, 1000};
        int[] recents = {5, 50, 10_000};
        for (int seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            int maxSequence = maxSequences[random.nextInt(maxSequences.length)];
            int window = windows[random.nextInt(windows.length)];
            int recent = recents[random.nextInt(recents.length)];
            long timeout = 1_000_000 + random.nextInt(999_000_000);
            run(random, seed, maxSequence, window, recent, timeout, 1200);
        }
    }

    private static void run(Random random, int seed, int maxSequence, int window, int recent, long timeout, int steps) {
        String where = "seed " + seed + " (maxSequence " + maxSequence + ", window " + window + ", recent " + recent
                + ", timeout " + timeout + ")";
        PingAccumulator stats = new PingAccumulator(maxSequence, Duration.ofNanos(timeout), window, recent);
        Reference ref = new Reference(maxSequence, window, timeout);
        long clock = 1_000_000_000L * random.nextInt(1000);
        long firstSend = -1;
        for (int step = 0; step < steps; step++) {
            String at = where + " step " + step;
            int op = random.nextInt(100);
            long receivedBefore = stats.snapshot().received();
            if (op < 40) {
                clock += random.nextInt(2_000_000);
                if (stats.canSend()) {
                    long seq = stats.sent(stats.nextWireSequence(), clock);
                    assertThat(seq).as(at).isEqualTo(ref.sent());
                    ref.sent(clock);
                    if (firstSend < 0) {
                        firstSend = clock;
                    }
                } else {
                    long oldest = stats.oldestPending();
                    assertThat(oldest).as(at).isGreaterThanOrEqualTo(0);
                    assertThat(ref.states.get((int) oldest)).as(at).isEqualTo(PENDING);
                    assertThat(stats.timedOut(oldest)).as(at).isTrue();
                    ref.timedOut(oldest);
                }
            } else if (op < 80 && ref.sent() > 0) {
                long lowest = Math.max(0, ref.sent() - window - 5);
                long seq = lowest + (long) (random.nextDouble() * (ref.sent() - lowest));
                long rtt;
                int kind = random.nextInt(100);
                if (kind < 80) {
                    rtt = 1 + (long) (random.nextDouble() * timeout);
                } else if (kind < 95) {
                    rtt = timeout + 1 + (long) (random.nextDouble() * timeout);
                } else {
                    rtt = -1 - random.nextInt(1000);
                }
                int wire = (int) (seq % (maxSequence + 1L));
                long when = ref.sendTimes.get((int) seq) + rtt;
                Answer expected = ref.answer(wire, when);
                Answer actual = stats.answer(wire, when);
                assertThat(actual).as(at).isEqualTo(expected);
                if (actual.kind() == Kind.DUPLICATE || actual.kind() == Kind.LATE) {
                    assertThat(stats.snapshot().received()).as(at + ": a " + actual.kind() + " receives nothing")
                            .isEqualTo(receivedBefore);
                }
            } else if (op < 92 && ref.sent() > 0) {
                long lowest = Math.max(0, ref.sent() - window);
                long seq = lowest + (long) (random.nextDouble() * (ref.sent() - lowest));
                assertThat(stats.timedOut(seq)).as(at).isEqualTo(ref.timedOut(seq));
            } else {
                int wire = -3 + random.nextInt(maxSequence + 7);
                long when = clock + random.nextInt(2_000_000_000) - 1_000_000_000L;
                assertThat(stats.answer(wire, when)).as(at).isEqualTo(ref.answer(wire, when));
            }
            check(stats, ref, recent, firstSend, at);
        }
    }

    private static void check(PingAccumulator stats, Reference ref, int recent, long firstSend, String at) {
        PingSnapshot s = stats.snapshot();
        assertThat(s.sent()).as(at).isEqualTo(ref.sent());
        assertThat(s.received()).as(at).isEqualTo(ref.received);
        assertThat(s.lost()).as(at).isEqualTo(ref.lost);
        assertThat(s.pending()).as(at).isEqualTo(ref.pending());
        assertThat(s.received() + s.lost() + s.pending()).as(at).isEqualTo(s.sent());
        assertThat(s.duplicates()).as(at).isEqualTo(ref.duplicates);
        assertThat(s.late()).as(at).isEqualTo(ref.late).isLessThanOrEqualTo(s.lost());
        assertThat(s.outOfOrder()).as(at).isEqualTo(ref.outOfOrder);
        assertThat(s.unmatched()).as(at).isEqualTo(ref.unmatched);
        long decided = ref.received + ref.lost;
        assertThat(s.loss()).as(at).isEqualTo(decided == 0 ? 0.0 : (double) ref.lost / decided).isBetween(0.0, 1.0);
        assertThat(stats.oldestPending()).as(at).isEqualTo((long) ref.states.indexOf(PENDING));
        assertThat(stats.windowCapacity()).as(at).isLessThanOrEqualTo(Math.max(1, ref.window));

        Double jitter = ref.jitter();
        if (jitter == null) {
            assertThat(s.jitter()).as(at).isEmpty();
        } else {
            assertThat((double) s.jitter().orElseThrow().toNanos()).as(at).isCloseTo(jitter, Offset.offset(1.0));
        }

        List<long[]> arrivals = ref.arrivals;
        int kept = Math.min(arrivals.size(), recent);
        List<PingSample> expected = new ArrayList<>();
        for (long[] a : arrivals.subList(arrivals.size() - kept, arrivals.size())) {
            expected.add(new PingSample(a[0], Duration.ofNanos(ref.sendTimes.get((int) a[0]) - firstSend),
                    Duration.ofNanos(a[1])));
        }
        expected.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        assertThat(s.recent()).as(at).isEqualTo(expected);
        assertThat(s.samplesDropped()).as(at).isEqualTo(arrivals.size() > recent);

        if (ref.received == 0) {
            assertThat(s.rtt()).as(at).isEmpty();
            return;
        }
        PingSnapshot.Rtt r = s.rtt().orElseThrow();
        List<Long> sorted = ref.sortedRtts();
        int n = sorted.size();
        double mean = sorted.stream().mapToDouble(Long::doubleValue).sum() / n;
        double squares = sorted.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        assertThat(r.min()).as(at).isEqualTo(Duration.ofNanos(sorted.get(0)));
        assertThat(r.max()).as(at).isEqualTo(Duration.ofNanos(sorted.get(n - 1)));
        assertThat((double) r.avg().toNanos()).as(at).isCloseTo(mean, Offset.offset(1.0));
        assertThat((double) r.mdev().toNanos()).as(at).isCloseTo(Math.sqrt(squares / n), Offset.offset(1.0));
        assertThat(r.exactPercentiles()).as(at).isEqualTo(n <= recent);
        int[] percents = {50, 90, 95, 99};
        Duration[] reported = {r.p50(), r.p90(), r.p95(), r.p99()};
        for (int k = 0; k < percents.length; k++) {
            long exact = sorted.get((int) Math.ceil(percents[k] * (double) n / 100) - 1);
            long value = reported[k].toNanos();
            if (r.exactPercentiles()) {
                assertThat(value).as(at + " p" + percents[k]).isEqualTo(exact);
            } else {
                assertThat(value).as(at + " p" + percents[k]).isBetween(exact, exact + exact / 1024);
            }
        }
        PingAccumulatorTest.assertOrdered(r);
    }
}
