package io.pathprobe.enrich;

import io.pathprobe.probe.AddressText;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
/**
 * One address that answered at a hop, with how many probes it answered (several addresses at one
 * TTL mean load balancing or a route change), and what enrichment found about it.
 *
 * @param address the address that answered
 * @param replies how many probes it answered
 * @param hostname its host name by reverse DNS (PTR); {@link LookupStatus#OFF} without enrichment
 * @param asn its autonomous system ({@link io.pathprobe.spi.AsnResolver}, or a GeoIP database with AS numbers);
 *     {@link LookupStatus#OFF} without enrichment
 * @param location where it is by the GeoIP databases ({@link io.pathprobe.PathTracerBuilder#geoDatabase});
 *     {@link LookupStatus#OFF} without one
 * @param exchange the Internet exchange whose peering LAN holds it, by the PeeringDB dump
 *     ({@link io.pathprobe.PathTracerBuilder#peeringDbDump}); {@link LookupStatus#NOT_FOUND} for an address in
 *     no exchange's prefix, {@link LookupStatus#OFF} without a dump
 */
public record Responder(InetAddress address, int replies, Lookup<String> hostname, Lookup<AsnInfo> asn,
        Lookup<GeoLocation> location, Lookup<Exchange> exchange) {
    /**
     * Checks the components (see the record's description).
     *
     * @param address the address that answered
     * @param replies how many probes it answered
     * @param hostname its host name by reverse DNS (PTR); {@link LookupStatus#OFF} without enrichment
     * @param asn its autonomous system; {@link LookupStatus#OFF} without enrichment
     * @param location where it is by the GeoIP databases; {@link LookupStatus#OFF} without one
     * @param exchange the Internet exchange whose peering LAN holds it; {@link LookupStatus#OFF} without a
     *     PeeringDB dump
     * @throws NullPointerException if a component other than {@code replies} is null
     */
    public Responder {
        // Checks.nonNull only when one is null: its arguments are an array, made for every hop of every result
        if (address == null || hostname == null || asn == null || location == null || exchange == null) {
            Checks.nonNull("address", address, "hostname", hostname, "asn", asn, "location", location,
                    "exchange", exchange);
        }
    }

    /**
     * A responder without location and exchange lookups (both {@link LookupStatus#OFF}).
     *
     * @param address the address that answered
     * @param replies how many probes it answered
     * @param hostname its host name by reverse DNS (PTR); {@link LookupStatus#OFF} without enrichment
     * @param asn its autonomous system; {@link LookupStatus#OFF} without enrichment
     */
    public Responder(InetAddress address, int replies, Lookup<String> hostname, Lookup<AsnInfo> asn) {
        this(address, replies, hostname, asn, Lookup.off(), Lookup.off());
    }

    /**
     * A responder without enrichment (every lookup {@link LookupStatus#OFF}).
     *
     * @param address the address that answered
     * @param replies how many probes it answered
     */
    public Responder(InetAddress address, int replies) {
        this(address, replies, Lookup.off(), Lookup.off());
    }

    /**
     * {@return this responder with these lookups (its location and exchange kept)}
     *
     * @param hostname the address's host name by reverse DNS
     * @param asn the address's AS
     */
    public Responder withLookups(Lookup<String> hostname, Lookup<AsnInfo> asn) {
        return new Responder(address, replies, hostname, asn, location, exchange);
    }

    /**
     * {@return this responder with these lookups}
     *
     * @param hostname the address's host name by reverse DNS
     * @param asn the address's AS
     * @param location where the address is by the GeoIP databases
     * @param exchange the Internet exchange whose peering LAN holds the address
     */
    public Responder withLookups(Lookup<String> hostname, Lookup<AsnInfo> asn, Lookup<GeoLocation> location,
            Lookup<Exchange> exchange) {
        return new Responder(address, replies, hostname, asn, location, exchange);
    }

    /** {@return whether every lookup has ended or was not asked (nothing {@link LookupStatus#PENDING})} */
    public boolean lookupsSettled() {
        return hostname.status() != LookupStatus.PENDING && asn.status() != LookupStatus.PENDING
                && location.status() != LookupStatus.PENDING && exchange.status() != LookupStatus.PENDING;
    }

    /**
     * {@code "core1.isp.example (198.18.0.10) AS64500 LAB-ISP [DE Frankfurt] IX DE-CIX Frankfurt, 3 replies"}:
     * the name, AS, location and exchange where they were found.
     */
    @Override
    public String toString() {
        return Text.responder(AddressText.of(address), hostname.value(), asn.value().map(AsnInfo::shortText),
                location.value().map(GeoLocation::shortText), exchange.value().map(Exchange::shortText)) + ", "
                + replies + (replies == 1 ? " reply" : " replies");
    }
}
