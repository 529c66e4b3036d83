package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.observe.EngineStats;
import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.options.ProbeBudget;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sends probes of all measurements of a tracer within its rate budget, round robin over the
 * measurements that have something to send. Confined to the engine loop. Owns its queue: the
 * measurements hold no scheduler state.
 */
public final class SendScheduler {
    /** A measurement that may have probes to send. */
    public interface Sender {
        /**
         * Takes one probe if one may leave now; false if it has none now. It may hold the probes it took for {@link
         * #flush}, up to a bound of its own.
         */
        boolean sendOne(long now);

        /** Sends the probes {@link #sendOne} took and holds (one batch); called when the round moves on from it. */
        void flush();

        /** Called once after a round in which it sent something. */
        void afterSending();
    }

    private static final long MIN_REFILL_NANOS = 50_000;
    private static final System.Logger LOG = System.getLogger("io.pathprobe.ratelimit");
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final RateBudget budget;
    static final int RESPONDERS = 4096;
    private final RateLimitTable responders = new RateLimitTable(RESPONDERS, 600_000_000_000L);
    private final ArrayDeque<Sender> ready = new ArrayDeque<>();
    private final Set<Sender> queued = Collections.newSetFromMap(new IdentityHashMap<>());
    private Scheduler.@Nullable Timer refill;
    private boolean pumping;
    /** The tracer's counters (the runs count their probes here too). */
    private final EngineStats stats = new EngineStats();
    /** When the budget began to hold a ready probe back; -1 when it does not. */
    private long waitingSince = -1;
    private long lastLog;
    private long waitsSinceLog;
    private long waitNanosSinceLog;
    private boolean logged;
    /** The tracer's sender threads (none unless set). */
    private SendLanes lanes = SendLanes.NONE;
    /** The tracer's budgets per destination, prefix and router; the overall one is {@link #budget}. */
    private final ProbeBudgets budgets;
    /** The budget last set ({@link #rebudget}, any thread), and the one in force (the loop's). */
    private volatile ProbeBudget wanted;
    private ProbeBudget applied;
    /** The senders holding a probe back for the keyed budgets, in the order they began to. */
    private final Set<Sender> deferring = new java.util.LinkedHashSet<>();
    /** Measurements running now ({@link #join} to {@link #leave}). */
    private int running;

    public SendScheduler(Scheduler scheduler, Ticker ticker, RateBudget budget) {
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.budget = budget;
        this.applied = this.wanted = new ProbeBudget(0, 0, 0, 0, 1); // until the tracer's is set: nothing keyed
        this.budgets = ProbeBudgets.of(applied, ticker, responders);
    }

    /**
     * The tracer-wide table of learned per-responder ICMP budgets, shared by every measurement of
     * the tracer (at most {@value #RESPONDERS} responders, each forgotten after ten idle minutes).
     */
    public RateLimitTable responders() {
        return responders;
    }

    /**
     * Sets the tracer's budget, {@code budget}'s overall rate being the one given at construction; once, before the
     * first probe ({@link #rebudget} changes it later).
     */
    public void budgets(ProbeBudget budget) {
        applied = wanted = budget;
        budgets.rebudget(budget, ticker.read());
    }

    /** {@return the tracer's budgets per destination, prefix and router} */
    public ProbeBudgets budgets() {
        return budgets;
    }

    /** {@return the tracer's budget: the one last set} Any thread. */
    public ProbeBudget budget() {
        return wanted;
    }

    /**
     * Sets a new budget from any thread; the loop applies it ({@link #applyBudget}), the last one set winning
     * whatever the order the loop runs the changes in. Returns false if the loop has stopped (nothing applied).
     */
    public boolean rebudget(ProbeBudget next) {
        wanted = java.util.Objects.requireNonNull(next, "budget");
        return scheduler.execute(new Runnable() {
            @Override
            public void run() {
                applyBudget();
            }
        });
    }

    /**
     * On the loop: the budget last set holds from now on. The overall rate and every keyed bucket keep the tokens
     * they hold, at most their new burst ({@link RateBudget#retune}), so no window from now on holds more than the
     * new budget allows; then every probe held back, for the overall rate or a keyed budget, is asked again now, in
     * the order they were first held, and leaves or waits under the new budget (never dropped, never sent twice).
     */
    private void applyBudget() {
        ProbeBudget next = wanted;
        if (next.equals(applied)) {
            return;
        }
        applied = next;
        long now = ticker.read();
        budget.retune(next.overall(), next.burst(), now);
        budgets.rebudget(next, now);
        Scheduler.Timer r = refill;
        if (r != null) {
            r.cancel(); // the overall wait is judged again by the pump below
            refill = null;
        }
        for (Sender s : deferring) {
            markReady(s);
        }
        pump();
    }

    /** {@code sender} holds a probe back for the keyed budgets ({@code true}) or no longer does. */
    public void deferring(Sender sender, boolean holds) {
        if (holds) {
            deferring.add(sender);
        } else {
            deferring.remove(sender);
        }
    }

    /** The tracer's counters: probes, answers, rate-budget waits. */
    public EngineStats stats() {
        return stats;
    }

    /** Spreads the sends of concurrent measurements over these sender threads; once, before the first. */
    public void lanes(SendLanes lanes) {
        this.lanes = lanes;
    }

    /**
     * A measurement starts: counted until it {@linkplain #leave leaves}. Returns the sender thread it sends on,
     * or null for the engine loop (always when it runs alone; see {@link SendLanes#pick}).
     */
    public SendLanes.@Nullable Lane join() {
        running++;
        return lanes.pick(running);
    }

    /** A measurement that {@linkplain #join joined} ended. */
    public void leave() {
        running--;
    }

    /** The sender may have something to send. */
    public void markReady(Sender sender) {
        if (queued.add(sender)) {
            ready.addLast(sender);
        }
    }

    /** Whether the sender is waiting in the queue (it will be asked to send when the budget allows). */
    public boolean isQueued(Sender sender) {
        return queued.contains(sender);
    }

    /** The sender is gone. */
    public void remove(Sender sender) {
        if (queued.remove(sender)) {
            ready.remove(sender);
        }
        deferring.remove(sender);
    }

    /** Sends what the budget allows now; arms a refill when it runs out. */
    public void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        // who sent in this round, for afterSending: nearly always one sender (unlimited budget: each
        // sends all it may at once), so a set is made only for a second one
        Sender first = null;
        Set<Sender> touched = null;
        // the sender whose probes may wait for its flush: each sender's probes of a round go as one batch
        Sender holding = null;
        try {
            while (!ready.isEmpty() || holding != null) {
                if (ready.isEmpty() && holding != null) { // its batch: what it reports may make it ready again
                    Sender h = holding;
                    holding = null;
                    h.flush();
                    continue;
                }
                long now = ticker.read();
                if (!budget.tryTake(now)) {
                    if (waitingSince < 0) {
                        waitingSince = now;
                        stats.rateWaitStarted();
                    }
                    armRefill(budget.nanosUntilToken(now));
                    break;
                }
                if (waitingSince >= 0) {
                    waitEnded(now);
                }
                Sender s = ready.peekFirst();
                if (holding != s) {
                    if (holding != null) {
                        holding.flush();
                    }
                    holding = s;
                }
                if (!s.sendOne(now)) {
                    budget.refund();
                    ready.pollFirst();
                    queued.remove(s);
                    continue;
                }
                if (first == null) {
                    first = s;
                } else if (s != first) {
                    if (touched == null) {
                        // in the order they sent (a replay runs them in the recorded order)
                        touched = new java.util.LinkedHashSet<>();
                    }
                    touched.add(s);
                }
                if (!budget.unlimited() && ready.size() > 1) {
                    ready.addLast(ready.pollFirst());
                }
            }
            if (holding != null) {
                holding.flush(); // the budget ran out
            }
        } finally {
            pumping = false;
        }
        if (waitingSince >= 0 && ready.isEmpty()) {
            waitEnded(ticker.read()); // nothing waits any more (the senders left)
        }
        if (first != null) {
            first.afterSending();
        }
        if (touched != null) {
            for (Sender s : touched) {
                s.afterSending();
            }
        }
    }

    /**
     * A wait for the budget is over: counted, and logged at most once a second (with what the waits
     * since the last line added up to).
     */
    private void waitEnded(long now) {
        long waited = Math.max(0, now - waitingSince);
        waitingSince = -1;
        stats.rateWaitEnded(waited);
        waitsSinceLog++;
        waitNanosSinceLog += waited;
        if ((!logged || now - lastLog >= LOG_INTERVAL_NANOS) && LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "rate-limited: the tracer's packet-rate budget held probes back " + waitsSinceLog
                    + " time(s) for " + (waitNanosSinceLog / 1_000) / 1000.0 + " ms in all"
                    + (logged ? " in the last " + (now - lastLog) / 1_000_000 + " ms" : "")
                    + " (PathTracerBuilder.packetsPerSecond and burst set the budget)");
            logged = true;
            lastLog = now;
            waitsSinceLog = 0;
            waitNanosSinceLog = 0;
        }
    }

    private void armRefill(long delay) {
        if (refill == null) {
            refill = scheduler.schedule(() -> {
                refill = null;
                pump();
            }, Math.max(delay, MIN_REFILL_NANOS));
        }
    }
}
