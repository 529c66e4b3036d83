/**
 * A continuous trace (mtr mode): {@link io.pathprobe.monitor.MonitorRequest}, rounds, per-hop statistics in
 * bounded memory and path-change events.
 */
@NullMarked
package io.pathprobe.monitor;

import org.jspecify.annotations.NullMarked;
