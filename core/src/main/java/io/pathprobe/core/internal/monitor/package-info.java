/**
 * Continuous path monitoring, mtr's mode: {@link io.pathprobe.core.internal.monitor.MonitorStrategy} runs a
 * fresh trace strategy per round on one session (sequence numbers split into bands, one per round, so a late
 * answer never matches a later round's probe), {@link io.pathprobe.core.internal.monitor.MonitorState} folds
 * the rounds into per-hop {@link io.pathprobe.core.internal.monitor.HopAccumulator}s (bounded memory) and
 * raises the events, and {@link io.pathprobe.core.internal.monitor.MonitorHandle} is the user's handle.
 * Strategy and state are pure: no threads, no clock reads. Not API.
 */
@NullMarked
package io.pathprobe.core.internal.monitor;

import org.jspecify.annotations.NullMarked;
