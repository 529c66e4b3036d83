package io.pathprobe.diff;

import java.util.List;
import java.util.Objects;

/**
 * What changed on the path to one target: the two paths compared and the changes {@link PathDiff} found between
 * them, in the order of their hops (changes of the whole path, AS path and destination, last).
 *
 * @param before the path before
 * @param after the path after
 * @param changes the changes found; empty when none was
 */
public record TargetDiff(PathDiff.Side before, PathDiff.Side after, List<HopChange> changes) {
    /**
     * Checks the components (see the record's description) and copies {@code changes}.
     *
     * @param before the path before
     * @param after the path after
     * @param changes the changes found; empty when none was
     * @throws NullPointerException if a component is null or {@code changes} holds null
     */
    public TargetDiff {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        changes = List.copyOf(changes);
    }

    /** {@return the target, as the path before names it} */
    public String target() {
        return before.target();
    }

    /** {@return whether anything changed} */
    public boolean changed() {
        return !changes.isEmpty();
    }

    /**
     * {@code "198.19.0.1: no change"}, or the target and one line per change, indented:
     * {@code "198.19.0.1:\n  hop 3: 198.18.1.1 -> 198.18.9.1"}; a target named otherwise after is given as
     * {@code "a / b"}.
     */
    @Override
    public String toString() {
        String name = target().equals(after.target()) ? target() : target() + " / " + after.target();
        if (changes.isEmpty()) {
            return name + ": no change";
        }
        StringBuilder b = new StringBuilder(name).append(':');
        for (HopChange c : changes) {
            b.append("\n  ").append(c);
        }
        return b.toString();
    }
}
