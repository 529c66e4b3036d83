package io.pathprobe;

import java.util.Objects;

/**
 * What enrichment learned about the two ends of a measured path, which the hop segments are
 * derived from.
 *
 * @param publicAddress this host's public address by STUN ({@link LookupStatus#OFF} when no STUN
 *     server is configured)
 * @param localAsn the AS of the public address (the ISP's)
 * @param destinationAsn the AS of the destination
 */
public record PathContext(Lookup<PublicAddress> publicAddress, Lookup<AsnInfo> localAsn, Lookup<AsnInfo> destinationAsn) {
    /** Nothing looked up. */
    public static final PathContext OFF = new PathContext(Lookup.off(), Lookup.off(), Lookup.off());

    public PathContext {
        Objects.requireNonNull(publicAddress, "publicAddress");
        Objects.requireNonNull(localAsn, "localAsn");
        Objects.requireNonNull(destinationAsn, "destinationAsn");
    }

    /** Whether this host is behind a NAT: its public address is not one of its own. */
    public boolean behindNat() {
        return publicAddress.value().map(PublicAddress::behindNat).orElse(false);
    }
}
