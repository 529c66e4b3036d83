package io.pathprobe.probe;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One RFC 5837 Interface Information object a router appended to its ICMP error: which of its interfaces (or
 * next hop) the probe met, by ifIndex, address, name and MTU, each present only where the router sent it. Where
 * every router answers from one address (IPv4 routed over IPv6 next hops, RFC 7600's 192.0.0.8), this and the
 * {@link NodeId} are what tell the routers apart.
 *
 * @param role which interface the object describes
 * @param ifIndex the interface's ifIndex (RFC 2863)
 * @param address an address of the interface
 * @param name the interface's name (at most 63 bytes of UTF-8)
 * @param mtu the interface's MTU in bytes
 */
public record InterfaceInfo(Role role, OptionalInt ifIndex, Optional<InetAddress> address, Optional<String> name,
        OptionalInt mtu) {

    /** The interface an Interface Information object describes (RFC 5837 section 4.1, the C-Type's bits 0-1). */
    public enum Role {
        /** The interface the probe arrived on. */
        INCOMING,
        /** The sub-IP component (e.g. a member of a bundle) of the interface the probe arrived on. */
        SUB_IP,
        /** The interface the probe would have left by. */
        OUTGOING,
        /** The IP next hop the probe would have been forwarded to. */
        NEXT_HOP;

        /** {@return the role as traceroute 2.1.4's {@code -e} prints it: INC, SUB, OUT or NXT} */
        public String tag() {
            return switch (this) {
                case INCOMING -> "INC";
                case SUB_IP -> "SUB";
                case OUTGOING -> "OUT";
                case NEXT_HOP -> "NXT";
            };
        }
    }

    /**
     * Checks the components (see the record's description).
     *
     * @param role which interface the object describes
     * @param ifIndex the interface's ifIndex (RFC 2863)
     * @param address an address of the interface
     * @param name the interface's name (at most 63 bytes of UTF-8)
     * @param mtu the interface's MTU in bytes
     * @throws NullPointerException if a component is null
     */
    public InterfaceInfo {
        io.pathprobe.util.Checks.nonNull("role", role, "ifIndex", ifIndex, "address", address, "name", name, "mtu",
                mtu);
    }

    /**
     * As traceroute 2.1.4's {@code -e} prints the object, without its angle brackets:
     * {@code INC:31,198.18.0.1,"eth0",mtu=1500}; a name's bytes other than printable ASCII, {@code %} and
     * {@code "} as {@code %XX}.
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(4);
        ifIndex.ifPresent(i -> parts.add(Integer.toUnsignedString(i)));
        parts.addAll(fields(address, name));
        mtu.ifPresent(m -> parts.add("mtu=" + Integer.toUnsignedString(m)));
        return role.tag() + ":" + String.join(",", parts);
    }

    /** The address and name as traceroute 2.1.4 prints them, shared with {@link NodeId}. */
    static List<String> fields(Optional<InetAddress> address, Optional<String> name) {
        List<String> parts = new ArrayList<>(2);
        address.ifPresent(a -> parts.add(AddressText.of(a)));
        name.ifPresent(n -> {
            StringBuilder b = new StringBuilder("\"");
            for (byte c : n.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                int ch = c & 0xff;
                if (ch > 0x20 && ch < 0x7f && ch != '%' && ch != '"') {
                    b.append((char) ch);
                } else {
                    b.append('%').append(String.format(java.util.Locale.ROOT, "%02X", ch));
                }
            }
            parts.add(b.append('"').toString());
        });
        return parts;
    }
}
