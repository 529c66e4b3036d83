package io.pathprobe.enrich;

import io.pathprobe.util.Checks;
/**
 * What enrichment learned about the two ends of a measured path, which the hop segments are
 * derived from.
 *
 * @param publicAddress this host's public address by STUN ({@link LookupStatus#OFF} when no STUN
 *     server is configured)
 * @param localAsn the AS of the public address (the ISP's)
 * @param destinationAsn the AS of the destination
 */
public record PathContext(Lookup<PublicAddress> publicAddress, Lookup<AsnInfo> localAsn,
        Lookup<AsnInfo> destinationAsn) {
    /** Nothing looked up. */
    public static final PathContext OFF = new PathContext(Lookup.off(), Lookup.off(), Lookup.off());

    /**
     * Checks the components (see the record's description).
     *
     * @param publicAddress this host's public address by STUN ({@link LookupStatus#OFF} when no STUN server
     *     is configured)
     * @param localAsn the AS of the public address (the ISP's)
     * @param destinationAsn the AS of the destination
     * @throws NullPointerException if a component is null
     */
    public PathContext {
        Checks.nonNull("publicAddress", publicAddress, "localAsn", localAsn, "destinationAsn", destinationAsn);
    }

    /** {@return whether this host is behind a NAT: its public address is not one of its own} */
    public boolean behindNat() {
        return publicAddress.value().map(PublicAddress::behindNat).orElse(false);
    }

    /**
     * One line: {@code "public address: 198.51.100.7, AS64500 LAB-ISP (behind NAT: this host is
     * 192.168.1.2); destination AS64501 LAB-DC"}; {@code "public address: unknown (STUN timed out)"}
     * when the lookup failed, {@code "public address: off"} when it was not asked for.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("public address: ");
        if (publicAddress.value().isPresent()) {
            PublicAddress p = publicAddress.value().get();
            b.append(p.addressText());
            localAsn.value().ifPresent(a -> b.append(", ").append(a.shortText()));
            b.append(p.behindNat() ? " (behind NAT: this host is " + p.localAddressText() + ")"
                    : " (not behind NAT)");
        } else if (publicAddress.status() == LookupStatus.FAILED) {
            b.append("unknown (").append(publicAddress.failure().orElse("STUN failed")).append(')');
        } else {
            b.append(publicAddress);
        }
        destinationAsn.value().ifPresent(a -> b.append("; destination ").append(a.shortText()));
        return b.toString();
    }
}
