package io.pathprobe.core.internal.enrich;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * This host's address and port as a STUN server mapped them, with where the request left from: what the
 * public {@link io.pathprobe.enrich.PublicAddress} is made of.
 *
 * @param mapped the address and port the server saw (XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from an old
 *     server)
 * @param local the local address and port the request left from
 * @param server the STUN server asked
 * @param behindNat true when {@code mapped}'s address is none of this host's interface addresses (a
 *     NAT, or several, rewrote it)
 */
public record StunMapping(InetSocketAddress mapped, InetSocketAddress local, InetSocketAddress server,
        boolean behindNat) {
    public StunMapping {
        Objects.requireNonNull(mapped, "mapped");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(server, "server");
    }

    /** The public address alone. */
    public InetAddress address() {
        return mapped.getAddress();
    }
}
