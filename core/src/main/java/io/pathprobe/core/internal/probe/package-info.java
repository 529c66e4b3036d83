/**
 * What measurements share: per-probe state ({@link ProbeState}) in a table indexed by TTL and
 * attempt ({@link ProbeTable}), sequence numbers that wrap ({@link SequenceSpace}), the adaptive wait
 * ({@link WaitPolicy}), the one owner of a measurement's probe fates ({@link ProbeLedger}) and the folding
 * of probes into hops and RTT statistics ({@link HopFolder}). Pure:
 * no threads, no clock reads. Not API.
 */
@NullMarked
package io.pathprobe.core.internal.probe;

import org.jspecify.annotations.NullMarked;
