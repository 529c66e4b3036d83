package io.pathprobe.nativecommon;

/**
 * The Internet checksum (RFC 1071): 16-bit ones' complement arithmetic over big-endian words, an odd last byte
 * padded with a zero byte. A sum here is the ones' complement sum, not complemented: 0 only when every word
 * added was 0, otherwise 1 to 0xffff, whatever the order the words were added in.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** 16-bit ones' complement addition (end-around carry) of two 16-bit values. */
    public static int onesAdd(int a, int b) {
        int s = a + b;
        s = (s & 0xffff) + (s >>> 16);
        return (s & 0xffff) + (s >>> 16);
    }

    /** {@code initial} plus the ones' complement sum of {@code length} bytes of {@code b} from {@code offset}. */
    public static int onesSum(byte[] b, int offset, int length, int initial) {
        int sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum = onesAdd(sum, ((b[offset + i] & 0xff) << 8) | (b[offset + i + 1] & 0xff));
        }
        if ((length & 1) != 0) {
            sum = onesAdd(sum, (b[offset + length - 1] & 0xff) << 8);
        }
        return sum;
    }

    /**
     * The Internet checksum of {@code length} bytes of {@code b} from {@code offset}, with {@code initial} (a
     * pseudo-header's sum, or 0) added: 0 over a message whose checksum field is right.
     */
    public static int checksum(byte[] b, int offset, int length, int initial) {
        return ~onesSum(b, offset, length, initial) & 0xffff;
    }

    /**
     * The ones' complement sum of the pseudo-header a UDP, TCP or ICMPv6 checksum covers: both addresses (4 or 16
     * bytes each), the protocol and the transport length. IPv4's (RFC 768) and IPv6's (RFC 8200 section 8.1) sum
     * alike: only their layouts differ.
     */
    public static int pseudoHeaderSum(byte[] source, byte[] destination, int protocol, int length) {
        int sum = onesSum(source, 0, source.length, protocol);
        sum = onesSum(destination, 0, destination.length, sum);
        sum = onesAdd(sum, length >>> 16);
        return onesAdd(sum, length & 0xffff);
    }

    /**
     * The word that, added to words summing to {@code sum}, gives them the checksum {@code checksum}: what the
     * words must sum to ({@code ~checksum}) minus {@code sum}, in ones' complement.
     */
    public static int compensation(int sum, int checksum) {
        return onesAdd(~checksum & 0xffff, ~sum & 0xffff);
    }
}
