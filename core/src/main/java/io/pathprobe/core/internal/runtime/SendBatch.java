package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.SendFailedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The probes of one {@link ProbeRun} due in one loop turn, at most {@value #MAX}: sent together with one {@link
 * ProbeSession#sendBatch} (Linux: one sendmmsg) on the run's lane ({@link #onLane}) or on the loop ({@link #send}),
 * each probe's outcome then reported to the run on the loop, in order ({@link ProbeRun#reported}).
 */
final class SendBatch extends SendLanes.Work {
    /** The most probes one batch holds: the run sends it when full. */
    static final int MAX = 64;
    private final ProbeRun<?> run;
    private final ProbeSession session;
    private final List<ProbeSpec> probes = new ArrayList<>(4);
    private long[] ticks = new long[4];
    private long[] sentNanos = new long[0];
    /** Per probe: null when it was sent, else what refused it (an Error ends the run). */
    private @Nullable Throwable[] outcomes = new Throwable[0];
    /** Whether {@link #send} ran to its end (else an Error ended the lane's task, or it was skipped). */
    boolean done;
    boolean skipped;
    /** Whether {@link #report} told of a refused probe. */
    boolean failed;
    /** Why none of the probes was sent, when the lanes refused the batch; null otherwise. */
    @Nullable String refused;

    SendBatch(ProbeRun<?> run, ProbeSession session) {
        this.run = run;
        this.session = session;
    }

    /** Adds a probe the run took from its strategy at {@code tick}; whether the batch is now full. */
    boolean add(ProbeSpec probe, long tick) {
        if (probes.size() == ticks.length) {
            ticks = Arrays.copyOf(ticks, Math.min(MAX, 2 * ticks.length));
        }
        ticks[probes.size()] = tick;
        probes.add(probe);
        return probes.size() >= MAX;
    }

    /**
     * On the loop: each probe's outcome, in order, to the observer and the strategy (sets {@link #failed} when one
     * was refused). A refusal's time is its probe's tick, or {@code late}'s reading after a lane. Returns the Error
     * that ended the sends (the run fails with it; the probes after it are not told), or an IllegalStateException
     * when the lane's task did not end; null otherwise.
     */
    @Nullable Throwable report(ProbeObserver observer, ProbingStrategy<?> strategy, @Nullable Ticker late) {
        if (!done && refused == null) {
            return new IllegalStateException("the send did not complete on its sender thread");
        }
        @Nullable Throwable permanent = null;
        for (int i = 0; i < probes.size(); i++) {
            ProbeSpec p = probes.get(i);
            Throwable failure = refused != null ? null : outcomes[i];
            if (failure == null && refused == null) {
                observer.sent(p.ttl(), p.sequence(), p.flow());
                strategy.onSent(p, sentNanos[i], ticks[i]);
                continue;
            }
            if (failure instanceof Error) {
                return failure;
            }
            failed = true;
            if (failure == null || failure != permanent) {
                observer.sendFailed(); // the probes after a permanent refusal were not sent: not refused sends
            }
            if (failure instanceof SendFailedException e && e.permanent()) {
                permanent = e;
            }
            long now = late != null ? late.read() : ticks[i];
            if (failure instanceof SendFailedException e) {
                strategy.onSendFailed(p, e, now);
            } else {
                strategy.onSendFailed(p, failure == null ? String.valueOf(refused) : failure.toString(), false, false,
                        now);
            }
        }
        return null;
    }

    /**
     * Sends every probe through the session, each probe's outcome kept as data: what {@link ProbeSession#send} would
     * have returned or thrown for it. Any thread that may use the session.
     */
    void send() {
        int n = probes.size();
        sentNanos = new long[n];
        outcomes = new Throwable[n];
        SendFailedException[] failures = new SendFailedException[n];
        int off = 0;
        while (off < n) {
            long[] sent = off == 0 ? sentNanos : new long[n - off];
            SendFailedException[] failed = off == 0 ? failures : new SendFailedException[n - off];
            int handled;
            try {
                handled = session.sendBatch(off == 0 ? probes : probes.subList(off, n), sent, failed);
                if (handled < 1 || handled > n - off) {
                    throw new IllegalStateException(session + ".sendBatch handled " + handled + " of " + (n - off));
                }
            } catch (RuntimeException | Error e) { // what send() throws for the first probe
                outcomes[off++] = e;
                if (e instanceof Error) {
                    Arrays.fill(outcomes, off, n, e);
                    break;
                }
                continue;
            }
            for (int k = 0; k < handled; k++) {
                sentNanos[off + k] = sent[k];
                outcomes[off + k] = failed[k];
            }
            off += handled;
            SendFailedException last = failed[handled - 1];
            if (last != null && last.permanent()) { // no probe can leave: the rest are not sent, for the same reason
                Arrays.fill(outcomes, off, n, last);
                break;
            }
        }
        done = true;
    }

    @Override
    protected void onLane() {
        if (run.ending()) {
            skipped = true; // the run ended: its session is closing
            return;
        }
        send();
    }

    @Override
    protected void onLoop() {
        run.reported(this);
    }
}
