package io.pathprobe.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB (mmdb) files for tests, by the public format specification
 * (https://maxmind.github.io/MaxMind-DB/): a binary search tree (24-bit records, IPv6 tree, IPv4 under
 * {@code ::/96}), 16 zero bytes, a data section of encoded values (maps, UTF-8 strings, uint16, uint32,
 * uint64, doubles, arrays; no pointers), and the metadata after the {@code "\xAB\xCD\xEFMaxMind.com"} marker.
 * Values: {@link Map} (string keys), {@link String}, {@link Double}, {@link Integer} (uint16 when it fits, else
 * uint32), {@link Long} (uint32), {@link List}. Test tooling, not a general writer: a network given after a
 * shorter one that holds it splits it; networks are inserted shortest first.
 */
public final class MmdbWriter {
    private final String databaseType;
    private final Map<String, Map<String, Object>> networks = new LinkedHashMap<>();

    /**
     * A database of this type (its metadata's {@code database_type}, e.g. "GeoLite2-City").
     *
     * @param databaseType what the database says it is
     */
    public MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    /**
     * Maps a network to a record.
     *
     * @param cidr e.g. "198.18.0.0/24" or "2001:db8::/48" (literals)
     * @param data the record
     * @return this writer
     */
    public MmdbWriter put(String cidr, Map<String, Object> data) {
        networks.put(cidr, data);
        return this;
    }

    /**
     * {@return a MaxMind City-like record: country (iso_code, names.en), city (names.en), location
     * (latitude, longitude, accuracy_radius)}
     */
    public static Map<String, Object> city(String isoCode, String country, String city, double latitude,
            double longitude, int radiusKm) {
        return Map.of("country", Map.of("iso_code", isoCode, "names", Map.of("en", country)),
                "city", Map.of("names", Map.of("en", city, "de", city)),
                "location", Map.of("latitude", latitude, "longitude", longitude, "accuracy_radius", radiusKm),
                "continent", Map.of("code", "EU"), "subdivisions", List.of(Map.of("iso_code", "HE")));
    }

    /** {@return a MaxMind ASN-like record: autonomous_system_number, autonomous_system_organization} */
    public static Map<String, Object> asn(long number, String organization) {
        return Map.of("autonomous_system_number", number, "autonomous_system_organization", organization);
    }

    /** {@return an IPinfo lite-like record: asn "AS…", as_name, as_domain, country_code, country, continent} */
    public static Map<String, Object> ipinfoLite(long asn, String asName, String countryCode, String country) {
        return Map.of("asn", "AS" + asn, "as_name", asName, "as_domain", "lab.example", "country_code", countryCode,
                "country", country, "continent", "Europe", "continent_code", "EU");
    }

    /** {@return an IPinfo location-like record: city, region, country (code), latitude, longitude as strings} */
    public static Map<String, Object> ipinfoLocation(String city, String countryCode, double latitude,
            double longitude) {
        return Map.of("city", city, "region", "Lab", "country", countryCode, "latitude", Double.toString(latitude),
                "longitude", Double.toString(longitude), "timezone", "Europe/Berlin");
    }

    /** The database's bytes. */
    public byte[] bytes() {
        Node root = new Node();
        List<Map.Entry<String, Map<String, Object>>> sorted = new ArrayList<>(networks.entrySet());
        sorted.sort(Comparator.comparingInt(e -> length(e.getKey())));
        for (Map.Entry<String, Map<String, Object>> e : sorted) {
            insert(root, e.getKey(), e.getValue());
        }
        List<Node> order = new ArrayList<>();
        number(root, order);
        int nodeCount = order.size();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<Object, Integer> offsets = new IdentityHashMap<>();
        ByteArrayOutputStream tree = new ByteArrayOutputStream();
        for (Node n : order) {
            for (Object child : n.children) {
                long record;
                if (child == null) {
                    record = nodeCount;
                } else if (child instanceof Node c) {
                    record = c.id;
                } else {
                    Integer off = offsets.get(child);
                    if (off == null) {
                        off = data.size();
                        offsets.put(child, off);
                        encode(data, child);
                    }
                    record = nodeCount + 16L + off;
                }
                tree.write((int) (record >>> 16) & 0xff);
                tree.write((int) (record >>> 8) & 0xff);
                tree.write((int) record & 0xff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(tree.toByteArray());
        out.writeBytes(new byte[16]);
        out.writeBytes(data.toByteArray());
        out.writeBytes(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.writeBytes("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("node_count", (long) nodeCount);
        meta.put("record_size", 24);
        meta.put("ip_version", 6);
        meta.put("database_type", databaseType);
        meta.put("languages", List.of("en"));
        meta.put("binary_format_major_version", 2);
        meta.put("binary_format_minor_version", 0);
        meta.put("build_epoch", new Uint64(1_700_000_000L));
        meta.put("description", Map.of("en", "pathprobe test database"));
        encode(out, meta);
        return out.toByteArray();
    }

    /**
     * Writes the database to {@code file}.
     *
     * @param file where
     * @return {@code file}
     * @throws IOException if it cannot be written
     */
    public Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    private record Uint64(long value) {}

    private static final class Node {
        final Object[] children = new Object[2];
        int id = -1;
    }

    private static int length(String cidr) {
        int slash = cidr.indexOf('/');
        int len = Integer.parseInt(cidr.substring(slash + 1));
        return cidr.contains(":") ? len : len + 96;
    }

    private static void insert(Node root, String cidr, Map<String, Object> data) {
        int slash = cidr.indexOf('/');
        byte[] addr;
        try {
            InetAddress a = InetAddress.getByName(cidr.substring(0, slash));
            addr = a.getAddress();
            if (a instanceof Inet4Address) {
                byte[] v6 = new byte[16];
                System.arraycopy(addr, 0, v6, 12, 4);
                addr = v6;
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a literal network: " + cidr, e);
        }
        int len = length(cidr);
        Node n = root;
        for (int i = 0; i < len - 1; i++) {
            int bit = (addr[i >> 3] >> (7 - (i & 7))) & 1;
            Object c = n.children[bit];
            if (!(c instanceof Node)) {
                Node split = new Node();
                split.children[0] = c; // a shorter network's data (or nothing) on both sides
                split.children[1] = c;
                n.children[bit] = split;
                c = split;
            }
            n = (Node) c;
        }
        int last = (addr[(len - 1) >> 3] >> (7 - ((len - 1) & 7))) & 1;
        n.children[last] = data;
    }

    private static void number(Node root, List<Node> order) {
        List<Node> queue = new ArrayList<>();
        queue.add(root);
        for (int i = 0; i < queue.size(); i++) {
            Node n = queue.get(i);
            n.id = i;
            order.add(n);
            for (Object c : n.children) {
                if (c instanceof Node x) {
                    queue.add(x);
                }
            }
        }
    }

    private static void encode(ByteArrayOutputStream out, Object v) {
        if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            control(out, 2, b.length);
            out.writeBytes(b);
        } else if (v instanceof Double d) {
            control(out, 3, 8);
            long bits = Double.doubleToLongBits(d);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (bits >>> (8 * i)) & 0xff);
            }
        } else if (v instanceof Integer i && i >= 0 && i <= 0xffff) {
            unsigned(out, 5, i);
        } else if (v instanceof Integer i) {
            unsigned(out, 6, i & 0xffff_ffffL);
        } else if (v instanceof Long l) {
            unsigned(out, 6, l);
        } else if (v instanceof Uint64 u) {
            unsigned(out, 9, u.value());
        } else if (v instanceof Map<?, ?> m) {
            control(out, 7, m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                encode(out, (String) e.getKey());
                encode(out, e.getValue());
            }
        } else if (v instanceof List<?> l) {
            control(out, 11, l.size());
            for (Object o : l) {
                encode(out, o);
            }
        } else {
            throw new IllegalArgumentException("no mmdb type for " + v);
        }
    }

    private static void unsigned(ByteArrayOutputStream out, int type, long value) {
        int n = 0;
        for (long x = value; x != 0; x >>>= 8) {
            n++;
        }
        control(out, type, n);
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    private static void control(ByteArrayOutputStream out, int type, int size) {
        int first = type <= 7 ? type << 5 : 0;
        byte[] extra;
        if (size < 29) {
            first |= size;
            extra = new byte[0];
        } else if (size < 285) {
            first |= 29;
            extra = new byte[] {(byte) (size - 29)};
        } else if (size < 65_821) {
            first |= 30;
            int s = size - 285;
            extra = new byte[] {(byte) (s >> 8), (byte) s};
        } else {
            first |= 31;
            int s = size - 65_821;
            extra = new byte[] {(byte) (s >> 16), (byte) (s >> 8), (byte) s};
        }
        out.write(first);
        if (type > 7) {
            out.write(type - 7);
        }
        out.writeBytes(extra);
    }
}
