package io.pathprobe.internal;

import io.pathprobe.spi.AsnResolver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The enrichment options of a {@link io.pathprobe.PathTracerBuilder}. Not API.
 *
 * @param dnsServer the DNS server for PTR and Team Cymru lookups, or null for the system's resolver
 * @param stunServer the STUN server for the public address, or null for none (public address OFF)
 * @param asnResolver the AS resolver, or null: Team Cymru through {@code dnsServer} when
 *     {@code teamCymru}, else no AS lookups
 * @param lookupTimeout how long one lookup may take (and how long a result waits for them)
 * @param offline no lookups at all
 * @param failureTtl how long a failed lookup is kept before it is asked again (0: not kept)
 * @param teamCymru AS lookups through Team Cymru's public zone (opt-in: every hop's address goes to a third party)
 * @param geoDatabases GeoIP mmdb files (MaxMind or IPinfo), read locally, in the order given
 * @param peeringDbDumps PeeringDB dumps (IX prefixes and names), read locally, in the order given
 */
public record EnrichmentSettings(@Nullable InetSocketAddress dnsServer, @Nullable InetSocketAddress stunServer,
        @Nullable AsnResolver asnResolver, Duration lookupTimeout, boolean offline, Duration failureTtl,
        boolean teamCymru, List<Path> geoDatabases, List<Path> peeringDbDumps) {
    /** Defaults: system resolver, no STUN, no AS lookups, 2 s. */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(2);
    /** How long a failed lookup is kept by default. */
    public static final Duration DEFAULT_FAILURE_TTL = Duration.ofSeconds(30);
    /** The default settings: the system's resolver, no STUN, no AS lookups, {@link #DEFAULT_LOOKUP_TIMEOUT}. */
    public static final EnrichmentSettings DEFAULTS = new EnrichmentSettings(null, null, null,
            DEFAULT_LOOKUP_TIMEOUT, false);
    /** No lookups (tests, embedded use without network). */
    public static final EnrichmentSettings OFFLINE = new EnrichmentSettings(null, null, null,
            DEFAULT_LOOKUP_TIMEOUT, true);

    /**
     * Checks the components (see the record's description).
     *
     * @param dnsServer the DNS server for PTR and Team Cymru lookups, or null for the system's resolver
     * @param stunServer the STUN server for the public address, or null for none (public address OFF)
     * @param asnResolver the AS resolver, or null: Team Cymru through {@code dnsServer} when
     *     {@code teamCymru}, else no AS lookups
     * @param lookupTimeout how long one lookup may take (and how long a result waits for them)
     * @param offline no lookups at all
     * @param failureTtl how long a failed lookup is kept before it is asked again (0: not kept)
     * @param teamCymru AS lookups through Team Cymru's public zone (opt-in: every hop's address goes to a
     *     third party)
     * @param geoDatabases GeoIP mmdb files (MaxMind or IPinfo), read locally, in the order given
     * @param peeringDbDumps PeeringDB dumps (IX prefixes and names), read locally, in the order given
     * @throws NullPointerException if {@code lookupTimeout}, {@code failureTtl} or a list is null
     */
    public EnrichmentSettings {
        Objects.requireNonNull(lookupTimeout, "lookupTimeout");
        Objects.requireNonNull(failureTtl, "failureTtl");
        geoDatabases = List.copyOf(geoDatabases);
        peeringDbDumps = List.copyOf(peeringDbDumps);
    }

    /**
     * These settings without local files (no GeoIP database, no PeeringDB dump).
     *
     * @param dnsServer the DNS server for PTR and Team Cymru lookups, or null for the system's resolver
     * @param stunServer the STUN server for the public address, or null for none (public address OFF)
     * @param asnResolver the AS resolver, or null: Team Cymru through {@code dnsServer} when
     *     {@code teamCymru}, else no AS lookups
     * @param lookupTimeout how long one lookup may take (and how long a result waits for them)
     * @param offline no lookups at all
     * @param failureTtl how long a failed lookup is kept before it is asked again (0: not kept)
     * @param teamCymru AS lookups through Team Cymru's public zone
     */
    public EnrichmentSettings(@Nullable InetSocketAddress dnsServer, @Nullable InetSocketAddress stunServer,
            @Nullable AsnResolver asnResolver, Duration lookupTimeout, boolean offline, Duration failureTtl,
            boolean teamCymru) {
        this(dnsServer, stunServer, asnResolver, lookupTimeout, offline, failureTtl, teamCymru, List.of(), List.of());
    }

    /**
     * These settings, failed lookups kept {@link #DEFAULT_FAILURE_TTL}, no Team Cymru lookups.
     *
     * @param dnsServer the DNS server for PTR lookups, or null for the system's resolver
     * @param stunServer the STUN server for the public address, or null for none (public address OFF)
     * @param asnResolver the AS resolver, or null for no AS lookups
     * @param lookupTimeout how long one lookup may take (and how long a result waits for them)
     * @param offline no lookups at all
     */
    public EnrichmentSettings(@Nullable InetSocketAddress dnsServer, @Nullable InetSocketAddress stunServer,
            @Nullable AsnResolver asnResolver, Duration lookupTimeout, boolean offline) {
        this(dnsServer, stunServer, asnResolver, lookupTimeout, offline, DEFAULT_FAILURE_TTL, false);
    }

    /** {@return whether AS numbers are looked up at all: a resolver of the caller's, or Team Cymru asked for} */
    public boolean asnLookups() {
        return !offline && (asnResolver != null || teamCymru);
    }

    /** {@return whether local files are read: a GeoIP database or a PeeringDB dump (offline or not)} */
    public boolean localData() {
        return !geoDatabases.isEmpty() || !peeringDbDumps.isEmpty();
    }
}
