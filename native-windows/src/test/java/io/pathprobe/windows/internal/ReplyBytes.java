package io.pathprobe.windows.internal;

import java.util.Arrays;

/**
 * Reply buffers exactly as IcmpParseReplies / Icmp6ParseReplies leave them on x64 Windows, built
 * byte by byte from the documented layouts (ipexport.h; see {@link EchoLayouts} for the tables).
 * Offsets are written out here as literals on purpose: the tests must not borrow them from the code
 * under test. Bytes nobody writes (padding, the rest of the buffer) are 0xEE, as uninitialised
 * memory would be, so a decoder that reads padding is caught.
 */
final class ReplyBytes {
    static final byte JUNK = (byte) 0xEE;

    private ReplyBytes() {}

    /**
     * One ICMP_ECHO_REPLY (40 bytes) at the buffer's start, its data right after it (offset 40).
     *
     * @param bufferAddress the native address of the buffer: Data = bufferAddress + 40 when
     *     {@code parsed} (IcmpParseReplies turned the driver's offset into a pointer), else Data = 40
     */
    static byte[] v4(int bufferSize, long bufferAddress, boolean parsed, int[] address, int status, int rttMillis,
            byte[] data, int ttl) {
        byte[] b = new byte[bufferSize];
        Arrays.fill(b, JUNK);
        // 0..3 IPAddr Address: in_addr, network byte order
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) address[i];
        }
        le32(b, 4, status);         // 4..7   ULONG Status
        le32(b, 8, rttMillis);      // 8..11  ULONG RoundTripTime
        le16(b, 12, data.length);   // 12..13 USHORT DataSize
        le16(b, 14, 0);             // 14..15 USHORT Reserved
        le64(b, 16, parsed ? bufferAddress + 40 : 40); // 16..23 PVOID Data (8 bytes on x64)
        b[24] = (byte) ttl;         // 24 Options.Ttl
        b[25] = 0;                  // 25 Options.Tos
        b[26] = 0;                  // 26 Options.Flags
        b[27] = 0;                  // 27 Options.OptionsSize
        // 28..31: padding before the 8-aligned OptionsData pointer: left as junk
        le64(b, 32, 0);             // 32..39 PUCHAR Options.OptionsData = NULL
        System.arraycopy(data, 0, b, 40, data.length); // the reply data
        return b;
    }

    /**
     * One ICMPV6_ECHO_REPLY (36 bytes): IPV6_ADDRESS_EX packed (26 bytes), 2 bytes of padding,
     * Status at 28, RoundTripTime at 32; the reply data follows at 36.
     */
    static byte[] v6(int bufferSize, byte[] address16, int status, int rttMillis, byte[] data) {
        byte[] b = new byte[bufferSize];
        Arrays.fill(b, JUNK);
        be16(b, 0, 0);              // 0..1   sin6_port (network order)
        be32(b, 2, 0);              // 2..5   sin6_flowinfo (network order): unaligned, the struct is packed
        System.arraycopy(address16, 0, b, 6, 16); // 6..21 sin6_addr, network order
        le32(b, 22, 0);             // 22..25 sin6_scope_id
        // 26..27: padding before the 4-aligned Status: left as junk
        le32(b, 28, status);        // 28..31 ULONG Status
        le32(b, 32, rttMillis);     // 32..35 unsigned int RoundTripTime
        System.arraycopy(data, 0, b, 36, data.length);
        return b;
    }

    static void le16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void le32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void le64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void be16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void be32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (24 - 8 * i));
        }
    }
}
