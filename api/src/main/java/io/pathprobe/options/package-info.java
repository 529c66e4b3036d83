/**
 * The options every probing request shares, in one value ({@link io.pathprobe.options.ProbeOptions}): IP version,
 * protocol, destination port, TTL range, probes per TTL, probe timeout, deadline, probe rate and lookups; and the type
 * every measurement's request is ({@link io.pathprobe.options.MeasurementRequest}), naming its result.
 */
@NullMarked
package io.pathprobe.options;

import org.jspecify.annotations.NullMarked;
