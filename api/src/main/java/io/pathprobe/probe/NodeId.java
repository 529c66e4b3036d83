package io.pathprobe.probe;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The Node Identification object (draft-ietf-intarea-extended-icmp-nodeid, class 5) a router appended to its ICMP
 * error: an address and a name that identify the router itself, where the address it answered from does not (every
 * router of a path may answer from one shared address).
 *
 * @param address an address that identifies the node (of either family, whatever the ICMP's)
 * @param name the node's name, e.g. its host name (at most 63 bytes of UTF-8)
 */
public record NodeId(Optional<InetAddress> address, Optional<String> name) {

    /**
     * Checks the components (see the record's description).
     *
     * @param address an address that identifies the node (of either family, whatever the ICMP's)
     * @param name the node's name, e.g. its host name (at most 63 bytes of UTF-8)
     * @throws NullPointerException if a component is null
     */
    public NodeId {
        io.pathprobe.util.Checks.nonNull("address", address, "name", name);
    }

    /**
     * In the shape traceroute 2.1.4's {@code -e} gives RFC 5837 objects: {@code NODE:2001:db8::1,"r1"} (the name
     * escaped as {@link InterfaceInfo#toString()} escapes it).
     */
    @Override
    public String toString() {
        return "NODE:" + String.join(",", InterfaceInfo.fields(address, name));
    }
}
