package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseListener;
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
    /** In {@link #changed}: it settles right after its pump, so a send that finds nothing needs no own settle. */
    private boolean changing;
    /** A settle is queued on the loop (one is enough, however many sends found nothing meanwhile). */
    private boolean settleQueued;
    /** The tracer's counters and events for this run; set when it starts. */
    private ProbeObserver observer = ProbeObserver.NONE;
    /** The measurement's own probe rate (shared by its runs), on top of the tracer's; null for none. */
    private @Nullable RateBudget ownRate;
    /** The last send found the own rate's budget empty: the next wake-up comes when it has a token. */
    private boolean heldByRate;
    /** The sender thread this run's session sends on, for its whole life; null: the engine loop itself. */
    private SendLanes.@Nullable Lane lane;
    /** Counted among the send scheduler's running measurements (until it ends). */
    private boolean joined;
    /** Sends handed to {@link #lane} whose outcome has not come back to the loop yet. */
    private int laneSends;
    /** The probes taken in this loop turn and not yet sent ({@link #flush}); null when none. */
    private @Nullable SendBatch batch;
    /** Whether the strategy's sends may be reported later ({@link ProbingStrategy.SendsLater}): then they batch. */
    private boolean batches;
    /** Answers that came while {@link #laneSends} was not 0: handled, in order, once it is. */
    private java.util.@Nullable ArrayDeque<ProbeResponse> heldAnswers;
    /** A wake-up that came while {@link #laneSends} was not 0: runs after the held answers. */
    private boolean wakeupHeld;
    /** The charges of its probes to the tracer's keyed budgets (null: none); its probe waiting for them. */
    private ProbeBudgets.@Nullable Run budget;
    private @Nullable ProbeSpec deferred;
    private long budgetWait;
    /** Set when the run ends: the lane skips the sends still queued for it. */
    private volatile boolean ending;
    // the loop's tasks, made once per run (each guarded)
    private final Task changedTask = new Task(Task.CHANGED);
    private final Task settleTask = new Task(Task.SETTLE);
    private final Task timerTask = new Task(Task.TIMER);
    private final Task wakeupTask = new Task(Task.WAKEUP);

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
        return new ResponseListener() {
            @Override
            public void onResponse(ProbeResponse response) {
                scheduler.offer(new Runnable() {
                    @Override
                    public void run() {
                        answered(response);
                    }
                });
            }
        };
    }

    /**
     * Paces this run's sends by {@code rate} too (the measurement's own rate, shared by its runs; burst 1), on top
     * of the tracer's budget. Before {@link #start}.
     */
    public void limitRate(RateBudget rate) {
        this.ownRate = rate;
    }

    /** Charges its probes toward {@code destination} to the tracer's keyed budgets, now and later. Before start. */
    public void aimAt(java.net.InetAddress destination) {
        budget = sends.budgets().run(destination);
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
        guarded(new Runnable() {
            @Override
            public void run() {
                ProbingStrategy.Subject<R> s = strategy.subject();
                ProbeObserver o = new ProbeObserver(sends.stats(), s.kind().name(), s.target(), s.transport());
                strategy.observe(o);
                observer = o;
                o.started();
            }
        });
        joined = true;
        SendLanes.Lane l = sends.join();
        batches = strategy instanceof ProbingStrategy.SendsLater;
        lane = l != null && batches ? l : null;
        changedTask.run();
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
            status = strategy().subject().status(result, reason);
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
        ending = true;
        timer.cancel();
        sends.remove(this);
        if (joined) {
            joined = false;
            sends.leave();
        }
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
        if (laneSends > (deferred != null ? 1 : 0)) { // a deferred probe has no answer: the others' go on
            // its probe's send may not be back yet (the answer can overtake the lane's report): after them
            java.util.ArrayDeque<ProbeResponse> held = heldAnswers;
            if (held == null) {
                held = new java.util.ArrayDeque<>();
                heldAnswers = held;
            }
            held.add(response);
            return;
        }
        handle(s, response);
    }

    /** An answer whose probe's send, if it was sent, has been reported. */
    private void handle(ProbingStrategy<R> s, ProbeResponse response) {
        // after the end too: read before the session closed, queued behind the answer that ended
        // the run; the strategy counts it and changes nothing
        s.onAnswer(response, ticker.read());
        if (budget != null) {
            budget.answered(response);
        }
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
                if (!scheduler.execute(new Runnable() {
                    @Override
                    public void run() {
                        settleQueued = false;
                        settleTask.run();
                    }
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
        budgetWait = 0;
        if (finished || s == null || strategy == null) {
            return false;
        }
        ProbeSpec probe = deferred;
        if (probe == null) {
            RateBudget rate = ownRate;
            if (rate != null && !rate.tryTake(now)) {
                heldByRate = true; // whether it has a probe to send is asked once a token is there
                return false;
            }
            probe = strategy().next(now);
            if (probe == null) {
                if (rate != null) {
                    rate.refund();
                }
                return false;
            }
        }
        ProbeBudgets.Run b = budget;
        if (b != null && (budgetWait = b.tryCharge(probe, now)) > 0) {
            // deferred, never dropped: wake-ups (its give-ups) are held as for a send on a lane, until it leaves
            if (deferred == null) {
                deferred = probe;
                laneSends++;
                sends.deferring(this, true); // asked again at once if the budget changes
            }
            return false;
        }
        boolean released = deferred != null;
        if (released) {
            deferred = null;
            laneSends--;
            sends.deferring(this, false);
        }
        SendBatch pending = batch != null ? batch : (batch = new SendBatch(this, s));
        if (pending.add(probe, now) || !batches) { // full, or a strategy that is not SendsLater: told at once
            flush();
        }
        if (released && lane == null && laneSends == 0 && !scheduler.execute(new Task(Task.HELD))) {
            LOG.log(Level.DEBUG, "the answers held for a deferred probe after the engine stopped: dropped");
        }
        return true;
    }

    /** Whether the run ended (its lane skips the sends still queued for it); any thread. */
    boolean ending() {
        return ending;
    }

    /** Sends the probes taken in this loop turn ({@link SendBatch}) on the lane, or here, their outcomes told. */
    @Override
    public void flush() {
        SendBatch b = batch;
        batch = null;
        SendLanes.Lane l = lane;
        try {
            if (b == null || finished) {
                return; // a run that ended: the probes it took were never sent, and no one is told
            } else if (l != null && l.submit(b)) {
                laneSends++;
                return;
            } else if (l != null) { // the lanes stopped (the tracer is closing); never here: the lane may still send
                b.refused = "not sent: the tracer is closing";
            } else {
                b.send();
            }
            report(b, false);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            fail(e);
        }
    }

    /** {@link #sendReported}, guarded: on the loop, from {@link SendBatch}. */
    void reported(SendBatch w) {
        try {
            sendReported(w);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            fail(e);
        }
    }

    /** On the loop: a lane's sends came back; once all have, the answers and the wake-up held meanwhile go on. */
    private void sendReported(SendBatch w) {
        laneSends--;
        if (finished || strategy == null || w.skipped) {
            if (laneSends == 0) {
                handleHeld(); // read before the end: the strategy counts them and changes nothing
            }
            return;
        }
        boolean failed = report(w, true);
        if (laneSends > (deferred != null ? 1 : 0)) {
            if (failed) {
                settle(); // a send that can never leave may end the run
            }
            return;
        }
        releaseHeld();
    }

    /** {@link SendBatch#report}; an Error (or a lane's task that did not end) fails the run. Whether one failed. */
    private boolean report(SendBatch w, boolean lane) {
        Throwable e = w.report(observer, strategy(), lane ? ticker : null);
        if (e != null) {
            fail(e); // what sendOne does with an Error on the loop
        } else if (w.failed && !lane) {
            sends.markReady(this); // what failed may let the strategy send more: asked again in this round
        }
        return w.failed;
    }

    /** Every send is back (or a deferred probe left): the answers and the wake-up held meanwhile go on. */
    private void releaseHeld() {
        if (laneSends > (deferred != null ? 1 : 0) || finished) {
            return;
        }
        boolean held = handleHeld();
        if (finished) {
            return;
        }
        if (wakeupHeld) {
            wakeupHeld = false;
            wakeup();
        } else if (!held) {
            settle(); // what the sends changed (a failure may end the run)
        }
    }

    /**
     * Every send before them is back: the answers held meanwhile, in order (sends they cause cannot be theirs).
     * Whether there were any.
     */
    private boolean handleHeld() {
        java.util.ArrayDeque<ProbeResponse> held = heldAnswers;
        heldAnswers = null;
        ProbingStrategy<R> s = strategy;
        if (held == null || s == null) {
            return false;
        }
        for (ProbeResponse r; (r = held.poll()) != null; ) {
            handle(s, r);
        }
        return true;
    }

    @Override
    public void afterSending() {
        settleTask.run();
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
        long token = heldByRate && rate != null ? Math.max(rate.nanosUntilToken(now), 1) : deferred != null
                ? Math.max(budgetWait, 1) : 0;
        if (token > 0) {
            // a strategy due now (a send it wants) waits for the token; a later wake-up (an expiry) keeps its time
            delay = delay <= 0 || deferred != null ? token : Math.min(delay, token);
        }
        if (delay == ProbingStrategy.NO_WAKEUP) {
            timer.cancel();
            timerArmed = false;
            return;
        }
        if (expiryPending && deferred == null) {
            return; // the pending wake-up re-settles when it has run (a deferred probe's retry is armed still)
        }
        long due = now + Math.max(0, delay);
        if (timerArmed && due - timerDue >= 0) {
            return; // an earlier wake-up is armed; it re-arms as needed
        }
        timer.cancel();
        timerArmed = true;
        timerDue = due;
        timer = scheduler.schedule(timerTask, delay);
    }

    private void onTimer() {
        timerArmed = false;
        ProbeSession s = session;
        if (finished || expiryPending && deferred == null || s == null) {
            return;
        }
        if (deferred != null || !strategy().expiryDue(ticker.read())) {
            changed(); // only a send is due (or a deferred one): it leaves now, and the next wake-up is armed
            return;
        }
        // Before anything is given up, the transport hands over the answers it already has: they
        // are queued to the loop ahead of the wake-up.
        expiryPending = true;
        s.afterPendingAnswers(new Runnable() {
            @Override
            public void run() {
                if (!scheduler.execute(wakeupTask)) {
                    LOG.log(Level.DEBUG, "wake-up after the engine stopped: dropped");
                }
            }
        });
    }

    private void wakeup() {
        if (finished) {
            expiryPending = false;
            return;
        }
        if (laneSends > 0) {
            wakeupHeld = true; // nothing is given up before every send's time is known and its answer handled
            return;
        }
        expiryPending = false;
        strategy().onWakeup(ticker.read());
        changed();
    }

    /**
     * One of this run's tasks on the loop, guarded ({@link #guarded}): a class, not four lambdas, because each lambda
     * is generated at its first use, in the first trace of a fresh JVM (docs/startup.md).
     */
    private final class Task implements Runnable {
        static final int CHANGED = 0;
        static final int SETTLE = 1;
        static final int TIMER = 2;
        static final int WAKEUP = 3;
        static final int HELD = 4;
        private final int action;

        Task(int action) {
            this.action = action;
        }

        @Override
        public void run() {
            try {
                switch (action) {
                    case CHANGED -> changed();
                    case SETTLE -> settle();
                    case TIMER -> onTimer();
                    case HELD -> releaseHeld();
                    default -> wakeup();
                }
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                fail(e);
            }
        }
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
        if (s == null) {
            return;
        }
        SendLanes.Lane l = lane;
        // on its lane, after the sends queued there (skipped now): a session is never used by two threads at once
        if (l == null || !l.submit(new SendLanes.Work() {
            @Override
            protected void onLane() {
                close(s);
            }

            @Override
            protected void onLoop() {}
        })) {
            close(s);
        }
    }

    private static void close(ProbeSession s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing a probe session failed", e);
        }
    }
}
