/**
 * What changed between two path measurements, as scamper's {@code sc_tracediff} lists it: two traces, two
 * {@link io.pathprobe.trace.TraceAllResult traceAll} sets or two monitor runs compared hop by hop.
 * {@link io.pathprobe.diff.PathDiff} is the result (per target a {@link io.pathprobe.diff.TargetDiff} with its
 * {@link io.pathprobe.diff.HopChange}s). The results themselves are compared, whether measured or read back from
 * their JSON documents ({@code TraceJson.read}, {@code MonitorJson.read}).
 *
 * <p>The rules, in short (each spelled out on {@link io.pathprobe.diff.PathDiff}): a hop's responders are compared
 * as sets of addresses; a hop where nothing answered but nothing was decided either (rate-limited, abandoned) is not
 * compared; an RTT shift must exceed an absolute floor, a share of the RTT and three times the noise of each side;
 * a loss shift must be significant by Fisher's exact test; rate-limited probes and a router's own missing answers
 * (the path went on) are not loss.
 */
@NullMarked
package io.pathprobe.diff;

import org.jspecify.annotations.NullMarked;
