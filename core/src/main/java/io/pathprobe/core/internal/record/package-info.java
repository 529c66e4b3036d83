/**
 * Recording and replay: a tracer's measurements written to an NDJSON file with everything the engine took from
 * outside (transport answers and send times, lookups, the clock, and the order its loop ran work in), and read
 * back into an engine that runs the same strategies on that record instead of the network and the clock.
 *
 * <p>How a replay stays exact: every piece of work the engine runs (a task or timer of its loop, a job of its
 * set-up or enrichment pools, an answer handed over by a transport, a lookup ending) is named by what caused it
 * ({@link Causality}): the n-th submission made from the loop, or the k-th made by a named job. A recording
 * lists the loop's work in the order it ran, with each piece's clock readings; a replay runs the same names in
 * the same order and gives each the same readings. Since the strategies are deterministic, the replayed engine
 * sends the same probes and reaches the same result; where it does something the record does not hold, the
 * replay says where and goes on on fake time with no answers.
 */
@NullMarked
package io.pathprobe.core.internal.record;

import org.jspecify.annotations.NullMarked;
