package io.pathprobe.lab.topology;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import java.time.Duration;

/**
 * A destination that does not answer as a plain host on the destination's loopback does, applied to
 * a built lab ({@link LabBuilder#dnatDestination}, {@link LabBuilder#destinationAnswersFromOwnAddress},
 * {@link LabBuilder#anycastSite}): the cases where a tool that recognises the destination by the
 * source address of an answer stops too early or too late. IPv4 only.
 *
 * @param kind what is changed
 * @param ttl the router concerned (for {@link Kind#ANSWERS_FROM_OWN_ADDRESS}, the last router)
 * @param branch 0 for a chain router, else the middle router (1..width) of the ECMP diamond at {@code ttl}
 */
public record DestinationShape(Kind kind, int ttl, int branch) {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public enum Kind {
        /**
         * The router at {@code ttl} holds the destination address (on its loopback) and DNATs
         * everything sent to it (conntrack, nftables {@code dnat to}) to the destination host's own
         * address on its link ({@link Lab#destinationHostAddress()}), further on: as a home or
         * office router forwards a port to a server behind it. Linux un-NATs what comes back,
         * answers and the ICMP errors of the routers behind the NAT alike: they all come from the
         * destination address, the routers' Time Exceeded included.
         */
        DNAT,
        /**
         * The last router rewrites, without conntrack, the source of everything the destination
         * sends from the destination address into the destination host's own address on its link
         * (nftables {@code ip saddr set}, forward hook; the TCP/UDP checksums follow): the
         * destination answers from another address than the one traced, as a host answering from
         * its interface address, or a NAT that translates replies only, does; quotes are left as
         * they are.
         */
        ANSWERS_FROM_OWN_ADDRESS,
        /**
         * The router at {@code ttl} (or middle router {@code branch} of the diamond there) holds the
         * destination address too (on its loopback): an anycast site nearer than the destination;
         * what reaches it is answered there, what does not goes on to the destination.
         */
        ANYCAST
    }

    /** Applies this shape to a built lab. */
    public void apply(Lab lab) {
        String target = Addressing.text(Addressing.DESTINATION);
        String ns = branch == 0 ? lab.namespace(ttl) : lab.namespace(ttl, branch);
        String own = lab.destinationHostAddress().getHostAddress();
        switch (kind) {
            case DNAT -> {
                sh(ns, "ip addr add " + target + "/32 dev lo");
                nft(ns, """
                        table ip pathprobe_dnat {
                            chain prerouting {
                                type nat hook prerouting priority dstnat; policy accept;
                                iifname "%s" ip daddr %s dnat to %s
                            }
                        }
                        """.formatted(ChainTopology.UPLINK, target, own));
            }
            case ANSWERS_FROM_OWN_ADDRESS -> nft(ns, """
                    table ip pathprobe_reply_source {
                        chain forward {
                            type filter hook forward priority filter; policy accept;
                            iifname "%s" ip saddr %s ip saddr set %s
                        }
                    }
                    """.formatted(ChainTopology.DOWNLINK, target, own));
            case ANYCAST -> sh(ns, "ip addr add " + target + "/32 dev lo");
        }
    }

    private static void sh(String ns, String command) {
        Exec.check("setting up a destination shape in " + ns, Namespaces.in(ns, "sh", "-c", command),
                command, null, null, TIMEOUT);
    }

    private static void nft(String ns, String rules) {
        Exec.check("setting up a destination shape in " + ns, Namespaces.in(ns, "nft", "-f", "-"),
                "nft -f -", rules, null, TIMEOUT);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DNAT -> "DNAT of the destination at " + ttl;
            case ANSWERS_FROM_OWN_ADDRESS -> "the destination answers from its own address";
            case ANYCAST -> "anycast site at " + ttl + (branch == 0 ? "" : " branch " + branch);
        };
    }
}
