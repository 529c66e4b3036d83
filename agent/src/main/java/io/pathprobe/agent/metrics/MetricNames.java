package io.pathprobe.agent.metrics;

/**
 * The meters' Micrometer names and tag keys (docs/observability.md lists them as Prometheus renders them:
 * dots become underscores, a unit is appended, counters end in {@code _total}).
 */
final class MetricNames {
    /** The job's name: not {@code job}, which Prometheus sets on every scraped series (the scrape job's name). */
    static final String JOB = "pathprobe_job";
    static final String TARGET = "target";
    static final String HOP = "hop";
    static final String FLOW = "flow";
    static final String ADDRESS = "address";
    static final String DIRECTION = "direction";
    static final String PATH_ID = "path_id";
    static final String KIND = "kind";
    static final String OUTCOME = "outcome";
    static final String SINK = "sink";

    static final String SECONDS = "seconds";
    static final String BYTES = "bytes";

    // traces and monitor rounds, per hop (TTL)
    static final String HOP_RTT_LAST = "pathprobe.hop.rtt.last";
    static final String HOP_RTT_AVG = "pathprobe.hop.rtt.avg";
    static final String HOP_RTT_MIN = "pathprobe.hop.rtt.min";
    static final String HOP_RTT_MAX = "pathprobe.hop.rtt.max";
    static final String HOP_RTT_STDDEV = "pathprobe.hop.rtt.stddev";
    static final String HOP_LOSS = "pathprobe.hop.loss.ratio";
    static final String HOP_RATE_LIMITED = "pathprobe.hop.rate.limited.ratio";
    static final String HOP_PROBES = "pathprobe.hop.probes";
    static final String HOP_INFO = "pathprobe.hop.info";
    // traces and monitor rounds, per path
    static final String PATH_HOPS = "pathprobe.path.hops";
    static final String DESTINATION_REACHED = "pathprobe.destination.reached";
    static final String PATH_ID_GAUGE = "pathprobe.path.id";
    static final String PATH_CHANGES = "pathprobe.path.changes";
    // pings: the OpenTelemetry collector's ICMP check receiver's names
    static final String PING_RTT_MIN = "ping.rtt.min";
    static final String PING_RTT_AVG = "ping.rtt.avg";
    static final String PING_RTT_MAX = "ping.rtt.max";
    static final String PING_RTT_STDDEV = "ping.rtt.stddev";
    static final String PING_LOSS = "ping.loss.ratio";
    /** The low end of a ping's loss where the destination's rate limit could not be told from loss (issue 68). */
    static final String PING_LOSS_LOW = "pathprobe.ping.loss.low.ratio";
    // multipath and MTU
    static final String MULTIPATH_PATHS = "pathprobe.multipath.paths";
    static final String MULTIPATH_PATH_LOSS = "pathprobe.multipath.path.loss.ratio";
    static final String PATH_MTU = "pathprobe.path.mtu";
    // the agent
    static final String MEASUREMENTS = "pathprobe.agent.measurements";
    static final String LAST_RESULT = "pathprobe.agent.last.result.timestamp";
    static final String SINK_WRITTEN = "pathprobe.agent.sink.written";
    static final String SINK_DROPPED = "pathprobe.agent.sink.dropped";
    static final String SINK_FAILURES = "pathprobe.agent.sink.failures";
    static final String SINK_QUEUED = "pathprobe.agent.sink.queued";
    static final String SINK_UP = "pathprobe.agent.sink.up";
    static final String SINK_FRAGMENTS = "pathprobe.agent.sink.fragments";
    static final String RELOADS = "pathprobe.agent.reloads";

    private MetricNames() {
    }
}
