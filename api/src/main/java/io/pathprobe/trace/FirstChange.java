package io.pathprobe.trace;

import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.HeaderChange;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where on the path a header change first showed: the first hop whose router received the probe changed
 * that way. The box that made the change sits between this hop and the previous one (it quotes probes as
 * they reached it, unchanged); with a silent hop before this one, it may be that hop.
 *
 * @param change the change
 * @param ttl the TTL of the first hop that showed it
 * @param responder who answered there
 */
public record FirstChange(HeaderChange change, int ttl, Optional<InetAddress> responder) {
    /**
     * Checks the components.
     *
     * @param change the change
     * @param ttl the TTL of the first hop that showed it, 1 to 255
     * @param responder who answered there
     * @throws NullPointerException if {@code change} or {@code responder} is null
     * @throws IllegalArgumentException if {@code ttl} is not 1 to 255
     */
    public FirstChange {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(responder, "responder");
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 1..255, was " + ttl);
        }
    }

    /** {@return {@code "DSCP 46 -> 0 from hop 4 (198.18.0.7)"}} */
    @Override
    public String toString() {
        return change + " from hop " + ttl + responder.map(a -> " (" + AddressText.of(a) + ")").orElse("");
    }
}
