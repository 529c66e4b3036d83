package io.pathprobe.windows.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The x64 (LLP64, little-endian, 8-byte pointers) layouts of the structures IcmpSendEcho2Ex,
 * Icmp6SendEcho2, IcmpParseReplies and Icmp6ParseReplies read and write, as byte offsets. Pure Java:
 * encodes the request side into byte arrays and decodes reply buffers copied out of native memory,
 * so every offset here is unit-tested on buffers built byte by byte. The same layouts hold on ARM64
 * Windows (also LLP64 with 8-byte pointers); 32-bit processes use other ones (ICMP_ECHO_REPLY32 is
 * what a 32-bit process sees on 64-bit Windows), which the availability check refuses.
 *
 * <pre>
 * IP_OPTION_INFORMATION (ipexport.h), x64: 16 bytes, alignment 8
 *   0  UCHAR  Ttl           the request's TTL (hop limit): how the transport sets it per probe
 *   1  UCHAR  Tos
 *   2  UCHAR  Flags         IP_FLAG_DF = 2; 0 here
 *   3  UCHAR  OptionsSize   0: no IP options
 *   4  (4 bytes of padding: the pointer below is 8-aligned)
 *   8  PUCHAR OptionsData   NULL
 *
 * ICMP_ECHO_REPLY (ipexport.h), x64: 40 bytes, alignment 8; IcmpParseReplies leaves an array of
 * them at the start of the reply buffer
 *   0  IPAddr  Address        the replying address: the destination, or the router of a Time Exceeded;
 *                             the 4 bytes in network order (an in_addr)
 *   4  ULONG   Status         IP_STATUS ({@link IcmpStatus})
 *   8  ULONG   RoundTripTime  milliseconds (not used: the transport times probes itself, in ns)
 *  12  USHORT  DataSize       bytes of reply data
 *  14  USHORT  Reserved       ignored
 *  16  PVOID   Data           the reply data: a pointer into the reply buffer once IcmpParseReplies
 *                             ran (before it, the driver stores the offset from the buffer's start)
 *  24  IP_OPTION_INFORMATION Options  the IP header options of the reply:
 *      24 Ttl  (the reply's TTL)  25 Tos  26 Flags  27 OptionsSize  28..31 padding  32 OptionsData
 *
 * IPV6_ADDRESS_EX (ipexport.h): 26 bytes, packed (pshpack1: no padding, alignment 1)
 *   0  USHORT sin6_port       network order
 *   2  ULONG  sin6_flowinfo   network order
 *   6  USHORT sin6_addr[8]    the 16 address bytes in network order
 *  22  ULONG  sin6_scope_id
 *
 * ICMPV6_ECHO_REPLY (= ICMPV6_ECHO_REPLY_LH), natural alignment: 36 bytes, alignment 4
 *   0  IPV6_ADDRESS_EX Address  the replying address
 *  26  (2 bytes of padding: Status is 4-aligned)
 *  28  ULONG  Status          IP_STATUS
 *  32  ULONG  RoundTripTime   milliseconds
 *  36  the reply data follows the structure; its size is not given (the echoed request's size)
 *
 * sockaddr_in6 (ws2ipdef.h), the SourceAddress and DestinationAddress of Icmp6SendEcho2: 28 bytes
 *   0  ADDRESS_FAMILY sin6_family  AF_INET6 = 23 on Windows, host order (little-endian)
 *   2  USHORT sin6_port      0
 *   4  ULONG  sin6_flowinfo  0
 *   8  IN6_ADDR sin6_addr    16 bytes, network order (all zero for the source: any)
 *  24  ULONG  sin6_scope_id  host order
 *
 * IO_STATUS_BLOCK, x64: 16 bytes; the driver writes one into the reply buffer of an asynchronous request
 * </pre>
 */
public final class EchoLayouts {
    /** sizeof(IP_OPTION_INFORMATION) on x64. */
    public static final int OPTIONS_SIZE = 16;
    public static final int OPT_TTL = 0;

    /** sizeof(ICMP_ECHO_REPLY) on x64. */
    public static final int ECHO_REPLY_SIZE = 40;
    public static final int R_ADDRESS = 0;
    public static final int R_STATUS = 4;
    public static final int R_RTT = 8;
    public static final int R_DATA_SIZE = 12;
    public static final int R_DATA = 16;
    public static final int R_OPTIONS = 24;

    /** IPV6_ADDRESS_EX (packed): where its address is. */
    public static final int A6_ADDR = 6;

    /** sizeof(ICMPV6_ECHO_REPLY). */
    public static final int ECHO6_REPLY_SIZE = 36;
    public static final int R6_ADDRESS = 0;
    public static final int R6_STATUS = 28;
    public static final int R6_RTT = 32;
    /** Where the reply data starts: right after the structure. */
    public static final int R6_DATA = ECHO6_REPLY_SIZE;

    /** sizeof(SOCKADDR_IN6). */
    public static final int SOCKADDR_IN6_SIZE = 28;
    public static final int SA6_FAMILY = 0;
    public static final int SA6_ADDR = 8;
    public static final int SA6_SCOPE_ID = 24;

    /** sizeof(IO_STATUS_BLOCK) on x64. */
    public static final int IO_STATUS_BLOCK_SIZE = 16;
    /** An ICMP error's 8 bytes, which the documentation asks room for beyond the echoed data. */
    public static final int ICMP_ERROR_ROOM = 8;
    /** The most IP options an answer may carry (IPv4 header options: 40 bytes). */
    public static final int IP_OPTIONS_ROOM = 40;

    /** The largest RequestSize the ICMP API takes (ping.exe's -l limit). */
    public static final int MAX_REQUEST_SIZE = 65500;

    private EchoLayouts() {}

    /**
     * The reply buffer a request of {@code requestSize} data bytes needs: the reply structure, the
     * echoed data, an ICMP error's 8 bytes and an IO_STATUS_BLOCK (as the documentation of
     * IcmpSendEcho2Ex asks), plus room for the answer's IP options; rounded up to 8.
     */
    public static int replyBufferSize(int requestSize, boolean ipv6) {
        int size = (ipv6 ? ECHO6_REPLY_SIZE : ECHO_REPLY_SIZE) + requestSize + ICMP_ERROR_ROOM + IP_OPTIONS_ROOM
                + IO_STATUS_BLOCK_SIZE;
        return align8(size);
    }

    public static int align8(int n) {
        return (n + 7) & ~7;
    }

    /** Writes an IP_OPTION_INFORMATION asking for {@code ttl} and nothing else. */
    public static void writeOptions(byte[] b, int off, int ttl) {
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 1..255, was " + ttl);
        }
        Arrays.fill(b, off, off + OPTIONS_SIZE, (byte) 0);
        b[off + OPT_TTL] = (byte) ttl;
    }

    /**
     * An IPAddr as passed by value to IcmpSendEcho2Ex: a ULONG whose four bytes in memory are the
     * address in network order, i.e. on little-endian x64 the first octet in the low byte
     * (127.0.0.1 is 0x0100007F).
     */
    public static int ipAddr(Inet4Address address) {
        byte[] a = address.getAddress();
        return (a[0] & 0xff) | (a[1] & 0xff) << 8 | (a[2] & 0xff) << 16 | (a[3] & 0xff) << 24;
    }

    /** Writes a sockaddr_in6 for {@code address}; null writes the unspecified address (any source). */
    public static void writeSockaddrIn6(byte[] b, int off, @Nullable Inet6Address address) {
        Arrays.fill(b, off, off + SOCKADDR_IN6_SIZE, (byte) 0);
        putShortLe(b, off + SA6_FAMILY, Win32.AF_INET6);
        if (address != null) {
            System.arraycopy(address.getAddress(), 0, b, off + SA6_ADDR, 16);
            putIntLe(b, off + SA6_SCOPE_ID, Math.max(0, address.getScopeId()));
        }
    }

    /**
     * One reply as decoded from a buffer IcmpParseReplies / Icmp6ParseReplies left.
     *
     * @param status the IP_STATUS
     * @param address the replying address (the destination, or the router that sent the error)
     * @param roundTripMillis Windows' own RTT in milliseconds
     * @param dataOffset where the reply data starts in the buffer, or -1 if the structure's pointer
     *     does not point into it
     * @param dataSize bytes of reply data (IPv4: DataSize; IPv6: -1, not given)
     * @param ttl IPv4: the TTL of the answer's IP header (Options.Ttl); IPv6: -1 (not given)
     */
    public record Reply(int status, InetAddress address, int roundTripMillis, int dataOffset, int dataSize, int ttl) {}

    /**
     * Decodes the ICMP_ECHO_REPLY at {@code off} of a reply buffer.
     *
     * @param buffer the reply buffer's bytes, from its start
     * @param bufferAddress the native address the buffer had, to turn the Data pointer into an offset
     * @return the reply, or null if the buffer is too short to hold one
     */
    public static @Nullable Reply decodeV4(byte[] buffer, int off, long bufferAddress) {
        if (off < 0 || buffer.length - off < ECHO_REPLY_SIZE) {
            return null;
        }
        InetAddress address = address(Arrays.copyOfRange(buffer, off + R_ADDRESS, off + R_ADDRESS + 4));
        int status = getIntLe(buffer, off + R_STATUS);
        int rtt = getIntLe(buffer, off + R_RTT);
        int dataSize = getShortLe(buffer, off + R_DATA_SIZE) & 0xffff;
        long data = getLongLe(buffer, off + R_DATA);
        int ttl = buffer[off + R_OPTIONS + OPT_TTL] & 0xff;
        int dataOffset = dataOffset(data, bufferAddress, dataSize, buffer.length);
        return new Reply(status, address, rtt, dataOffset, dataSize, ttl);
    }

    /**
     * The offset of the reply data within the buffer: the Data pointer minus the buffer's address
     * when it points into the buffer (after IcmpParseReplies); the value itself when it is already an
     * offset within the buffer (the driver's form, before IcmpParseReplies rewrote it); else -1.
     */
    static int dataOffset(long data, long bufferAddress, int dataSize, int bufferLength) {
        long relative = data - bufferAddress;
        if (bufferAddress != 0 && relative >= ECHO_REPLY_SIZE && relative + dataSize <= bufferLength) {
            return (int) relative;
        }
        if (data >= ECHO_REPLY_SIZE && data + dataSize <= bufferLength) {
            return (int) data;
        }
        return -1;
    }

    /** Decodes the ICMPV6_ECHO_REPLY at {@code off} of a reply buffer; null if too short. */
    public static @Nullable Reply decodeV6(byte[] buffer, int off) {
        if (off < 0 || buffer.length - off < ECHO6_REPLY_SIZE) {
            return null;
        }
        int a = off + R6_ADDRESS + A6_ADDR;
        InetAddress address = address(Arrays.copyOfRange(buffer, a, a + 16));
        int status = getIntLe(buffer, off + R6_STATUS);
        int rtt = getIntLe(buffer, off + R6_RTT);
        return new Reply(status, address, rtt, off + R6_DATA, -1, -1);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // a literal: never resolves
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    // Little-endian accessors (x64 is little-endian).

    public static int getIntLe(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    public static short getShortLe(byte[] b, int off) {
        return (short) ((b[off] & 0xff) | (b[off + 1] & 0xff) << 8);
    }

    public static long getLongLe(byte[] b, int off) {
        return (getIntLe(b, off) & 0xffffffffL) | ((long) getIntLe(b, off + 4)) << 32;
    }

    public static void putIntLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    public static void putShortLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
