package io.pathprobe.monitor;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.probe.AddressText;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.util.Locale;
/**
 * One address that answered at a monitored hop, with its share of that hop's answers over the run, and
 * what enrichment found about it (looked up once per address, in the background: a result never waits).
 *
 * @param address the address that answered
 * @param replies the answers it gave at this hop over the run
 * @param share its share of the hop's answers, 0 to 1
 * @param hostname its host name by reverse DNS; {@link LookupStatus#OFF} without lookups,
 *     {@link LookupStatus#PENDING} until it is known
 * @param asn its autonomous system where the tracer looks AS numbers up; else {@link LookupStatus#OFF}
 * @param location where it is by the tracer's GeoIP databases; {@link LookupStatus#OFF} without one
 * @param exchange the Internet exchange whose peering LAN holds it, by the tracer's PeeringDB dump;
 *     {@link LookupStatus#OFF} without one
 */
public record MonitorResponder(InetAddress address, long replies, double share, Lookup<String> hostname,
        Lookup<AsnInfo> asn, Lookup<GeoLocation> location, Lookup<Exchange> exchange) {
    /**
     * Checks the components (see the record's description).
     *
     * @param address the address that answered
     * @param replies the answers it gave at this hop over the run
     * @param share its share of the hop's answers, 0 to 1
     * @param hostname its host name by reverse DNS; {@link LookupStatus#OFF} without lookups,
     *     {@link LookupStatus#PENDING} until it is known
     * @param asn its autonomous system where the tracer looks AS numbers up; else {@link LookupStatus#OFF}
     * @param location where it is by the tracer's GeoIP databases; {@link LookupStatus#OFF} without one
     * @param exchange the Internet exchange whose peering LAN holds it; {@link LookupStatus#OFF} without a
     *     PeeringDB dump
     * @throws NullPointerException if a component other than {@code replies} and {@code share} is null
     * @throws IllegalArgumentException if {@code share} is not 0 to 1
     */
    public MonitorResponder {
        Checks.nonNull("address", address, "hostname", hostname, "asn", asn, "location", location,
                "exchange", exchange);
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be 0..1, was " + share);
        }
    }

    /**
     * A responder without location and exchange lookups (both {@link LookupStatus#OFF}).
     *
     * @param address the address that answered
     * @param replies the answers it gave at this hop over the run
     * @param share its share of the hop's answers, 0 to 1
     * @param hostname its host name by reverse DNS
     * @param asn its autonomous system
     */
    public MonitorResponder(InetAddress address, long replies, double share, Lookup<String> hostname,
            Lookup<AsnInfo> asn) {
        this(address, replies, share, hostname, asn, Lookup.off(), Lookup.off());
    }

    /**
     * {@return this responder with these lookups (its location and exchange kept)}
     *
     * @param hostname the address's host name
     * @param asn the address's AS
     */
    public MonitorResponder withLookups(Lookup<String> hostname, Lookup<AsnInfo> asn) {
        return new MonitorResponder(address, replies, share, hostname, asn, location, exchange);
    }

    /**
     * {@return this responder with these lookups}
     *
     * @param hostname the address's host name
     * @param asn the address's AS
     * @param location where the address is by the GeoIP databases
     * @param exchange the Internet exchange whose peering LAN holds the address
     */
    public MonitorResponder withLookups(Lookup<String> hostname, Lookup<AsnInfo> asn, Lookup<GeoLocation> location,
            Lookup<Exchange> exchange) {
        return new MonitorResponder(address, replies, share, hostname, asn, location, exchange);
    }

    /** {@return the host name where one was found, else the address (RFC 5952 for IPv6)} */
    public String displayName() {
        return hostname.value().orElse(AddressText.of(address));
    }

    /**
     * {@code "core1.isp.example (198.18.0.10) AS64500 LAB-ISP [DE Frankfurt] IX LAB-IX 75.0%"}: the name, AS,
     * location and exchange where found.
     */
    @Override
    public String toString() {
        return Text.responder(AddressText.of(address), hostname.value(), asn.value().map(AsnInfo::shortText),
                location.value().map(GeoLocation::shortText), exchange.value().map(Exchange::shortText))
                + String.format(Locale.ROOT, " %.1f%%", share * 100);
    }
}
