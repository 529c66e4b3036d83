package io.pathprobe.enrich;

import java.net.InetAddress;
import java.util.Objects;

import io.pathprobe.probe.AddressText;
import io.pathprobe.util.Checks;
/**
 * One address that answered at a hop, with how many probes it answered (several addresses at one
 * TTL mean load balancing or a route change), and what enrichment found about it.
 *
 * @param address the address that answered
 * @param replies how many probes it answered
 * @param hostname its host name by reverse DNS (PTR); {@link LookupStatus#OFF} without enrichment
 * @param asn its autonomous system ({@link io.pathprobe.spi.AsnResolver}); {@link LookupStatus#OFF}
 *     without enrichment
 */
public record Responder(InetAddress address, int replies, Lookup<String> hostname, Lookup<AsnInfo> asn) {
    /**
     * Checks the components (see the record's description).
     *
     * @param address the address that answered
     * @param replies how many probes it answered
     * @param hostname its host name by reverse DNS (PTR); {@link LookupStatus#OFF} without enrichment
     * @param asn its autonomous system ({@link io.pathprobe.spi.AsnResolver}); {@link LookupStatus#OFF}
     *     without enrichment
     * @throws NullPointerException if a component other than {@code replies} is null
     */
    public Responder {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(asn, "asn");
    }

    /**
     * A responder without enrichment (both lookups {@link LookupStatus#OFF}).
     *
     * @param address the address that answered
     * @param replies how many probes it answered
     */
    public Responder(InetAddress address, int replies) {
        this(address, replies, Lookup.off(), Lookup.off());
    }

    /**
     * {@return this responder with these lookups}
     *
     * @param hostname the address's host name by reverse DNS
     * @param asn the address's AS
     */
    public Responder withLookups(Lookup<String> hostname, Lookup<AsnInfo> asn) {
        return new Responder(address, replies, hostname, asn);
    }

    /** {@return whether both lookups have ended or were not asked (nothing {@link LookupStatus#PENDING})} */
    public boolean lookupsSettled() {
        return hostname.status() != LookupStatus.PENDING && asn.status() != LookupStatus.PENDING;
    }

    /**
     * {@code "core1.isp.example (198.18.0.10) AS64500 LAB-ISP, 3 replies"}: the name and AS where
     * they were found.
     */
    @Override
    public String toString() {
        String a = AddressText.of(address);
        return hostname.value().map(n -> n + " (" + a + ")").orElse(a)
                + asn.value().map(x -> " " + x.shortText()).orElse("") + ", " + replies
                + (replies == 1 ? " reply" : " replies");
    }
}
