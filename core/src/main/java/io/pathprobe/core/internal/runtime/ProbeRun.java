package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * Runs one {@link ProbingStrategy} on the runtime: sends its probes through the {@link SendScheduler},
 * hands it the session's answers on the engine loop, wakes it up when it asks (after the transport
 * has handed over the answers it already had), and ends it. Any exception thrown while doing so fails
 * this run only: the session is closed and {@link Completion#failed} gets the cause.
 * All methods but {@link #listener()}'s callback run on the engine loop.
 *
 * @param <R> the strategy's result
 */
public final class ProbeRun<R> implements SendScheduler.Sender {
    private static final System.Logger LOG = System.getLogger(ProbeRun.class.getName());

    /** How the run ends; called on the engine loop, once. */
    public interface Completion<R> {
        void completed(R result);

        void failed(Throwable error);
    }

    private final Scheduler scheduler;
    private final Ticker ticker;
    private final SendScheduler sends;
    private final Completion<R> completion;
    private @Nullable ProbingStrategy<R> strategy;
    private @Nullable ProbeSession session;
    private Scheduler.Timer timer = Scheduler.NO_TIMER;
    private long timerDue;
    private boolean timerArmed;
    private boolean expiryPending;
    private boolean finished;
    /**
     * In {@link #changed}: it settles right after its pump, so a send that finds nothing needs no settle of its own.
     */
    private boolean changing;
    /** A settle is queued on the loop (one is enough, however many sends found nothing meanwhile). */
    private boolean settleQueued;
    /** The tracer's counters and events for this run; set when it starts. */
    private ProbeObserver observer = ProbeObserver.NONE;
    /** The measurement's own probe rate (shared by its runs), on top of the tracer's; null for none. */
    private @Nullable RateBudget ownRate;
    /** The last send found the own rate's budget empty: the next wake-up comes when it has a token. */
    private boolean heldByRate;

    public ProbeRun(Scheduler scheduler, Ticker ticker, SendScheduler sends, Completion<R> completion) {
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.sends = sends;
        this.completion = completion;
    }

    /**
     * The listener to open the session with: each answer goes to the engine loop (one hop), offered
     * ({@link Scheduler#offer}): one the loop refuses (too far behind) is dropped and its probe times out.
     */
    public ResponseListener listener() {
        return response -> scheduler.offer(() -> answered(response));
    }

    /**
     * Paces this run's sends by {@code rate} too (the measurement's own rate, shared by its runs; burst 1), on top
     * of the tracer's budget. Before {@link #start}.
     */
    public void limitRate(RateBudget rate) {
        this.ownRate = rate;
    }

    /**
     * Starts {@code strategy} on {@code session} (opened with {@link #listener()}; the strategy may
     * depend on it, e.g. on its sequence range).
     */
    public void start(ProbeSession session, ProbingStrategy<R> strategy) {
        this.session = session;
        this.strategy = strategy;
        if (finished) {
            closeSession();
            return;
        }
        guarded(() -> {
            ProbeObserver o = new ProbeObserver(sends.stats(), strategy.kind(),
                    strategy.target(), strategy.transport());
            strategy.observe(o);
            observer = o;
            o.started();
        });
        guarded(this::changed);
    }


    /** Whether {@link #start} ran. */
    public boolean started() {
        return strategy != null;
    }

    private ProbingStrategy<R> strategy() {
        ProbingStrategy<R> s = strategy;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        return s;
    }

    public boolean finished() {
        return finished;
    }

    /** Ends the run now, for {@code reason}, with the strategy's outcome. Does nothing once ended. */
    public void stop(Stop reason) {
        if (!end()) {
            return;
        }
        if (strategy == null) {
            return; // never started: the owner reports the end itself
        }
        R result;
        String status;
        try {
            result = strategy().outcome(reason, ticker.read());
            status = strategy().status(result, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "pathprobe measurement failed while ending", e);
            observer.ended("FAILED");
            completion.failed(e);
            return;
        }
        observer.ended(status);
        completion.completed(result);
    }

    /** Ends the run without a result (its owner reports the end): session closed, nothing sent any more. */
    public void abandon() {
        end();
    }

    /** Stops sending and waiting and closes the session; false if the run had already ended. */
    private boolean end() {
        if (finished) {
            return false;
        }
        finished = true;
        timer.cancel();
        sends.remove(this);
        closeSession();
        return true;
    }

    /** What the strategy knows now. */
    public R snapshot() {
        return strategy().snapshot(ticker.read());
    }

    /** {@link #onAnswer}, guarded (one task per answer, no second closure). */
    private void answered(ProbeResponse response) {
        try {
            onAnswer(response);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            fail(e);
        }
    }

    private void onAnswer(ProbeResponse response) {
        ProbingStrategy<R> s = strategy;
        if (s == null) {
            return;
        }
        // after the end too: read before the session closed, queued behind the answer that ended
        // the run; the strategy counts it and changes nothing
        s.onAnswer(response, ticker.read());
        changed();
    }

    @Override
    public boolean sendOne(long now) {
        try {
            boolean sent = trySend(now);
            if (!sent && !finished && strategy != null && !changing && !settleQueued) {
                // the scheduler drops a sender with nothing to send now: let it re-arm its wake-up
                // (a strategy held back by something of its own, e.g. a ping's gap, asks for one).
                // Not from this run's own change, which settles next anyway: one task per answer
                // otherwise, and the queue behind a busy loop twice as long.
                settleQueued = true;
                if (!scheduler.execute(() -> {
                    settleQueued = false;
                    guarded(this::settle);
                })) {
                    settleQueued = false;
                }
            }
            return sent;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            fail(e); // this run's failure, whoever's change started the round
            return false;
        }
    }

    private boolean trySend(long now) {
        ProbeSession s = session;
        heldByRate = false;
        if (finished || s == null || strategy == null) {
            return false;
        }
        RateBudget rate = ownRate;
        if (rate != null && !rate.tryTake(now)) {
            heldByRate = true; // whether it has a probe to send is asked once a token is there
            return false;
        }
        ProbeSpec probe = strategy().next(now);
        if (probe == null) {
            if (rate != null) {
                rate.refund();
            }
            return false;
        }
        try {
            long sentNanos = s.send(probe);
            observer.sent(probe.ttl(), probe.sequence(), probe.flow());
            strategy().onSent(probe, sentNanos, now);
        } catch (SendFailedException e) {
            observer.sendFailed();
            strategy().onSendFailed(probe, e, now);
        } catch (RuntimeException e) {
            observer.sendFailed();
            strategy().onSendFailed(probe, e.toString(), false, false, now);
        }
        return true;
    }

    @Override
    public void afterSending() {
        guarded(this::settle);
    }

    /** After a change: send what may leave, then settle. */
    private void changed() {
        if (finished) {
            return;
        }
        sends.markReady(this);
        changing = true;
        try {
            sends.pump();
        } finally {
            changing = false;
        }
        settle();
    }

    /** Ends the run if the strategy is done, else arms the wake-up it asks for. */
    private void settle() {
        if (finished || strategy == null) {
            return;
        }
        if (strategy().done()) {
            stop(Stop.COMPLETED);
            return;
        }
        long now = ticker.read();
        long delay = strategy().nextWakeup(now);
        RateBudget rate = ownRate;
        if (heldByRate && rate != null) {
            // a strategy due now (a send it wants) waits for the token; a later wake-up (an expiry) keeps its time
            long token = Math.max(rate.nanosUntilToken(now), 1);
            delay = delay <= 0 ? token : Math.min(delay, token);
        }
        if (delay == ProbingStrategy.NO_WAKEUP) {
            timer.cancel();
            timerArmed = false;
            return;
        }
        if (expiryPending) {
            return; // the pending wake-up re-settles when it has run
        }
        long due = now + Math.max(0, delay);
        if (timerArmed && due - timerDue >= 0) {
            return; // an earlier wake-up is armed; it re-arms as needed
        }
        timer.cancel();
        timerArmed = true;
        timerDue = due;
        timer = scheduler.schedule(() -> guarded(this::onTimer), delay);
    }

    private void onTimer() {
        timerArmed = false;
        ProbeSession s = session;
        if (finished || expiryPending || s == null) {
            return;
        }
        if (!strategy().expiryDue(ticker.read())) {
            changed(); // only a send is due: it leaves now, and the next wake-up is armed
            return;
        }
        // Before anything is given up, the transport hands over the answers it already has: they
        // are queued to the loop ahead of the wake-up.
        expiryPending = true;
        s.afterPendingAnswers(() -> {
            if (!scheduler.execute(() -> guarded(this::wakeup))) {
                LOG.log(Level.DEBUG, "wake-up after the engine stopped: dropped");
            }
        });
    }

    private void wakeup() {
        expiryPending = false;
        if (finished) {
            return;
        }
        strategy().onWakeup(ticker.read());
        changed();
    }

    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            fail(e);
        }
    }

    /** The run failed: logged, session closed, completion told. */
    public void fail(Throwable error) {
        if (!end()) {
            LOG.log(Level.ERROR, "pathprobe measurement task failed after it ended", error);
            return;
        }
        LOG.log(Level.ERROR, "pathprobe measurement failed", error);
        if (strategy != null) {
            observer.ended("FAILED");
        }
        completion.failed(error);
    }

    private void closeSession() {
        ProbeSession s = session;
        session = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing a probe session failed", e);
            }
        }
    }
}
