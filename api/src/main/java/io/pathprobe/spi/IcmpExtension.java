package io.pathprobe.spi;

import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.NodeId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One object of an ICMP extension structure (RFC 4884) carried by a Time Exceeded or Destination
 * Unreachable, e.g. an MPLS label stack (RFC 4950: class 1, C-type 1), an Interface Information object (RFC 5837:
 * class 2) or a Node Identification object (draft-ietf-intarea-extended-icmp-nodeid: class 5).
 *
 * @param classNumber the object's class
 * @param classType the object's C-type
 * @param payload the object's payload (without its 4-byte header)
 */
public record IcmpExtension(int classNumber, int classType, byte[] payload) {
    /** Class number of the MPLS label stack object (RFC 4950). */
    public static final int MPLS_LABEL_STACK_CLASS = 1;
    /** Class number of the Interface Information object (RFC 5837). */
    public static final int INTERFACE_INFORMATION_CLASS = 2;
    /** Class number of the Node Identification object (draft-ietf-intarea-extended-icmp-nodeid). */
    public static final int NODE_IDENTIFICATION_CLASS = 5;

    /**
     * Copies {@code payload}, so that a later change to the array given does not show (see the record's
     * description).
     *
     * @param classNumber the object's class
     * @param classType the object's C-type
     * @param payload the object's payload (without its 4-byte header)
     * @throws NullPointerException if {@code payload} is null
     */
    public IcmpExtension {
        payload = payload.clone();
    }

    /** {@return a copy of the object's payload (without its 4-byte header)} */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpExtension e && e.classNumber == classNumber && e.classType == classType
                && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classNumber, classType, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "IcmpExtension[class " + classNumber + ", type " + classType + ", " + payload.length + " bytes]";
    }

    /** {@return the MPLS label stack entries of this object, outermost first; empty if it is not an MPLS object} */
    public List<MplsLabel> mplsLabels() {
        if (classNumber != MPLS_LABEL_STACK_CLASS || classType != 1) {
            return List.of();
        }
        List<MplsLabel> labels = new ArrayList<>(payload.length / 4);
        for (int i = 0; i + 4 <= payload.length; i += 4) {
            int entry = ((payload[i] & 0xff) << 24) | ((payload[i + 1] & 0xff) << 16)
                    | ((payload[i + 2] & 0xff) << 8) | (payload[i + 3] & 0xff);
            labels.add(new MplsLabel(entry >>> 12, (entry >>> 9) & 7, ((entry >>> 8) & 1) == 1, entry & 0xff));
        }
        return List.copyOf(labels);
    }

    /**
     * {@return the RFC 5837 Interface Information this object carries; empty if it is not one, or malformed (an
     * unknown address family, a name sub-object whose length is 0, not a multiple of 4 or over 64, or
     * sub-objects longer than the object)}
     */
    public Optional<InterfaceInfo> interfaceInfo() {
        if (classNumber != INTERFACE_INFORMATION_CLASS) {
            return Optional.empty();
        }
        Cursor c = new Cursor(payload);
        OptionalInt ifIndex = (classType & 0x08) == 0 ? OptionalInt.empty() : c.word();
        Optional<InetAddress> address = c.address((classType & 0x04) != 0);
        Optional<String> name = c.name((classType & 0x02) != 0);
        OptionalInt mtu = (classType & 0x01) == 0 ? OptionalInt.empty() : c.word();
        return c.malformed ? Optional.empty()
                : Optional.of(new InterfaceInfo(InterfaceInfo.Role.values()[classType >>> 6], ifIndex, address, name,
                        mtu));
    }

    /**
     * {@return the node identification this object carries (draft-ietf-intarea-extended-icmp-nodeid: its C-Type's
     * bits 5 and 6 announce an address and a name, as RFC 5837's do); empty if it is not one, or malformed as
     * {@link #interfaceInfo()} tells}
     */
    public Optional<NodeId> nodeId() {
        if (classNumber != NODE_IDENTIFICATION_CLASS) {
            return Optional.empty();
        }
        Cursor c = new Cursor(payload);
        Optional<InetAddress> address = c.address((classType & 0x04) != 0);
        Optional<String> name = c.name((classType & 0x02) != 0);
        return c.malformed ? Optional.empty() : Optional.of(new NodeId(address, name));
    }

    /** Reads RFC 5837's sub-objects in order; {@code malformed} once one ran past the payload or broke a rule. */
    private static final class Cursor {
        private final byte[] b;
        private int at;
        boolean malformed;

        Cursor(byte[] b) {
            this.b = b;
        }

        OptionalInt word() {
            if (malformed || at + 4 > b.length) {
                malformed = true;
                return OptionalInt.empty();
            }
            int v = ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
                    | (b[at + 3] & 0xff);
            at += 4;
            return OptionalInt.of(v);
        }

        /** The IP Address sub-object: AFI (1 IPv4, 2 IPv6), 2 reserved bytes, the address. */
        Optional<InetAddress> address(boolean present) {
            if (!present) {
                return Optional.empty();
            }
            OptionalInt afi = word();
            int length = afi.isEmpty() ? 0 : switch (afi.getAsInt() >>> 16) {
                case 1 -> 4;
                case 2 -> 16;
                default -> 0;
            };
            if (length == 0 || at + length > b.length) {
                malformed = true;
                return Optional.empty();
            }
            try {
                InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + length));
                at += length;
                return Optional.of(a);
            } catch (UnknownHostException e) {
                throw new AssertionError(e); // 4 or 16 bytes are always an address
            }
        }

        /** The Name sub-object: a length octet (counting itself; a multiple of 4, at most 64), UTF-8, NUL padding. */
        Optional<String> name(boolean present) {
            if (!present) {
                return Optional.empty();
            }
            int length = malformed || at >= b.length ? 0 : b[at] & 0xff;
            if (length == 0 || length % 4 != 0 || length > 64 || at + length > b.length) {
                malformed = true;
                return Optional.empty();
            }
            int end = at + 1;
            while (end < at + length && b[end] != 0) {
                end++;
            }
            String name = new String(b, at + 1, end - at - 1, StandardCharsets.UTF_8);
            at += length;
            return Optional.of(name);
        }
    }

    /**
     * Parses the extension structure of an ICMP Time Exceeded or Destination Unreachable message.
     *
     * @param icmp the whole ICMP message, from its type byte
     * @param offset where the ICMP message starts in {@code icmp}
     * @param length the ICMP message's length
     * @param ipv6 ICMPv6 (the length field counts 8-byte words at byte 4) or ICMP (4-byte words at byte 5)
     * @return the objects, or an empty list when there is no valid extension structure (no length
     *     field, a bad version or checksum, or truncated objects)
     */
    public static List<IcmpExtension> parse(byte[] icmp, int offset, int length, boolean ipv6) {
        if (offset < 0 || length < 8 || offset + length > icmp.length) {
            return List.of();
        }
        int words = ipv6 ? icmp[offset + 4] & 0xff : icmp[offset + 5] & 0xff;
        if (words == 0) {
            return List.of(); // no RFC 4884 length: the quote is not followed by extensions we can find
        }
        int quoted = words * (ipv6 ? 8 : 4);
        if (quoted < 128) {
            return List.of(); // RFC 4884: the original datagram field is at least 128 bytes when extended
        }
        int start = offset + 8 + quoted;
        int end = offset + length;
        if (end - start < 4) {
            return List.of();
        }
        if (((icmp[start] & 0xff) >>> 4) != 2) {
            return List.of(); // version 2
        }
        int checksum = ((icmp[start + 2] & 0xff) << 8) | (icmp[start + 3] & 0xff);
        if (checksum != 0 && internetChecksum(icmp, start, end - start) != 0) {
            return List.of();
        }
        List<IcmpExtension> objects = new ArrayList<>();
        int at = start + 4;
        while (at + 4 <= end) {
            int objectLength = ((icmp[at] & 0xff) << 8) | (icmp[at + 1] & 0xff);
            if (objectLength < 4 || at + objectLength > end) {
                return List.of(); // truncated or malformed: trust none of it
            }
            objects.add(new IcmpExtension(icmp[at + 2] & 0xff, icmp[at + 3] & 0xff,
                    Arrays.copyOfRange(icmp, at + 4, at + objectLength)));
            at += objectLength;
        }
        return List.copyOf(objects);
    }

    private static int internetChecksum(byte[] b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((b[offset + i] & 0xff) << 8) | (b[offset + i + 1] & 0xff);
        }
        if ((length & 1) == 1) {
            sum += (b[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
