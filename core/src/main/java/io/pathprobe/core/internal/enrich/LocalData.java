package io.pathprobe.core.internal.enrich;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.internal.EnrichmentSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A tracer's local enrichment files: its GeoIP databases and PeeringDB dumps, opened and checked when the tracer
 * is built (a file that cannot be used fails the build with {@link io.pathprobe.EnrichmentDataException}).
 * Lookups are synchronous reads of memory (a memory-mapped mmdb, a prefix trie) answered as completed futures,
 * on the enrichment executor that asks (never the engine loop). Nothing here touches the network.
 *
 * <p>Without files nothing of either kind is loaded: MaxMind's reader ({@code com.maxmind.db}) and
 * jackson-databind are optional dependencies of pathprobe-core, needed only by a tracer given a GeoIP database
 * or a PeeringDB dump, and one given either without its reader fails the build saying which to add.
 */
public final class LocalData implements AutoCloseable {
    /** How long a local answer is kept in the cache: the files do not change while the tracer runs. */
    static final Duration KEEP = Duration.ofHours(24);

    private final @Nullable GeoDatabases geo; // null: none given (it names MaxMind's classes: not even loaded)
    private final PeeringDb ixp;

    private LocalData(@Nullable GeoDatabases geo, PeeringDb ixp) {
        this.geo = geo;
        this.ixp = ixp;
    }

    /**
     * Opens the settings' files; every one is checked now.
     *
     * @throws io.pathprobe.EnrichmentDataException naming the first file that cannot be used and why (the ones
     *     opened before it are closed), or the missing reader (MaxMind DB, jackson-databind) a file needs
     */
    public static LocalData open(EnrichmentSettings settings) {
        List<Path> files = settings.geoDatabases();
        GeoDatabases geo = null;
        if (!files.isEmpty()) {
            LocalFiles.requireReader(files.get(0), "GeoIP database", "com.maxmind.db.Reader",
                    "reading a GeoIP database needs MaxMind's reader (com.maxmind.db:maxmind-db, maxmind-db.jar) on "
                    + "the class path (on the module path: the module com.maxmind.db, resolved by a requires or "
                    + "--add-modules)");
            geo = GeoDatabases.open(files);
        }
        try {
            return new LocalData(geo, PeeringDb.open(settings.peeringDbDumps()));
        } catch (RuntimeException e) {
            if (geo != null) {
                geo.close();
            }
            throw e;
        }
    }

    /** Whether a GeoIP database was given. */
    public boolean hasGeo() {
        return geo != null;
    }

    /** Whether a PeeringDB dump was given. */
    public boolean hasExchanges() {
        return ixp != PeeringDb.EMPTY;
    }

    /** Whether a GeoIP database has AS numbers. */
    public boolean hasAsn() {
        return geo != null && geo.hasAsn();
    }

    /** Whether no file was given. */
    public boolean isEmpty() {
        return !hasGeo() && !hasExchanges();
    }

    /** The location of {@code address}, as a cache loader: completed at once. */
    public CompletableFuture<Timed<GeoLocation>> location(InetAddress address) {
        GeoDatabases g = geo;
        return g == null ? notFound() : read(() -> g.location(address));
    }

    /** The AS of {@code address} by the GeoIP databases, as a cache loader. */
    public CompletableFuture<Timed<AsnInfo>> asn(InetAddress address) {
        GeoDatabases g = geo;
        return g == null ? notFound() : read(() -> g.asn(address));
    }

    /** The exchange of {@code address}, as a cache loader. */
    public CompletableFuture<Timed<Exchange>> exchange(InetAddress address) {
        return read(() -> ixp.exchange(address));
    }

    private static <T> CompletableFuture<Timed<T>> notFound() {
        return CompletableFuture.completedFuture(Timed.notFound(KEEP));
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
        if (geo != null) {
            geo.close();
        }
    }

    @Override
    public String toString() {
        return "LocalData{" + (geo == null ? "no GeoIP database" : geo) + ", "
                + ixp.prefixes() + " IX prefixes}";
    }
}
