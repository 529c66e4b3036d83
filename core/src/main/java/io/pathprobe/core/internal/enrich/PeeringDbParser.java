package io.pathprobe.core.internal.enrich;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads PeeringDB dumps with jackson-databind (optional in core: {@link PeeringDb#open} checks it is there
 * before this class is loaded). A dump is a JSON object with PeeringDB's {@code ix} (id, name, city, country),
 * {@code ixlan} (id, ix_id), {@code ixpfx} (ixlan_id, prefix), {@code netixlan} (ix_id, asn, ipaddr4, ipaddr6,
 * net_id, name) and optionally {@code net} (id, name, asn), each {@code {"data": [...]}}, as CAIDA's PeeringDB
 * archive keeps them; or an API answer {@code {"data": [...]}} of {@code ixpfx} objects alone (the exchanges
 * are then named by their ixlan id). Addresses and prefixes are literals: nothing is resolved.
 */
final class PeeringDbParser {
    private PeeringDbParser() {}

    private record Ix(String name, @Nullable String city, @Nullable String country) {}

    static PeeringDb read(List<Path> dumps) {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        PrefixTrie<PeeringDb.IxPrefix> trie = new PrefixTrie<>();
        Map<InetAddress, PeeringDb.Member> members = new HashMap<>();
        for (Path dump : dumps) {
            LocalFiles.checkReadable(dump, "PeeringDB dump");
            JsonNode root;
            try (InputStream in = Files.newInputStream(dump)) {
                root = mapper.readTree(in);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
                String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
                throw LocalFiles.error(dump, "PeeringDB dump", "not valid JSON, corrupt or truncated ("
                        + e.getOriginalMessage() + where + ")", e);
            } catch (IOException | RuntimeException e) {
                throw LocalFiles.error(dump, "PeeringDB dump", "cannot be read", e);
            }
            try {
                readOne(root, trie, members);
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                throw LocalFiles.error(dump, "PeeringDB dump", message != null ? message : e.toString(), null);
            }
        }
        return new PeeringDb(trie, members);
    }

    private static void readOne(@Nullable JsonNode root, PrefixTrie<PeeringDb.IxPrefix> trie,
            Map<InetAddress, PeeringDb.Member> members) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a PeeringDB dump: not a JSON object");
        }
        if (!root.has("ixpfx")) {
            JsonNode data = root.get("data");
            if (data != null && data.isArray() && (data.isEmpty() || data.get(0).has("prefix"))) {
                for (JsonNode p : data) {
                    long lan = p.path("ixlan_id").asLong(0);
                    putPrefix(trie, p, new Ix("ixlan " + lan, null, null), 0);
                }
                return;
            }
            throw new IllegalArgumentException("not a PeeringDB dump: no \"ixpfx\" (expected the objects "
                    + "\"ix\", \"ixlan\", \"ixpfx\", \"netixlan\", each {\"data\": [...]})");
        }
        Map<Long, Ix> ixes = new HashMap<>();
        for (JsonNode ix : data(root, "ix")) {
            String name = text(ix, "name", null);
            ixes.put(ix.path("id").asLong(), new Ix(name != null ? name : "ix " + ix.path("id").asLong(),
                    text(ix, "city", null), text(ix, "country", null)));
        }
        Map<Long, Long> lanToIx = new HashMap<>();
        for (JsonNode lan : data(root, "ixlan")) {
            lanToIx.put(lan.path("id").asLong(), lan.path("ix_id").asLong());
        }
        for (JsonNode p : data(root, "ixpfx")) {
            long lan = p.path("ixlan_id").asLong(0);
            long ixId = p.has("ix_id") ? p.path("ix_id").asLong() : lanToIx.getOrDefault(lan, 0L);
            Ix ix = ixes.getOrDefault(ixId, new Ix(ixId != 0 ? "ix " + ixId : "ixlan " + lan, null, null));
            putPrefix(trie, p, ix, ixId);
        }
        Map<Long, String> nets = new HashMap<>();
        for (JsonNode n : data(root, "net")) {
            String name = text(n, "name", null);
            if (name != null) {
                nets.put(n.path("id").asLong(), name);
            }
        }
        for (JsonNode m : data(root, "netixlan")) {
            long asn = m.path("asn").asLong(0);
            if (asn < 1 || asn > 0xffff_ffffL) {
                continue;
            }
            String name = text(m, "name", nets.get(m.path("net_id").asLong()));
            for (String field : new String[] {"ipaddr4", "ipaddr6"}) {
                String a = text(m, field, null);
                InetAddress address = a == null ? null : literal(a);
                if (address != null) {
                    members.putIfAbsent(address, new PeeringDb.Member(asn, name));
                }
            }
        }
    }

    private static Iterable<JsonNode> data(JsonNode root, String key) {
        JsonNode o = root.get(key);
        if (o == null || o.isNull()) {
            return List.of();
        }
        JsonNode d = o.isArray() ? o : o.get("data");
        if (d == null || !d.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" is not {\"data\": [...]}");
        }
        return d;
    }

    private static void putPrefix(PrefixTrie<PeeringDb.IxPrefix> trie, JsonNode p, Ix ix, long ixId) {
        String prefix = text(p, "prefix", null);
        if (prefix == null) {
            return;
        }
        int slash = prefix.indexOf('/');
        InetAddress network = literal(slash < 0 ? prefix : prefix.substring(0, slash));
        if (network == null) {
            return; // a malformed entry: skipped, as PeeringDB's own clients do
        }
        int bits = network.getAddress().length * 8;
        int length;
        try {
            length = slash < 0 ? bits : Integer.parseInt(prefix.substring(slash + 1));
        } catch (NumberFormatException e) {
            return;
        }
        if (length < 0 || length > bits) {
            return;
        }
        trie.put(network, length, new PeeringDb.IxPrefix(ix.name(), Math.max(0, ixId), ix.city(), ix.country(),
                prefix));
    }

    private static @Nullable String text(JsonNode n, String field, @Nullable String otherwise) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? otherwise : v.asText().strip();
    }

    /** An address literal (dotted quad, or with a colon: IPv6), never a name to resolve; null if not one. */
    static @Nullable InetAddress literal(String s) {
        String t = s.strip();
        boolean v4 = t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(t); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
