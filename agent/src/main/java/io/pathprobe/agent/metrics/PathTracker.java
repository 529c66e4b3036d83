package io.pathprobe.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.pathprobe.micrometer.PathProbeMeters;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Each job's, target's and flow's path: its id and its change counter. A flow's first path with an answer sets
 * its id ({@link FlowPath#id()}). A later path that {@linkplain FlowPath#conflicts conflicts} with what is known
 * is a change: the id becomes the new path's and the counter goes up by one. Any other path (it differs only where
 * one of them was silent) keeps the id and fills in the known path's silent TTLs, so that a lost probe is never a
 * change, nor the answer after it; the id changes exactly when the counter counts. Not thread-safe:
 * {@link AgentMetrics} holds its lock.
 */
final class PathTracker {
    private record Key(String job, String target, String flow) {
    }

    private static final class State {
        long id;
        FlowPath known;
        final Counter changes;

        State(FlowPath first, Counter changes) {
            this.id = first.id();
            this.known = first;
            this.changes = changes;
        }
    }

    private final MeterRegistry registry;
    private final Map<Key, State> states = new HashMap<>();

    PathTracker(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Takes the flow's newest path; {@return the flow's path id after it, empty while none of its paths had an
     * answer}
     */
    OptionalLong update(String job, String target, String flow, FlowPath path) {
        Key key = new Key(job, target, flow);
        State s = states.get(key);
        if (!path.answered()) {
            return s == null ? OptionalLong.empty() : OptionalLong.of(s.id);
        }
        if (s == null) {
            Counter changes = Counter.builder(PathProbeMeters.PATH_CHANGES.getName())
                    .description(PathProbeMeters.PATH_CHANGES.description())
                    .tags(Tags.of(MetricNames.JOB, job, MetricNames.TARGET, target, MetricNames.FLOW, flow))
                    .register(registry);
            s = new State(path, changes);
            states.put(key, s);
        } else if (s.known.conflicts(path)) {
            s.id = path.id();
            s.known = path;
            s.changes.increment();
        } else {
            s.known = s.known.fill(path);
        }
        return OptionalLong.of(s.id);
    }

    /** Forgets the job's paths and removes their counters. */
    void removeJob(String job) {
        for (Iterator<Map.Entry<Key, State>> it = states.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, State> e = it.next();
            if (e.getKey().job().equals(job)) {
                registry.remove(e.getValue().changes);
                it.remove();
            }
        }
    }
}
