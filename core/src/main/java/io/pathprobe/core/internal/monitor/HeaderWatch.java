package io.pathprobe.core.internal.monitor;

import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A monitor's header changes from round to round: {@link MonitorEvent.HeaderChanged} when a field's change
 * first shows, moves to another first hop, or goes away. Bounded: one entry per {@link HeaderField}. Not
 * thread-safe (a monitor's rounds end on its loop).
 */
final class HeaderWatch {
    private final Map<HeaderField, FirstChange> current = new EnumMap<>(HeaderField.class);

    /** Adds to {@code events} what round {@code number}'s trace changed. */
    void round(long number, TraceResult trace, List<MonitorEvent> events) {
        Map<HeaderField, FirstChange> now = new EnumMap<>(HeaderField.class);
        for (FirstChange c : trace.headerChanges()) {
            now.put(c.change().field(), c);
        }
        for (FirstChange c : now.values()) {
            FirstChange was = current.get(c.change().field());
            if (was == null || was.ttl() != c.ttl()
                    || steady(c.change().field()) && !was.change().seen().equals(c.change().seen())) {
                events.add(new MonitorEvent.HeaderChanged(number, c, true));
                current.put(c.change().field(), c);
            }
        }
        for (FirstChange was : List.copyOf(current.values())) {
            HeaderField f = was.change().field();
            if (!now.containsKey(f) && quotedFrom(trace, was.ttl())) {
                events.add(new MonitorEvent.HeaderChanged(number, was, false));
                current.remove(f);
            }
        }
    }

    /**
     * Fields a box sets to one value whatever the probe (a DSCP, an ECN, an MSS): another value is news. The
     * others differ from probe to probe (a checksum, an IP ID, a port, the TTL a destination quotes).
     */
    private static boolean steady(HeaderField f) {
        return f == HeaderField.DSCP || f == HeaderField.ECN || f == HeaderField.TCP_MSS;
    }

    /** Whether some probe at {@code ttl} or beyond came back with its quote read. */
    private static boolean quotedFrom(TraceResult trace, int ttl) {
        for (Hop h : trace.hops()) {
            if (h.ttl() >= ttl) {
                for (ProbeResult p : h.probes()) {
                    if (p.quotedTrafficClass().isPresent()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
