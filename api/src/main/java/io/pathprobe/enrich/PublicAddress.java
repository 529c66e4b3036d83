package io.pathprobe.enrich;

import io.pathprobe.probe.AddressText;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
/**
 * This host's address as a STUN server saw it (RFC 8489 Binding, XOR-MAPPED-ADDRESS).
 *
 * @param address the mapped address (the outermost NAT's, if any)
 * @param port the mapped port
 * @param server the STUN server asked
 * @param localAddress the local address the request left from
 * @param behindNat whether the mapped address is not one of this host's own addresses
 * @param masked whether this host's addresses are hidden ({@link io.pathprobe.evidence.Masking}: privacy
 *     masking): then {@code address} and {@code localAddress} are the unspecified address and {@code port} 0, and
 *     outputs print {@code masked} (text) or null (documents) for them
 */
public record PublicAddress(InetAddress address, int port, InetSocketAddress server, InetAddress localAddress,
        boolean behindNat, boolean masked) {
    /**
     * Checks the components (see the record's description).
     *
     * @param address the mapped address (the outermost NAT's, if any)
     * @param port the mapped port
     * @param server the STUN server asked
     * @param localAddress the local address the request left from
     * @param behindNat whether the mapped address is not one of this host's own addresses
     * @param masked whether this host's addresses are hidden (then unspecified, port 0)
     * @throws NullPointerException if {@code address}, {@code server} or {@code localAddress} is null
     * @throws IllegalArgumentException if {@code port} is not 0 to 65535
     */
    public PublicAddress {
        Checks.nonNull("address", address, "server", server, "localAddress", localAddress);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (masked && (!address.isAnyLocalAddress() || !localAddress.isAnyLocalAddress() || port != 0)) {
            throw new IllegalArgumentException("a masked public address holds no address nor port");
        }
    }

    /**
     * A public address as STUN found it (not masked).
     *
     * @param address the mapped address (the outermost NAT's, if any)
     * @param port the mapped port
     * @param server the STUN server asked
     * @param localAddress the local address the request left from
     * @param behindNat whether the mapped address is not one of this host's own addresses
     */
    public PublicAddress(InetAddress address, int port, InetSocketAddress server, InetAddress localAddress,
            boolean behindNat) {
        this(address, port, server, localAddress, behindNat, false);
    }

    /** {@return this public address with this host's addresses and port hidden (the server and NAT kept)} */
    public PublicAddress asMasked() {
        return new PublicAddress(unspecified(address), 0, server, unspecified(localAddress), behindNat, true);
    }

    /** {@return the mapped address as outputs print it: {@code masked} when {@link #masked()}} */
    public String addressText() {
        return masked ? io.pathprobe.probe.MaskStatement.MASKED : AddressText.of(address);
    }

    /** {@return the local address as outputs print it: {@code masked} when {@link #masked()}} */
    public String localAddressText() {
        return masked ? io.pathprobe.probe.MaskStatement.MASKED : AddressText.of(localAddress);
    }

    private static InetAddress unspecified(InetAddress a) {
        try {
            return InetAddress.getByAddress(new byte[a.getAddress().length]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // a 4- or 16-byte address is never refused
        }
    }

    /**
     * {@code "198.51.100.7:40000 (behind NAT: this host is 192.168.1.2; STUN server 198.18.3.1:3478)"};
     * IPv6 addresses with a port in brackets: {@code "[2001:db8::7]:40000 (not behind NAT; STUN server
     * [2001:db8::53]:3478)"}.
     */
    @Override
    public String toString() {
        return (masked ? addressText() : AddressText.host(address) + ":" + port) + " (" + (behindNat
                ? "behind NAT: this host is " + localAddressText() : "not behind NAT") + "; STUN server "
                + AddressText.of(server) + ")";
    }
}
