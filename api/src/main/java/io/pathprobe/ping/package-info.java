/**
 * Pinging one target or thousands: {@link io.pathprobe.ping.PingRequest}, per-target statistics and probes.
 */
@NullMarked
package io.pathprobe.ping;

import org.jspecify.annotations.NullMarked;
