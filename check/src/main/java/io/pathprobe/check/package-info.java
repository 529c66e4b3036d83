/**
 * Assertions on a measurement: {@link io.pathprobe.check.Assertion} (a value, printing as the
 * {@code pathprobe check} option that makes it) and {@link io.pathprobe.check.Assertions#check} (a trace's,
 * monitor's or ping's result against a list, a {@link io.pathprobe.check.Verdict} per assertion). Loss is the loss
 * the result claims: rate-limited probes and the misses a rate limit could explain are never counted.
 */
@NullMarked
package io.pathprobe.check;

import org.jspecify.annotations.NullMarked;
