/**
 * Recording and replay: a tracer's measurements written to an NDJSON file with everything the engine took from
 * outside (transport answers and send times, lookups, target names, the clocks, and the order its loop, its pools
 * and those events interleaved in), and read back into an engine that runs the same strategies on that record
 * instead of the network and the clocks.
 *
 * <p>Why a replay is exact. The engine is deterministic: a piece of its work does the same given the same state and
 * the same inputs. Every piece of work the engine runs (a task or timer of its loop, a job of its set-up or
 * enrichment pools, an answer handed over by a transport, a lookup ending) is named by what caused it
 * ({@link io.pathprobe.evidence.internal.Causality}): the n-th piece given by a named piece, a measurement's
 * launch ({@link io.pathprobe.core.internal.record.spi.Launcher}), or an application's call. A recording lists the
 * loop's work in the order it ran, each piece with its clock readings, and every input from outside as the event
 * it was; a replay runs the same names in the same order, gives each the same readings and, when a piece is due,
 * the event it came from. So, piece by piece, each runs with the state the pieces before it left and with the
 * inputs it had: the replayed engine sends the same probes (each checked against the record as it is sent) and
 * reaches the same result (checked against the recorded document). For that the names, the inputs and the order
 * must not depend on anything the record does not hold:
 * <ul>
 *   <li>the application's code (its listeners' events, the futures it waits on) is not the engine's: it takes no
 *       name and runs outside every named piece ({@link io.pathprobe.evidence.internal.Recorder#callbacks}); how
 *       many events a listener gets and how its pool batches them is timing, and counting them renamed the
 *       engine's later work (a text trace's refill-retry timer, the lab's rate-limited traces);</li>
 *   <li>what the engine does for a listener it does with the replay's listener too: a request says whether it had
 *       one ({@link io.pathprobe.evidence.internal.RequestCodec});</li>
 *   <li>an application's launches are events at their place in the record, and whether a launch found the
 *       transport another measurement's set-up job had opened (a race of the application's thread with that job) is
 *       recorded and settled as it was ({@link io.pathprobe.evidence.internal.Recorder#launch});</li>
 *   <li>a masked recording's stand-ins are of the hidden addresses' kind, and keep what its document shows
 *       ({@link io.pathprobe.evidence.internal.RecordingMask}), so what the engine computes from them (a hop's
 *       segment) comes out the same.</li>
 * </ul>
 * Where the engine does something the record does not hold, the replay says where
 * ({@link io.pathprobe.evidence.ReplayDivergence}) and goes on on fake time with no answers; its result is then
 * not the recorded one and is not given as if it were. An application's own code can run on a replay
 * ({@link io.pathprobe.ReplayApplication}: {@link io.pathprobe.evidence.internal.ReplayingTracer},
 * {@link io.pathprobe.core.internal.runtime.VirtualLoop#call}): its starts are the recorded measurements' launches.
 *
 * <p>pathprobe-core finds this package's recorder and replayer through {@link java.util.ServiceLoader}
 * ({@link io.pathprobe.evidence.internal.JacksonEvidence}, the provider of core's seam
 * {@link io.pathprobe.core.internal.record.spi.Evidence}); core builds the recorded engine on what the
 * {@link io.pathprobe.evidence.internal.Recorder} wraps and the replayed one when the
 * {@link io.pathprobe.evidence.internal.Replayer} asks. Not API.
 */
@NullMarked
package io.pathprobe.evidence.internal;

import org.jspecify.annotations.NullMarked;
