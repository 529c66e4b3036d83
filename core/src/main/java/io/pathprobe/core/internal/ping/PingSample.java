package io.pathprobe.core.internal.ping;

import java.time.Duration;
import java.util.Objects;

/**
 * One answered probe of a ping target.
 *
 * @param sequence the probe's place in its target's send order, from 0; it never wraps (the number
 *     the probe carried on the wire is {@code sequence mod (maxSequence + 1)})
 * @param sentAt when it was sent, after the target's first probe was sent (the transport's clock has
 *     no epoch; whoever knows the wall time of the first send can turn it into an instant)
 * @param rtt its round-trip time
 */
public record PingSample(long sequence, Duration sentAt, Duration rtt) {
    public PingSample {
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(rtt, "rtt");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, was " + sequence);
        }
        if (rtt.isNegative()) {
            throw new IllegalArgumentException("rtt must not be negative, was " + rtt);
        }
    }
}
