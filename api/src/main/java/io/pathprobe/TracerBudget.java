package io.pathprobe;

import io.pathprobe.internal.BudgetSetting;
import io.pathprobe.options.ProbeBudget;
import java.util.Objects;

/**
 * The probing budget of a running tracer ({@link PathTracerBuilder#budget}): read it, or set a new one that holds from
 * then on, for the measurements running and those to come, without a new tracer.
 *
 * <pre>{@code
 * TracerBudget budget = TracerBudget.of(tracer);
 * budget.set(ProbeBudget.builder().overall(2000).perRouter(20).build()); // from now on
 * }</pre>
 *
 * <p>The change is applied on the engine's loop, in order with the probes: from then on no window holds more than the
 * new budget allows (each bucket keeps the tokens it held, at most its new burst), and the probes waiting for the
 * budget are judged again at once under the new one: they leave, or wait for it, each sent once (a lower budget drops
 * none, a removed one releases them). A budget set on another thread at the same time may be applied first; the one
 * set last holds.
 */
public final class TracerBudget {
    private final BudgetSetting tracer;

    private TracerBudget(BudgetSetting tracer) {
        this.tracer = tracer;
    }

    /**
     * {@return the budget of {@code tracer}}
     *
     * @param tracer a tracer {@link PathTracer#builder()} built
     * @throws IllegalArgumentException if {@code tracer} is not one pathprobe's engine built (e.g. a test's stand-in)
     */
    public static TracerBudget of(PathTracer tracer) {
        Objects.requireNonNull(tracer, "tracer");
        if (!(tracer instanceof BudgetSetting s)) {
            throw new IllegalArgumentException("not a tracer of pathprobe's engine, its budget cannot be set: "
                    + tracer.getClass().getName());
        }
        return new TracerBudget(s);
    }

    /** {@return the budget in force: the one last set, or the builder's} */
    public ProbeBudget get() {
        return tracer.budget();
    }

    /**
     * Sets a new budget; returns at once (the engine applies it, in order with its probes). Safe from any thread, a
     * listener included.
     *
     * @param budget the budget from now on
     * @throws IllegalStateException if the tracer is closed
     * @throws UnsupportedOperationException if the tracer records or replays (a recording holds one budget)
     */
    public void set(ProbeBudget budget) {
        tracer.budget(Objects.requireNonNull(budget, "budget"));
    }
}
