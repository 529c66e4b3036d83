package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.core.internal.enrich.AddressRanges;
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
 * each hidden address a stand-in of its own, the same one wherever it shows, so the replay is the recorded run with
 * those addresses renamed; host names and AS numbers found for them replaced by stand-ins of the same status. A
 * destination is never hidden.
 *
 * <p>What the masked document shows of a hidden hop, the replay must compute again from the stand-ins: its segment
 * (LAN for a private address, ISP for a CGNAT one or one in this host's AS, ...). So a stand-in is of the hidden
 * address's kind: a private, link-local, unique-local or loopback address's from the link-local 169.254.0.0/16 (IPv6:
 * fe80::ffff:0:0/96), a CGNAT one's from 100.127.0.0/16, any other's from 0.0.0.0/8 (IPv6: the discard prefix
 * 100::/64, never a real responder); a hidden address's AS number is a documentation AS (64496 on, one for each AS
 * number hidden), and where it is the AS the recording shows for another address (a hop shown, this host's public
 * address: the document's {@code localAsn}), an {@code asAlias} line says so without saying which number it is;
 * this host's own AS is written as found (the masked document shows it).
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
    /** This host's addresses (hidden with the source). */
    private final Set<InetAddress> own = ConcurrentHashMap.newKeySet();
    /** Each hidden AS number's stand-in (this and the next two: under {@link #result}'s lock). */
    private final Map<Long, Long> asStandIns = new java.util.HashMap<>();
    /** Each AS number written as found, and the (written) address it was found for first. */
    private final Map<Long, String> shownAs = new java.util.HashMap<>();
    /** The stand-in AS numbers an asAlias line was written for. */
    private final Set<Long> aliased = new java.util.HashSet<>();

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
        if (masking.source() && !destinations.contains(a)) {
            own.add(a);
            return standIn(a);
        }
        return write(a, -1);
    }

    /** A stand-in of {@code a}'s kind (see the class). */
    private InetAddress standIn(InetAddress a) {
        return standIns.computeIfAbsent(a, x -> {
            int n = next.getAndIncrement();
            boolean local = AddressRanges.isLocalNetwork(x);
            byte[] b;
            if (x instanceof Inet4Address) {
                b = local ? new byte[] {(byte) 169, (byte) 254, (byte) (n >>> 8), (byte) n}
                        : AddressRanges.isCgnat(x) ? new byte[] {100, 127, (byte) (n >>> 8), (byte) n}
                        : new byte[] {0, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
            } else {
                b = new byte[] {local ? (byte) 0xfe : 1, local ? (byte) 0x80 : 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    local ? (byte) 0xff : 0, local ? (byte) 0xff : 0, (byte) (n >>> 24), (byte) (n >>> 16),
                    (byte) (n >>> 8), (byte) n};
            }
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

    /**
     * A lookup's result as written: a hidden address's name and AS replaced (this host's AS kept), this host's
     * addresses stand-ins; {@code aliases} gets the asAlias lines it makes due (see the class).
     */
    synchronized ObjectNode result(String what, String subject, String written, ObjectNode result,
            java.util.function.Consumer<ObjectNode> aliases) {
        if (!active()) {
            return result;
        }
        JsonNode v = result.get("value");
        if (v == null) {
            return result;
        }
        if (what.equals("a") && v.has("number")) {
            long number = v.path("number").asLong();
            InetAddress a = Codec.address(subject);
            if (!hidden(a) || own.contains(a)) {
                shownAs.putIfAbsent(number, written);
                Long standIn = asStandIns.get(number);
                if (standIn != null) {
                    alias(standIn, written, aliases);
                }
                return result;
            }
            long standIn = asStandIns.computeIfAbsent(number, k -> STAND_IN_AS + asStandIns.size());
            ObjectNode x = Codec.NODES.objectNode();
            x.put("number", standIn);
            result.set("value", x);
            String shown = shownAs.get(number);
            if (shown != null) {
                alias(standIn, shown, aliases);
            }
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
            }
        }
        return result;
    }

    /** Says (once) that the hidden AS written as {@code standIn} is the one found for {@code shown}. */
    private void alias(long standIn, String shown, java.util.function.Consumer<ObjectNode> aliases) {
        if (aliased.add(standIn)) {
            ObjectNode n = Codec.NODES.objectNode();
            n.put("type", "asAlias");
            n.put("standIn", standIn);
            n.put("subject", shown);
            aliases.accept(n);
        }
    }

    /** The header's statement of what is hidden. */
    ObjectNode statement() {
        ObjectNode n = Codec.NODES.objectNode();
        n.put("hops", masking.hops());
        n.put("source", masking.source());
        return n;
    }
}
