package io.pathprobe.core.internal.enrich;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.internal.EnrichmentSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A tracer's local enrichment files: its GeoIP databases and PeeringDB dumps, opened and checked when the tracer
 * is built (a file that cannot be used fails the build with {@link io.pathprobe.EnrichmentDataException}).
 * Lookups are synchronous reads of memory (a memory-mapped mmdb, a prefix trie) answered as completed futures,
 * on the enrichment executor that asks (never the engine loop). Nothing here touches the network.
 */
public final class LocalData implements AutoCloseable {
    /** How long a local answer is kept in the cache: the files do not change while the tracer runs. */
    static final Duration KEEP = Duration.ofHours(24);

    private final GeoDatabases geo;
    private final PeeringDb ixp;

    private LocalData(GeoDatabases geo, PeeringDb ixp) {
        this.geo = geo;
        this.ixp = ixp;
    }

    /**
     * Opens the settings' files; every one is checked now.
     *
     * @throws io.pathprobe.EnrichmentDataException naming the first file that cannot be used and why (the ones
     *     opened before it are closed)
     */
    public static LocalData open(EnrichmentSettings settings) {
        GeoDatabases geo = GeoDatabases.open(settings.geoDatabases());
        try {
            return new LocalData(geo, PeeringDb.open(settings.peeringDbDumps()));
        } catch (RuntimeException e) {
            geo.close();
            throw e;
        }
    }

    /** Whether a GeoIP database was given. */
    public boolean hasGeo() {
        return !geo.isEmpty();
    }

    /** Whether a PeeringDB dump was given. */
    public boolean hasExchanges() {
        return ixp != PeeringDb.EMPTY;
    }

    /** Whether a GeoIP database has AS numbers. */
    public boolean hasAsn() {
        return geo.hasAsn();
    }

    /** Whether no file was given. */
    public boolean isEmpty() {
        return !hasGeo() && !hasExchanges();
    }

    /** The location of {@code address}, as a cache loader: completed at once. */
    public CompletableFuture<Timed<GeoLocation>> location(InetAddress address) {
        return read(() -> geo.location(address));
    }

    /** The AS of {@code address} by the GeoIP databases, as a cache loader. */
    public CompletableFuture<Timed<AsnInfo>> asn(InetAddress address) {
        return read(() -> geo.asn(address));
    }

    /** The exchange of {@code address}, as a cache loader. */
    public CompletableFuture<Timed<Exchange>> exchange(InetAddress address) {
        return read(() -> ixp.exchange(address));
    }

    private interface Read<T> {
        Optional<T> get() throws IOException;
    }

    private static <T> CompletableFuture<Timed<T>> read(Read<T> r) {
        try {
            Optional<T> v = r.get();
            return CompletableFuture.completedFuture(v.map(x -> Timed.found(x, KEEP)).orElseGet(() ->
                    Timed.notFound(KEEP)));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new IOException("reading the local database failed: "
                    + e.getMessage(), e));
        }
    }

    @Override
    public void close() {
        geo.close();
    }

    @Override
    public String toString() {
        return "LocalData{" + geo + ", " + ixp.prefixes() + " IX prefixes}";
    }
}
