package io.pathprobe.agent.metrics;

import io.pathprobe.micrometer.PathProbeMeters;

/**
 * The agent's own meters and tag keys; the meters of results (hops, paths, pings, multipath, MTU) and their tags are
 * core's ({@link PathProbeMeters}), to which the agent adds only {@link #JOB}. docs/observability.md lists them all
 * as Prometheus renders them: dots become underscores, a unit is appended, counters end in {@code _total}.
 */
final class MetricNames {
    /** The job's name: not {@code job}, which Prometheus sets on every scraped series (the scrape job's name). */
    static final String JOB = "pathprobe_job";
    static final String TARGET = PathProbeMeters.Tag.TARGET.asString();
    static final String HOP = PathProbeMeters.Tag.HOP.asString();
    static final String FLOW = PathProbeMeters.Tag.FLOW.asString();
    static final String ADDRESS = PathProbeMeters.Tag.ADDRESS.asString();
    static final String DIRECTION = PathProbeMeters.Tag.DIRECTION.asString();
    static final String PATH_ID = PathProbeMeters.Tag.PATH_ID.asString();
    static final String KIND = PathProbeMeters.Tag.KIND.asString();
    static final String OUTCOME = "outcome";
    static final String SINK = "sink";
    /** An assertion of a job, as {@code pathprobe check}'s option that makes it: {@code --max-loss 5%}. */
    static final String ASSERTION = "assertion";

    // the agent's own
    static final String MEASUREMENTS = "pathprobe.agent.measurements";
    static final String LAST_RESULT = "pathprobe.agent.last.result.timestamp";
    static final String SINK_WRITTEN = "pathprobe.agent.sink.written";
    static final String SINK_DROPPED = "pathprobe.agent.sink.dropped";
    static final String SINK_FAILURES = "pathprobe.agent.sink.failures";
    static final String SINK_QUEUED = "pathprobe.agent.sink.queued";
    static final String SINK_UP = "pathprobe.agent.sink.up";
    static final String SINK_FRAGMENTS = "pathprobe.agent.sink.fragments";
    static final String RELOADS = "pathprobe.agent.reloads";
    static final String ASSERTION_STATE = "pathprobe.assertion.state";
    static final String ASSERTION_FAILURES = "pathprobe.assertion.failures";

    private MetricNames() {
    }
}
