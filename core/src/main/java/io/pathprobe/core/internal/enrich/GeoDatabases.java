package io.pathprobe.core.internal.enrich;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Metadata;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.GeoLocation;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Offline GeoIP: MaxMind DB (mmdb) files read with MaxMind's reader ({@code com.maxmind.db}, memory-mapped,
 * thread-safe), never parsed by hand. Reads what each kind of database has: MaxMind GeoIP2/GeoLite2 City and
 * Country ({@code country.iso_code}, {@code country.names.en}, {@code registered_country}, {@code city.names.en},
 * {@code location.latitude/longitude/accuracy_radius}), MaxMind ASN ({@code autonomous_system_number},
 * {@code autonomous_system_organization}) and IPinfo's ({@code country_code}, {@code country}, {@code city},
 * {@code latitude}, {@code longitude}, {@code asn} as "AS64500", {@code as_name}). Several databases are merged
 * field by field, the first given first. Nothing here touches the network.
 */
public final class GeoDatabases implements AutoCloseable {
    /** How many records of each database are decoded when it is opened, to find corruption then, not later. */
    static final int CHECKED_RECORDS = 256;

    private record Db(Path file, Reader reader, String type) {}

    private final List<Db> dbs;
    private final boolean hasAsn;

    private GeoDatabases(List<Db> dbs, boolean hasAsn) {
        this.dbs = dbs;
        this.hasAsn = hasAsn;
    }

    /**
     * Opens every file and checks it (metadata, search tree size, the first records decode).
     *
     * @throws io.pathprobe.EnrichmentDataException naming the first file that cannot be used and why; the ones opened
     *     before it are closed
     */
    public static GeoDatabases open(List<Path> files) {
        List<Db> dbs = new ArrayList<>();
        boolean asn = false;
        try {
            for (Path f : files) {
                Db db = openOne(f);
                dbs.add(db);
                asn |= hasAsnFields(db);
            }
        } catch (RuntimeException e) {
            closeAll(dbs);
            throw e;
        }
        return new GeoDatabases(List.copyOf(dbs), asn);
    }

    private static Db openOne(Path file) {
        LocalFiles.checkReadable(file, "GeoIP database");
        Reader reader;
        try {
            reader = new Reader(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw LocalFiles.error(file, "GeoIP database", "not a readable MaxMind DB (mmdb) file", e);
        }
        try {
            Metadata m = reader.getMetadata();
            long treeBytes = m.nodeCount() * m.recordSize() / 4;
            if (m.binaryFormatMajorVersion() != 2 || (m.ipVersion() != 4 && m.ipVersion() != 6)
                    || m.recordSize() % 4 != 0 || m.recordSize() < 24) {
                throw new IOException("unsupported format: version " + m.binaryFormatMajorVersion() + ", IPv"
                        + m.ipVersion() + ", record size " + m.recordSize());
            }
            if (treeBytes + 16 > Files.size(file)) {
                throw new IOException("truncated: the search tree needs " + (treeBytes + 16) + " bytes, the file has "
                        + Files.size(file));
            }
            @SuppressWarnings("rawtypes")
            Networks<Map> networks = reader.networks(false, Map.class);
            for (int i = 0; i < CHECKED_RECORDS && networks.hasNext(); i++) {
                networks.next();
            }
            return new Db(file, reader, m.databaseType());
        } catch (IOException | RuntimeException | com.maxmind.db.InvalidNetworkException e) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // closing what failed
            }
            throw LocalFiles.error(file, "GeoIP database", "corrupt or truncated MaxMind DB (mmdb) file", e);
        }
    }

    private static boolean hasAsnFields(Db db) {
        if (db.type().toLowerCase(Locale.ROOT).contains("asn")) {
            return true; // GeoLite2-ASN, GeoIP2-ASN
        }
        try { // others (GeoIP2-ISP, IPinfo lite): whether their records carry an AS
            @SuppressWarnings("rawtypes")
            Networks<Map> networks = db.reader().networks(false, Map.class);
            for (int i = 0; i < CHECKED_RECORDS && networks.hasNext(); i++) {
                Map<?, ?> data = networks.next().data();
                if (data != null && (data.containsKey("autonomous_system_number") || data.containsKey("asn"))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException | com.maxmind.db.InvalidNetworkException e) {
            return false; // checked when opened
        }
        return false;
    }

    /** Whether a database has AS numbers (GeoLite2-ASN, IPinfo lite or ASN). */
    public boolean hasAsn() {
        return hasAsn;
    }

    /** Whether there is no database. */
    public boolean isEmpty() {
        return dbs.isEmpty();
    }

    /**
     * Where {@code address} is: the fields of every database that holds it, merged; empty when none does or
     * none has a place for it.
     *
     * @throws IOException when a database cannot be read
     */
    public Optional<GeoLocation> location(InetAddress address) throws IOException {
        String code = null;
        String country = null;
        String city = null;
        Double lat = null;
        Double lon = null;
        Integer radius = null;
        Set<String> from = new LinkedHashSet<>();
        for (Db db : dbs) {
            Map<?, ?> d = data(db, address);
            if (d == null) {
                continue;
            }
            String c0 = first(str(d, "country", "iso_code"), str(d, "registered_country", "iso_code"),
                    str(d, "country_code"), isoCode(str(d, "country")));
            String n0 = first(str(d, "country", "names", "en"), str(d, "registered_country", "names", "en"),
                    isoCode(str(d, "country")) == null ? str(d, "country") : null, str(d, "country_name"));
            String city0 = first(str(d, "city", "names", "en"), str(d, "city"));
            Double lat0 = num(d, "location", "latitude") != null ? num(d, "location", "latitude") : num(d, "latitude");
            Double lon0 = num(d, "location", "longitude") != null ? num(d, "location", "longitude")
                    : num(d, "longitude");
            Double r0 = num(d, "location", "accuracy_radius");
            boolean used = false;
            if (code == null && c0 != null) {
                code = c0;
                used = true;
            }
            if (country == null && n0 != null) {
                country = n0;
                used = true;
            }
            if (city == null && city0 != null) {
                city = city0;
                used = true;
            }
            if (lat == null && lon == null && lat0 != null && lon0 != null && Math.abs(lat0) <= 90
                    && Math.abs(lon0) <= 180) {
                lat = lat0;
                lon = lon0;
                radius = r0 == null ? null : (int) Math.round(r0);
                used = true;
            }
            if (used) {
                from.add(db.type());
            }
        }
        if (from.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GeoLocation(Optional.ofNullable(code), Optional.ofNullable(country),
                Optional.ofNullable(city), lat == null ? OptionalDouble.empty() : OptionalDouble.of(lat),
                lon == null ? OptionalDouble.empty() : OptionalDouble.of(lon),
                radius == null ? OptionalInt.empty() : OptionalInt.of(radius), String.join("+", from)));
    }

    /**
     * The AS of {@code address} from the first database that has one, with the database's network as its
     * prefix; empty when none has.
     *
     * @throws IOException when a database cannot be read
     */
    public Optional<AsnInfo> asn(InetAddress address) throws IOException {
        for (Db db : dbs) {
            DatabaseRecord<?> r = record(db, address);
            if (r == null || !(r.data() instanceof Map<?, ?> d)) {
                continue;
            }
            Long number = null;
            Object n = d.get("autonomous_system_number");
            if (n instanceof Number x) {
                number = x.longValue();
            } else if (d.get("asn") instanceof Number x) {
                number = x.longValue();
            } else if (d.get("asn") instanceof String s && s.toUpperCase(Locale.ROOT).matches("(AS)?[0-9]{1,10}")) {
                number = Long.parseLong(s.toUpperCase(Locale.ROOT).replace("AS", ""));
            }
            if (number == null || number < 1 || number > 0xffff_ffffL) {
                continue;
            }
            String name = first(str(d, "autonomous_system_organization"), str(d, "as_name"), str(d, "name"));
            String prefix = r.network().networkAddress().getHostAddress() + "/" + r.network().prefixLength();
            return Optional.of(new AsnInfo(number, Optional.of(prefix), Optional.ofNullable(name), Optional.empty(),
                    Optional.empty()));
        }
        return Optional.empty();
    }

    private static @Nullable Map<?, ?> data(Db db, InetAddress address) throws IOException {
        DatabaseRecord<?> r = record(db, address);
        return r != null && r.data() instanceof Map<?, ?> m ? m : null;
    }

    @SuppressWarnings("rawtypes")
    private static @Nullable DatabaseRecord<?> record(Db db, InetAddress address) throws IOException {
        if (address instanceof Inet6Address && db.reader().getMetadata().ipVersion() == 4) {
            return null; // an IPv4-only database has no IPv6 address
        }
        DatabaseRecord<Map> r = db.reader().getRecord(address, Map.class);
        return r == null || r.data() == null ? null : r;
    }

    private static @Nullable String str(Map<?, ?> m, String... path) {
        Object o = at(m, path);
        return o instanceof String s && !s.isBlank() ? s : null;
    }

    private static @Nullable Double num(Map<?, ?> m, String... path) {
        Object o = at(m, path);
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s.strip()); // IPinfo writes coordinates as strings
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static @Nullable Object at(Map<?, ?> m, String... path) {
        Object o = m;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> x)) {
                return null;
            }
            o = x.get(p);
        }
        return o;
    }

    /** {@code s} when it is an ISO 3166 alpha-2 code ("DE"), else null. */
    private static @Nullable String isoCode(@Nullable String s) {
        return s != null && s.matches("[A-Z]{2}") ? s : null;
    }

    @SafeVarargs
    private static <T> @Nullable T first(@Nullable T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closeAll(dbs);
    }

    private static void closeAll(List<Db> dbs) {
        for (Db db : dbs) {
            try {
                db.reader().close();
            } catch (IOException e) {
                // nothing to do: the mapping goes with the reader
            }
        }
    }

    @Override
    public String toString() {
        return "GeoDatabases" + dbs.stream().map(d -> d.type() + " " + d.file()).toList();
    }
}
