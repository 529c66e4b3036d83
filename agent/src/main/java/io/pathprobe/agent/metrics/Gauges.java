package io.pathprobe.agent.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gauges of the agent's results, grouped by owner: one job's results of one scope for one target. Each new
 * result of an owner {@linkplain #publish replaces} the owner's whole set: the gauges it has get its values, new
 * ones are registered, and those the newest result no longer has (a hop past the new end of the path, a silent
 * hop's RTT, a flow or multipath path that went) are removed from the registry. So the series stay bounded by
 * what the newest results say. Not thread-safe: {@link AgentMetrics} holds its lock.
 */
final class Gauges {
    /**
     * Whose gauges: one job, one scope (what kind of result made them) and one target.
     *
     * @param job the job's name
     * @param scope "path" (traces and monitor rounds), "ping", "multipath", "mtu" or "agent"
     * @param target the target as configured
     */
    record Owner(String job, String scope, String target) {
        Owner {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(target, "target");
        }
    }

    /** One gauge and the value it reads (set under the lock, read by scrapes). */
    private static final class Slot {
        volatile double value;
        final Gauge gauge;

        Slot(MeterRegistry registry, Sample s) {
            value = s.value();
            Gauge.Builder<Slot> b = Gauge.builder(s.name(), this, x -> x.value).description(s.description())
                    .tags(s.tags()).strongReference(true);
            if (s.unit() != null) {
                b.baseUnit(s.unit());
            }
            gauge = b.register(registry);
        }
    }

    private final MeterRegistry registry;
    private final Map<Owner, Map<Sample.Key, Slot>> owners = new HashMap<>();

    Gauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the owner's gauges to {@code samples} (the first of two with the same key wins), removing the rest. */
    void publish(Owner owner, List<Sample> samples) {
        Map<Sample.Key, Slot> before = owners.getOrDefault(owner, Map.of());
        Map<Sample.Key, Slot> now = new LinkedHashMap<>();
        for (Sample s : samples) {
            Sample.Key key = s.key();
            if (now.containsKey(key)) {
                continue;
            }
            Slot slot = before.get(key);
            if (slot == null) {
                slot = new Slot(registry, s);
            } else {
                slot.value = s.value();
            }
            now.put(key, slot);
        }
        for (Map.Entry<Sample.Key, Slot> e : before.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                registry.remove(e.getValue().gauge);
            }
        }
        if (now.isEmpty()) {
            owners.remove(owner);
        } else {
            owners.put(owner, now);
        }
    }

    /** Removes every gauge of the job's owners. */
    void removeJob(String job) {
        for (Iterator<Map.Entry<Owner, Map<Sample.Key, Slot>>> it = owners.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Owner, Map<Sample.Key, Slot>> e = it.next();
            if (e.getKey().job().equals(job)) {
                e.getValue().values().forEach(s -> registry.remove(s.gauge));
                it.remove();
            }
        }
    }
}
