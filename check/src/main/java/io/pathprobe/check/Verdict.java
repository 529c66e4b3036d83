package io.pathprobe.check;

import java.util.Objects;

/**
 * What a result says of one assertion: whether it held, and the evidence in one line (which hop, which value,
 * which bound).
 *
 * @param assertion the assertion
 * @param state held, failed or not applicable
 * @param reason the evidence, e.g. {@code "30% loss at the destination 198.18.9.1 (hop 5: 6 of 20 probes lost),
 *     above 5%"}
 */
public record Verdict(Assertion assertion, State state, String reason) {
    /** Whether an assertion held. */
    public enum State {
        /** The result shows it holds. */
        HELD,
        /** The result shows it does not. */
        FAILED,
        /**
         * The result cannot tell: the measurement does not measure it (jitter of a trace), or the evidence it needs
         * is missing (an AS when lookups were off, the routers' quotes where the transport cannot read them).
         */
        NOT_APPLICABLE
    }

    /**
     * Checks the components.
     *
     * @param assertion the assertion
     * @param state held, failed or not applicable
     * @param reason the evidence, one line
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code reason} is more than one line
     */
    public Verdict {
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(state, "state");
        if (reason.contains("\n")) {
            throw new IllegalArgumentException("a verdict's reason is one line");
        }
    }

    /** {@return {@code "FAILED --max-loss 5%: 30% loss at the destination ..."}: the state, the option, the reason} */
    @Override
    public String toString() {
        return state + " " + assertion + ": " + reason;
    }
}
