package io.pathprobe.internal;

import io.pathprobe.options.ProbeBudget;

/**
 * A tracer whose probing budget may change while it runs: what {@link io.pathprobe.TracerBudget} reaches. Not API:
 * pathprobe-core's tracer implements it.
 */
public interface BudgetSetting {
    /** {@return the budget last set} */
    ProbeBudget budget();

    /**
     * Sets a new budget, applied on the engine's loop (see {@link io.pathprobe.TracerBudget#set}).
     *
     * @param next the budget
     */
    void budget(ProbeBudget next);
}
