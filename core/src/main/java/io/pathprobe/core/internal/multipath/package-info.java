/**
 * Multipath discovery (MDA, MDA-Lite) and per-path measurement: a strategy on the shared runtime.
 * {@link MultipathStrategy} wires the {@link io.pathprobe.core.internal.probe.ProbeLedger} (every
 * probe's fate, as in a trace), the {@link MdaPlanner} (what to send next), the
 * {@link MultipathGraph} (what is known, and the result's nodes, links and diamonds) and
 * {@link PathProbing} (the path phase).
 */
@NullMarked
package io.pathprobe.core.internal.multipath;

import org.jspecify.annotations.NullMarked;
