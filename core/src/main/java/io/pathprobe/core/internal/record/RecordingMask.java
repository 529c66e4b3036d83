package io.pathprobe.core.internal.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.evidence.Masking;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a masked recording writes in place of what it hides ({@link io.pathprobe.evidence.RecordingOptions#masking()}):
 * each hidden address a stand-in of its own, the same one wherever it shows (IPv4 from 0.0.0.0/8, IPv6 from the
 * discard prefix 100::/64: never a real responder), so the replay is the recorded run with those addresses renamed;
 * host names and AS numbers found for them replaced by stand-ins of the same status. A destination is never hidden.
 */
final class RecordingMask {
    /** The AS written for a hidden address whose AS was found (the first documentation AS, RFC 5398). */
    static final long STAND_IN_AS = 64496;
    /** The host name written for a hidden address whose name was found. */
    static final String STAND_IN_NAME = "masked.invalid";

    final Masking masking;
    private final Map<InetAddress, InetAddress> standIns = new ConcurrentHashMap<>();
    private final Set<InetAddress> destinations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger(1);

    RecordingMask(Masking masking) {
        this.masking = masking;
    }

    boolean active() {
        return masking.active();
    }

    /** A destination probed: never hidden (the user chose it). */
    void destination(InetAddress d) {
        destinations.add(d);
    }

    /** {@return whether {@code a} is written as a stand-in} */
    boolean hidden(InetAddress a) {
        return standIns.containsKey(a) || (masking.hides(a) && !destinations.contains(a));
    }

    /** {@code a} as written: its stand-in if it answered at a hidden TTL ({@code ttl}, -1 unknown) or is hidden. */
    InetAddress write(InetAddress a, int ttl) {
        if (destinations.contains(a) || !active()) {
            return a;
        }
        if (hidden(a) || (ttl > 0 && masking.hides(ttl))) {
            return standIn(a);
        }
        return a;
    }

    /** This host's address: its stand-in when the source is hidden. */
    InetAddress own(InetAddress a) {
        return masking.source() && !destinations.contains(a) ? standIn(a) : write(a, -1);
    }

    private InetAddress standIn(InetAddress a) {
        return standIns.computeIfAbsent(a, x -> {
            int n = next.getAndIncrement();
            byte[] b = x instanceof Inet4Address ? new byte[] {0, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}
                    : new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (n >>> 24), (byte) (n >>> 16),
                        (byte) (n >>> 8), (byte) n};
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // a literal of 4 or 16 bytes
            }
        });
    }

    /** Masks an answer as written: its responder (at {@code ttl}) and the addresses in its quoted headers. */
    void answer(ObjectNode r, InetAddress from, int ttl) {
        if (!active()) {
            return;
        }
        r.put("from", Codec.text(write(from, ttl)));
        for (String h : new String[] {"sentHeader", "quotedHeader"}) {
            JsonNode header = r.get(h);
            if (header instanceof ObjectNode o) {
                if (o.has("src")) {
                    o.put("src", Codec.text(own(Codec.address(o, "src"))));
                }
                if (o.has("dst")) {
                    o.put("dst", Codec.text(write(Codec.address(o, "dst"), -1)));
                }
            }
        }
    }

    /** A lookup's subject as written. */
    String subject(String what, String subject) {
        if (!active() || what.equals("p")) {
            return subject;
        }
        return Codec.text(write(Codec.address(subject), -1));
    }

    /** A lookup's result as written: a hidden address's name and AS replaced, this host's addresses stand-ins. */
    ObjectNode result(String what, String subject, ObjectNode result) {
        if (!active()) {
            return result;
        }
        JsonNode v = result.get("value");
        if (v == null) {
            return result;
        }
        if (what.equals("p") && v instanceof ObjectNode p && masking.source()) {
            p.put("address", Codec.text(own(Codec.address(p, "address"))));
            p.put("local", Codec.text(own(Codec.address(p, "local"))));
        } else if (!what.equals("p") && hidden(Codec.address(subject))) {
            if (what.equals("h")) {
                result.put("value", STAND_IN_NAME);
            } else if (what.equals("g")) {
                ObjectNode g = Codec.NODES.objectNode();
                g.put("database", "masked");
                result.set("value", g);
            } else if (what.equals("x")) {
                ObjectNode x = Codec.NODES.objectNode();
                x.put("name", "masked");
                x.put("ixId", 0);
                x.put("prefix", "masked");
                result.set("value", x);
            } else {
                ObjectNode a = Codec.NODES.objectNode();
                a.put("number", STAND_IN_AS);
                result.set("value", a);
            }
        }
        return result;
    }

    /** The header's statement of what is hidden. */
    ObjectNode statement() {
        ObjectNode n = Codec.NODES.objectNode();
        n.put("hops", masking.hops());
        n.put("source", masking.source());
        return n;
    }
}
