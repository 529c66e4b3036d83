/**
 * Where the agent's records go: the {@link io.pathprobe.agent.sink.ResultSink} SPI (found through
 * {@link io.pathprobe.agent.sink.ResultSinkProvider}), its buffer ({@link io.pathprobe.agent.sink.BufferedSink}),
 * the record ({@link io.pathprobe.agent.sink.AgentRecord}) and its formats
 * ({@link io.pathprobe.agent.sink.RecordFormat}); NDJSON files and standard output.
 */
@NullMarked
package io.pathprobe.agent.sink;

import org.jspecify.annotations.NullMarked;
