package io.pathprobe.spi;

import io.pathprobe.probe.MplsLabel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One object of an ICMP extension structure (RFC 4884) carried by a Time Exceeded or Destination
 * Unreachable, e.g. an MPLS label stack (RFC 4950: class 1, C-type 1).
 *
 * @param classNumber the object's class
 * @param classType the object's C-type
 * @param payload the object's payload (without its 4-byte header)
 */
public record IcmpExtension(int classNumber, int classType, byte[] payload) {
    /** Class number of the MPLS label stack object (RFC 4950). */
    public static final int MPLS_LABEL_STACK_CLASS = 1;

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
