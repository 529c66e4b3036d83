package io.pathprobe.core.internal.runtime;

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
        /** Sends one probe if one may leave now; false if it has none now. */
        boolean sendOne(long now);

        /** Called once after a round in which it sent something. */
        void afterSending();
    }

    private static final long MIN_REFILL_NANOS = 50_000;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final RateBudget budget;
    private final ArrayDeque<Sender> ready = new ArrayDeque<>();
    private final Set<Sender> queued = Collections.newSetFromMap(new IdentityHashMap<>());
    private Scheduler.@Nullable Timer refill;
    private boolean pumping;

    public SendScheduler(Scheduler scheduler, Ticker ticker, RateBudget budget) {
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.budget = budget;
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
    }

    /** Sends what the budget allows now; arms a refill when it runs out. */
    public void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        Set<Sender> touched = null;
        try {
            while (!ready.isEmpty()) {
                long now = ticker.read();
                if (!budget.tryTake(now)) {
                    armRefill(budget.nanosUntilToken(now));
                    break;
                }
                Sender s = ready.peekFirst();
                if (!s.sendOne(now)) {
                    budget.refund();
                    ready.pollFirst();
                    queued.remove(s);
                    continue;
                }
                if (touched == null) {
                    touched = Collections.newSetFromMap(new IdentityHashMap<>());
                }
                touched.add(s);
                if (!budget.unlimited() && ready.size() > 1) {
                    ready.addLast(ready.pollFirst());
                }
            }
        } finally {
            pumping = false;
        }
        if (touched != null) {
            for (Sender s : touched) {
                s.afterSending();
            }
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
