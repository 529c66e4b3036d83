package io.pathprobe.agent;

import io.pathprobe.agent.sink.SinkStatistics;
import java.util.List;

/**
 * What the agent did since it started.
 *
 * @param jobs jobs in the schedule now
 * @param running measurements running now (monitors included)
 * @param completed measurements that ended with a result (a monitor: when it ends; its rounds are records)
 * @param failed measurements that could not run (a name that does not resolve, no transport)
 * @param skipped runs not started because the target's previous run was still going or the schedule's
 *     concurrency was used up for longer than the job's interval
 * @param records records handed to the sinks
 * @param reloads schedule changes applied
 * @param reloadFailures schedule changes refused (the old schedule kept running)
 * @param sinks each sink's counts
 */
public record AgentStatistics(int jobs, int running, long completed, long failed, long skipped, long records,
        long reloads, long reloadFailures, List<SinkStatistics> sinks) {
    /** Copies. */
    public AgentStatistics {
        sinks = List.copyOf(sinks);
    }

    /** {@return the records the sinks dropped, all together} */
    public long dropped() {
        return sinks.stream().mapToLong(SinkStatistics::dropped).sum();
    }

    @Override
    public String toString() {
        return jobs + " jobs, " + running + " running, " + completed + " completed, " + failed + " failed, "
                + skipped + " skipped, " + records + " records, " + dropped() + " dropped"
                + (reloads + reloadFailures > 0 ? ", " + reloads + " reloads (" + reloadFailures + " refused)" : "")
                + (sinks.isEmpty() ? "" : "; " + String.join("; ", sinks.stream().map(Object::toString).toList()));
    }
}
