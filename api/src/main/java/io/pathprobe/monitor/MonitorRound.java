package io.pathprobe.monitor;

import io.pathprobe.trace.TraceResult;
import java.util.List;
import java.util.Objects;
/**
 * One round of a monitor: the trace it ran, the path it saw, and the events it raised.
 *
 * @param number the round's number, from 1
 * @param trace the round's trace (Paris, one probe per hop by default; no TTL beyond the destination once
 *     it is known)
 * @param path the path this round saw (silent hops empty)
 * @param events the events this round raised, in order
 */
public record MonitorRound(long number, TraceResult trace, MonitorPath path, List<MonitorEvent> events) {
    /**
     * Checks the components (see the record's description) and copies {@code events}.
     *
     * @param number the round's number, from 1
     * @param trace the round's trace
     * @param path the path this round saw (silent hops empty)
     * @param events the events this round raised, in order
     * @throws NullPointerException if a component is null
     */
    public MonitorRound {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(path, "path");
        events = List.copyOf(events);
    }

    /** {@code "round 12: 198.18.0.2 → 198.19.0.1, DESTINATION_REACHED, 2 events"}. */
    @Override
    public String toString() {
        return "round " + number + ": " + path + ", " + trace.status()
                + (events.isEmpty() ? "" : ", " + events.size() + (events.size() == 1 ? " event" : " events"));
    }
}
