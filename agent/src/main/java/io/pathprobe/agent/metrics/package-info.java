/**
 * The agent's Prometheus metrics: {@link io.pathprobe.agent.metrics.AgentMetrics} turns every result of the
 * schedule into gauges and counters of a Micrometer registry (per job, target, hop and flow; bounded: a hop's,
 * flow's or path's series go when the newest result no longer has it, a job's when it is removed), and
 * {@link io.pathprobe.agent.metrics.MetricsServer} serves a Prometheus registry's text format over HTTP. The
 * names, types, units and labels are listed in docs/observability.md, "Agent metrics (Prometheus)".
 */
@NullMarked
package io.pathprobe.agent.metrics;

import org.jspecify.annotations.NullMarked;
