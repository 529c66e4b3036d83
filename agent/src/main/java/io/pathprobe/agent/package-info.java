/**
 * The scheduled agent: {@link io.pathprobe.agent.PathProbeAgent} runs a schedule of measurements
 * ({@link io.pathprobe.agent.AgentConfig}, read from a YAML or JSON file and reloaded when it changes) on one timer
 * thread, hands every result to its sinks and its metrics, and says what it did
 * ({@link io.pathprobe.agent.AgentStatistics}).
 */
@NullMarked
package io.pathprobe.agent;

import org.jspecify.annotations.NullMarked;
