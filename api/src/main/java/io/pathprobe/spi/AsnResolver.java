package io.pathprobe.spi;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
/**
 * Maps an address to its autonomous system. The built-in one asks Team Cymru's IP-to-ASN DNS service
 * (origin.asn.cymru.com / origin6.asn.cymru.com, then the AS name) through the tracer's resolver; a
 * user may bring their own (a MaxMind database, RIPEstat, a fixed table) through
 * {@code PathTracerBuilder.asnResolver}. The tracer caches answers per address (by
 * {@link Answer#ttl()}), keeps one lookup in flight per address, and never calls a resolver on its
 * engine thread.
 */
public interface AsnResolver {
    /** {@return a short name for logs and {@code transports}-style listings, e.g. "team-cymru"} */
    String name();

    /**
     * Looks an address up. The future completes with {@link Answer#found} or {@link Answer#notFound}
     * (cached, the latter briefly), or exceptionally when the lookup failed (a timeout, a server
     * failure: not cached, tried again next time). Must not block the calling thread.
     *
     * @param address the address to look up
     * @return the answer, as a future
     */
    CompletableFuture<Answer> lookup(InetAddress address);

    /**
     * What a lookup found.
     *
     * @param asn the AS, or empty when the address belongs to none the resolver knows (a private
     *     address, an unannounced prefix)
     * @param ttl how long the answer may be cached (the DNS TTL for Team Cymru)
     */
    record Answer(Optional<AsnInfo> asn, Duration ttl) {
        /**
         * Checks the components (see the record's description).
         *
         * @param asn the AS, or empty when the address belongs to none the resolver knows (a private address,
         *     an unannounced prefix)
         * @param ttl how long the answer may be cached (the DNS TTL for Team Cymru)
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if {@code ttl} is negative
         */
        public Answer {
            java.util.Objects.requireNonNull(asn, "asn");
            java.util.Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must not be negative, was " + ttl);
            }
        }

        /** {@return "AS64500 LAB-ISP, cached 1 h", or "no AS, cached 5 min"} */
        @Override
        public String toString() {
            return asn.map(AsnInfo::shortText).orElse("no AS") + ", cached " + Text.duration(ttl);
        }

        /**
         * {@return the answer that the address is in {@code asn}}
         *
         * @param asn the address's AS
         * @param ttl how long the answer may be cached
         */
        public static Answer found(AsnInfo asn, Duration ttl) {
            return new Answer(Optional.of(asn), ttl);
        }

        /**
         * {@return the answer that no AS is known for the address}
         *
         * @param ttl how long the answer may be cached
         */
        public static Answer notFound(Duration ttl) {
            return new Answer(Optional.empty(), ttl);
        }
    }
}
