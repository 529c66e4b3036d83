package io.pathprobe;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One address that answered at a hop, with how many probes it answered (several addresses at one
 * TTL mean load balancing or a route change).
 */
public record Responder(InetAddress address, int replies) {
    public Responder {
        Objects.requireNonNull(address, "address");
    }
}
