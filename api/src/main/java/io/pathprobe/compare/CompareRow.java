package io.pathprobe.compare;

import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One TTL of a comparison: each protocol's hop at this TTL.
 *
 * @param ttl the TTL
 * @param hops each protocol's hop at this TTL; a protocol whose trace has no hop here (it ended before, or
 *     never started) is absent
 */
public record CompareRow(int ttl, Map<ProbeProtocol, Hop> hops) {

    /**
     * Copies {@code hops} (keeping the protocols' order).
     *
     * @param ttl the TTL
     * @param hops each protocol's hop at this TTL
     * @throws IllegalArgumentException if a hop's TTL is not {@code ttl}
     */
    public CompareRow {
        EnumMap<ProbeProtocol, Hop> copy = new EnumMap<>(ProbeProtocol.class);
        for (Map.Entry<ProbeProtocol, Hop> e : hops.entrySet()) {
            if (e.getValue().ttl() != ttl) {
                throw new IllegalArgumentException(e.getKey() + "'s hop has TTL " + e.getValue().ttl() + ", not "
                        + ttl);
            }
            copy.put(e.getKey(), e.getValue());
        }
        hops = Collections.unmodifiableMap(copy);
    }

    /**
     * {@return a protocol's hop at this TTL, if its trace has one}
     *
     * @param protocol the protocol
     */
    public Optional<Hop> hop(ProbeProtocol protocol) {
        return Optional.ofNullable(hops.get(protocol));
    }

    /**
     * {@return the addresses that answered a protocol's probes at this TTL, most answers first; empty when the hop
     * was silent or not probed}
     *
     * @param protocol the protocol
     */
    public List<InetAddress> responders(ProbeProtocol protocol) {
        Hop h = hops.get(protocol);
        return h == null ? List.of() : h.responders().stream().map(Responder::address).toList();
    }

    /** {@return "ttl 3  ICMP 198.18.0.10  UDP *  TCP 198.18.200.2 +1": each protocol's cell of the comparison} */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ttl ").append(ttl);
        hops.forEach((p, h) -> b.append("  ").append(p).append(' ').append(cell(h)));
        return b.toString();
    }

    /**
     * A hop as a cell of the comparison's table: the address that answered most, {@code +n} for more, {@code !}
     * where the destination answered, {@code *} for a silent hop ({@code * (rate-limited)} when its trace called its
     * misses a limiter's refusals, none lost: the router's ICMP budget was spent, by this comparison's other
     * protocols as well), {@code masked} for a hidden one that answered.
     */
    static String cell(Hop h) {
        if (h.silent() || h.masked()) {
            return !h.silent() ? io.pathprobe.probe.MaskStatement.MASKED
                    : h.statistics().rateLimited() > 0 && h.statistics().lost() == 0 ? "* (rate-limited)" : "*";
        }
        String a = AddressText.of(h.responders().get(0).address());
        int more = h.responders().size() - 1;
        return a + (more > 0 ? " +" + more : "") + (h.isDestination() ? " !" : "");
    }
}
