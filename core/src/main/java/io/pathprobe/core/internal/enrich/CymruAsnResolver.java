package io.pathprobe.core.internal.enrich;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.spi.AsnResolver;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * AS numbers from Team Cymru's IP-to-ASN DNS interface (https://team-cymru.com/community-services/ip-asn-mapping/),
 * in two steps:
 * <ol>
 *   <li>TXT {@code d.c.b.a.origin.<zone>} (IPv4) or {@code <32 reversed nibbles>.origin6.<zone>}
 *       (IPv6) → {@code "ASN | prefix | CC | registry | allocated"}. A prefix announced by several ASes
 *       reads {@code "64500 64501 | ..."}: the <em>first</em> AS number is taken (Cymru gives no order
 *       of preference; the first is what mtr and ftr show). With several TXT records (covering prefixes
 *       of different lengths), the most specific prefix wins (ties: the first record).</li>
 *   <li>TXT {@code AS<n>.<zone>} → {@code "ASN | CC | registry | allocated | NAME"}: the AS name
 *       (everything after the fourth bar, trimmed). This step goes through {@code names}, which the
 *       {@link Enricher} backs with its AS-name cache.</li>
 * </ol>
 * The answer's TTL is the origin record's, lowered to the name's (found or not). When the name lookup
 * fails, the AS is still found, without a name and with TTL 0 (kept for the cache's minimum only, so
 * the name is asked again soon).
 *
 * <p>Addresses no public AS announces ({@link AddressRanges#isUnannounced}: RFC 1918, 100.64/10,
 * loopback, link-local, ULA, multicast, unspecified) are answered "not found" at once, without a
 * query. Benchmarking (198.18/15) and documentation (192.0.2/24, 2001:db8::/32, ...) addresses are
 * looked up.
 *
 * <p>The zone is configurable ({@link #DEFAULT_ZONE} by default); tests and the lab point it and the
 * DNS client at their own server. The default is never contacted by any test.
 */
public final class CymruAsnResolver implements AsnResolver {
    /** Team Cymru's zone. A constant only: no test contacts it. */
    public static final String DEFAULT_ZONE = "asn.cymru.com";
    /** How long an unannounced address's "not found" may be kept. */
    static final Duration UNANNOUNCED_TTL = Duration.ofHours(1);

    /**
     * An AS's name record.
     *
     * @param name the AS name, e.g. "LAB-ISP, ZZ"
     */
    public record AsName(Optional<String> name, Optional<String> country, Optional<String> registry) {}

    private final DnsClient dns;
    private final Name zone;
    private final LongFunction<CompletableFuture<Timed<AsName>>> names;

    /** Looks AS names up directly (uncached). */
    public CymruAsnResolver(DnsClient dns, String zone) {
        this(dns, zone, null);
    }

    /**
     * @param names how AS names are looked up (the enricher's cache in front of {@link #lookupName}); null:
     *     directly
     */
    public CymruAsnResolver(DnsClient dns, String zone,
            @Nullable LongFunction<CompletableFuture<Timed<AsName>>> names) {
        this.dns = Objects.requireNonNull(dns, "dns");
        try {
            this.zone = Name.fromString(zone, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS zone: " + zone, e);
        }
        this.names = names != null ? names : this::lookupName;
    }

    @Override
    public String name() {
        return "team-cymru";
    }

    /** The origin query name of {@code address}. */
    public Name originName(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder(80);
        if (address instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append('.');
            }
            sb.append("origin");
        } else {
            for (int i = 15; i >= 0; i--) {
                sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.');
                sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
            sb.append("origin6");
        }
        return Name.fromConstantString(sb + "." + zone);
    }

    /** The AS-name query name, {@code AS<n>.<zone>}. */
    public Name asName(long asn) {
        return Name.fromConstantString("AS" + asn + "." + zone);
    }

    @Override
    public CompletableFuture<Answer> lookup(InetAddress address) {
        if (AddressRanges.isUnannounced(address)) {
            return CompletableFuture.completedFuture(Answer.notFound(UNANNOUNCED_TTL));
        }
        return dns.query(originName(address), Type.TXT).thenCompose(r -> {
            Origin best = null;
            for (Record rec : r.records()) {
                if (rec instanceof TXTRecord txt) {
                    Origin o = parseOrigin(joined(txt));
                    if (o != null && (best == null || o.prefixLength > best.prefixLength)) {
                        best = o;
                    }
                }
            }
            if (best == null) {
                return CompletableFuture.completedFuture(Answer.notFound(r.ttl()));
            }
            Origin o = best;
            Duration originTtl = r.ttl();
            return names.apply(o.asn).handle((n, t) -> {
                if (t != null) {
                    return Answer.found(o.info(Optional.empty()), Duration.ZERO);
                }
                Duration ttl = n.ttl().compareTo(originTtl) < 0 ? n.ttl() : originTtl;
                return Answer.found(o.info(n.value().flatMap(AsName::name)), ttl);
            });
        });
    }

    /** Looks the name of {@code asn} up (uncached). */
    public CompletableFuture<Timed<AsName>> lookupName(long asn) {
        return dns.query(asName(asn), Type.TXT).thenApply(r -> {
            for (Record rec : r.records()) {
                if (rec instanceof TXTRecord txt) {
                    AsName n = parseName(joined(txt));
                    if (n != null) {
                        return Timed.found(n, r.ttl());
                    }
                }
            }
            return Timed.<AsName>notFound(r.ttl());
        });
    }

    private static String joined(TXTRecord txt) {
        return String.join("", txt.getStrings());
    }

    /** A parsed origin record. */
    record Origin(long asn, Optional<String> prefix, int prefixLength, Optional<String> country,
            Optional<String> registry) {
        AsnInfo info(Optional<String> name) {
            return new AsnInfo(asn, prefix, name, country, registry);
        }
    }

    /** Parses {@code "64500 64501 | 192.0.2.0/24 | ZZ | test | 2024-01-01"}; null if it is not one. */
    static @Nullable Origin parseOrigin(String txt) {
        String[] f = fields(txt);
        if (f.length < 1) {
            return null;
        }
        long asn = firstAsn(f[0]);
        if (asn < 0) {
            return null;
        }
        Optional<String> prefix = field(f, 1);
        int len = -1;
        if (prefix.isPresent()) {
            int slash = prefix.get().indexOf('/');
            try {
                len = slash < 0 ? -1 : Integer.parseInt(prefix.get().substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                len = -1;
            }
        }
        return new Origin(asn, prefix, len, field(f, 2), field(f, 3).map(s -> s.toLowerCase(Locale.ROOT)));
    }

    /** Parses {@code "64500 | ZZ | test | 2024-01-01 | LAB-ISP, ZZ"}; null if it is not one. */
    static @Nullable AsName parseName(String txt) {
        String[] f = fields(txt);
        if (f.length < 1 || firstAsn(f[0]) < 0) {
            return null;
        }
        Optional<String> name = Optional.empty();
        if (f.length >= 5) {
            List<String> rest = new ArrayList<>();
            for (int i = 4; i < f.length; i++) {
                rest.add(f[i]);
            }
            String n = String.join("|", rest).trim();
            name = n.isEmpty() ? Optional.empty() : Optional.of(n);
        }
        return new AsName(name, field(f, 1), field(f, 2).map(s -> s.toLowerCase(Locale.ROOT)));
    }

    private static String[] fields(String txt) {
        String[] f = txt.split("\\|", -1);
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].trim();
        }
        return f;
    }

    private static Optional<String> field(String[] f, int i) {
        return i < f.length && !f[i].isEmpty() ? Optional.of(f[i]) : Optional.empty();
    }

    /** The first AS number of a space-separated list, or -1. */
    private static long firstAsn(String s) {
        String first = s.trim().split("\\s+", 2)[0];
        if (first.regionMatches(true, 0, "AS", 0, 2)) {
            first = first.substring(2);
        }
        try {
            long n = Long.parseLong(first);
            return n >= 1 && n <= 0xffff_ffffL ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
