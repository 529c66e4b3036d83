/**
 * Evidence to keep and share: a tracer's measurements recorded to a file
 * ({@link io.pathprobe.PathTracerBuilder#record(RecordingOptions)}) and replayed from it with no probe and no
 * lookup ({@link io.pathprobe.PathTracer#replay(java.nio.file.Path)}), the same result again: for a ticket with a
 * provider, an incident review, or a field report turned into a regression test; and
 * {@link io.pathprobe.evidence.Masking}, which hides the first hops and this host's addresses (trippy's privacy
 * mode) in every output, text, JSON and recordings.
 *
 * <p>A recording is a versioned NDJSON file (one JSON object per line, {@code docs/evidence.md} describes it): its
 * header, each measurement's request, everything the engine took from the outside world while it ran (the
 * transports chosen and every probe's send time, every answer as it came, each lookup's answer, the clock's readings
 * and the order the engine loop ran its work in) and each result as its JSON document. Replayed, the engine runs
 * the same strategies on that record instead of the network and the clock, so the result is the one recorded; a
 * file cut mid-line replays to its last complete line and says so.
 */
@NullMarked
package io.pathprobe.evidence;

import org.jspecify.annotations.NullMarked;
