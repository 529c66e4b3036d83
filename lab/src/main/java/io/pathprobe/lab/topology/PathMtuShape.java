package io.pathprobe.lab.topology;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import java.time.Duration;
import java.util.List;

/**
 * A link with a smaller MTU or an MTU black hole in a built chain lab ({@link LabBuilder#linkMtu},
 * {@link LabBuilder#mtuBlackHole}): what path MTU discovery is proved against, IPv4 and IPv6 alike.
 *
 * @param kind what is changed
 * @param ttl the router concerned (1..hops-1)
 * @param bytes the link's MTU, or the largest packet the black hole forwards
 */
public record PathMtuShape(Kind kind, int ttl, int bytes) {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public enum Kind {
        /**
         * The link from the router at {@code ttl} toward the destination (its {@value ChainTopology#DOWNLINK}
         * and the next node's {@value ChainTopology#UPLINK}) gets MTU {@code bytes}: the router answers a
         * larger packet that must not be fragmented with Fragmentation Needed (ICMPv6 Packet Too Big), its
         * next-hop MTU field {@code bytes}.
         */
        LINK_MTU,
        /**
         * The router at {@code ttl} silently drops what it would forward away from the host that is larger
         * than {@code bytes} (IP header included) and must not be fragmented: IPv4 with DF, every IPv6
         * packet (nftables, forward hook, after the kernel's TTL and MTU checks: probes expiring there are
         * still answered, and no ICMP says anything about the others).
         */
        BLACK_HOLE
    }

    /** Applies this shape to a built lab. */
    public void apply(Lab lab) {
        switch (kind) {
            case LINK_MTU -> {
                run(lab.namespace(ttl), List.of("ip", "link", "set", "dev", ChainTopology.DOWNLINK, "mtu",
                        String.valueOf(bytes)), null);
                run(lab.namespace(ttl + 1), List.of("ip", "link", "set", "dev", ChainTopology.UPLINK, "mtu",
                        String.valueOf(bytes)), null);
            }
            case BLACK_HOLE -> run(lab.namespace(ttl), List.of("nft", "-f", "-"), """
                    table inet pathprobe_mtu_black_hole {
                        chain forward {
                            type filter hook forward priority filter; policy accept;
                            iifname "%1$s" meta nfproto ipv4 ip frag-off & 0x4000 != 0 meta length > %2$d counter drop
                            iifname "%1$s" meta nfproto ipv6 meta length > %2$d counter drop
                        }
                    }
                    """.formatted(ChainTopology.UPLINK, bytes));
        }
    }

    private static void run(String ns, List<String> command, @org.jspecify.annotations.Nullable String stdin) {
        Exec.check("setting up a path MTU shape in " + ns, Namespaces.in(ns, command), String.join(" ", command), stdin,
                null, TIMEOUT);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LINK_MTU -> "MTU " + bytes + " after router " + ttl;
            case BLACK_HOLE -> "MTU black hole over " + bytes + " bytes at router " + ttl;
        };
    }
}
