package io.pathprobe.enrich;

import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
/**
 * This host's address as a STUN server saw it (RFC 8489 Binding, XOR-MAPPED-ADDRESS).
 *
 * @param address the mapped address (the outermost NAT's, if any)
 * @param port the mapped port
 * @param server the STUN server asked
 * @param localAddress the local address the request left from
 * @param behindNat whether the mapped address is not one of this host's own addresses
 */
public record PublicAddress(InetAddress address, int port, InetSocketAddress server, InetAddress localAddress,
        boolean behindNat) {
    /**
     * Checks the components (see the record's description).
     *
     * @param address the mapped address (the outermost NAT's, if any)
     * @param port the mapped port
     * @param server the STUN server asked
     * @param localAddress the local address the request left from
     * @param behindNat whether the mapped address is not one of this host's own addresses
     * @throws NullPointerException if {@code address}, {@code server} or {@code localAddress} is null
     * @throws IllegalArgumentException if {@code port} is not 0 to 65535
     */
    public PublicAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(localAddress, "localAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
    }

    /**
     * {@code "198.51.100.7:40000 (behind NAT: this host is 192.168.1.2; STUN server 198.18.3.1:3478)"};
     * IPv6 addresses with a port in brackets: {@code "[2001:db8::7]:40000 (not behind NAT; STUN server
     * [2001:db8::53]:3478)"}.
     */
    @Override
    public String toString() {
        return AddressText.host(address) + ":" + port + " (" + (behindNat ? "behind NAT: this host is "
                + AddressText.of(localAddress) : "not behind NAT") + "; STUN server " + AddressText.of(server) + ")";
    }
}
