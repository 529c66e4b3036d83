package io.pathprobe.lab.topology;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.NatKind;
import java.net.InetAddress;

/**
 * The NAT router of a lab ({@link Lab#nat()}): where it is and how its two sides are addressed, so a
 * NAT element can be attached to it.
 *
 * @param hop the router's TTL
 * @param kind what it does
 * @param namespace its network namespace
 * @param insideInterface its interface toward the host ({@value ChainTopology#UPLINK})
 * @param insideAddress the address on it: what a trace shows at {@code hop}
 * @param insidePrefix the private network of the links between the host and this router:
 *     192.168.0.0/16 (a home LAN) when {@code hop == 1}, 100.64.0.0/10 (a carrier-grade NAT's
 *     inside) beyond
 * @param outsideInterface its interface toward the destination ({@value ChainTopology#DOWNLINK})
 * @param outsideAddress the address on it: the source of every translated packet
 */
public record NatRouter(int hop, NatKind kind, String namespace, String insideInterface, InetAddress insideAddress,
        String insidePrefix, String outsideInterface, InetAddress outsideAddress) {}
