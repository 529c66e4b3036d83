package io.pathprobe.macos.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Darwin's socket structures as bytes, in pure Java (no native call): what the native layer passes
 * to and gets from the kernel, encoded and decoded here so that it is tested on recorded bytes.
 * macOS runs only on little-endian CPUs (x86_64, arm64): host-order fields are little-endian.
 *
 * <pre>
 * struct sockaddr_in  (&lt;netinet/in.h&gt;, 16 bytes)      struct sockaddr_in6 (&lt;netinet6/in6.h&gt;, 28 bytes)
 *   0  u8   sin_len    (16)                              0  u8   sin6_len    (28)
 *   1  u8   sin_family (AF_INET = 2)                     1  u8   sin6_family (AF_INET6 = 30)
 *   2  u16  sin_port   (network order)                   2  u16  sin6_port   (network order)
 *   4  u32  sin_addr   (network order)                   4  u32  sin6_flowinfo
 *   8  u8[8] sin_zero                                    8  u8[16] sin6_addr
 *                                                       24  u32  sin6_scope_id (host order)
 * </pre>
 * Linux's have no length byte: a 16-bit family first.
 *
 * <pre>
 * struct msghdr (&lt;sys/socket.h&gt;, LP64: 48 bytes; Linux's is 56, its lengths being size_t)
 *   0 void *msg_name; 8 socklen_t msg_namelen; 16 struct iovec *msg_iov; 24 int msg_iovlen;
 *  32 void *msg_control; 40 socklen_t msg_controllen; 44 int msg_flags
 * struct iovec: 0 void *iov_base; 8 size_t iov_len (16 bytes)
 * struct cmsghdr (12 bytes): 0 socklen_t cmsg_len; 4 int cmsg_level; 8 int cmsg_type;
 *   data at __DARWIN_ALIGN32(12) = 12 (Linux: 16-byte header, data aligned to 8); the next
 *   header at __DARWIN_ALIGN32(cmsg_len): Darwin aligns control messages to 4 bytes
 * </pre>
 */
public final class DarwinStructs {
    public static final int SOCKADDR_IN = 16;
    public static final int SOCKADDR_IN6 = 28;

    public static final int MSGHDR_SIZE = 48;
    public static final int MSG_NAME = 0;
    public static final int MSG_NAMELEN = 8;
    public static final int MSG_IOV = 16;
    public static final int MSG_IOVLEN = 24;
    public static final int MSG_CONTROL = 32;
    public static final int MSG_CONTROLLEN = 40;
    public static final int MSG_FLAGS = 44;
    public static final int IOVEC_SIZE = 16;
    public static final int CMSG_HEADER = 12;

    private DarwinStructs() {}

    /** A Darwin sockaddr_in or sockaddr_in6 for {@code address} and {@code port}. */
    public static byte[] sockaddr(InetAddress address, int port) {
        byte[] a = address.getAddress();
        if (address instanceof Inet4Address) {
            byte[] s = new byte[SOCKADDR_IN];
            s[0] = SOCKADDR_IN;
            s[1] = Darwin.AF_INET;
            s[2] = (byte) (port >>> 8);
            s[3] = (byte) port;
            System.arraycopy(a, 0, s, 4, 4);
            return s;
        }
        byte[] s = new byte[SOCKADDR_IN6];
        s[0] = SOCKADDR_IN6;
        s[1] = Darwin.AF_INET6;
        s[2] = (byte) (port >>> 8);
        s[3] = (byte) port;
        System.arraycopy(a, 0, s, 8, 16);
        int scope = ((Inet6Address) address).getScopeId();
        putIntLittle(s, 24, scope);
        return s;
    }

    /**
     * The address of a Darwin sockaddr of {@code length} bytes, or null when it is no sockaddr_in
     * or sockaddr_in6 (a short one, another family). The scope id of a link-local IPv6 address is kept.
     */
    public static @Nullable InetAddress address(byte[] s, int length) {
        if (length < 2) {
            return null;
        }
        int family = s[1] & 0xff;
        try {
            if (family == Darwin.AF_INET && length >= 8) {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(s, 4, 8));
            }
            if (family == Darwin.AF_INET6 && length >= SOCKADDR_IN6) {
                byte[] a = java.util.Arrays.copyOfRange(s, 8, 24);
                int scope = getIntLittle(s, 24);
                if (scope != 0 && (a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80) {
                    return Inet6Address.getByAddress(null, a, scope);
                }
                return InetAddress.getByAddress(a);
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    /** What the control messages of a received datagram said (Darwin layout, see the class comment). */
    public record Control(int hopLimit) {
        public static final Control NONE = new Control(-1);
    }

    /**
     * Parses {@code length} bytes of control messages (msg_control as recvmsg filled it): the
     * IPV6_HOPLIMIT one (level IPPROTO_IPV6, an int), if any. Stops at a malformed header.
     */
    public static Control control(byte[] c, int length) {
        int hopLimit = -1;
        int at = 0;
        while (at + CMSG_HEADER <= length) {
            int len = getIntLittle(c, at);
            int level = getIntLittle(c, at + 4);
            int type = getIntLittle(c, at + 8);
            if (len < CMSG_HEADER || at + len > length) {
                break;
            }
            if (level == Darwin.IPPROTO_IPV6 && type == Darwin.IPV6_HOPLIMIT && len >= CMSG_HEADER + 4) {
                hopLimit = getIntLittle(c, at + CMSG_HEADER);
            }
            at += align32(len);
        }
        return hopLimit < 0 ? Control.NONE : new Control(hopLimit);
    }

    /** __DARWIN_ALIGN32: rounds up to a multiple of 4. */
    public static int align32(int n) {
        return (n + 3) & ~3;
    }

    /** CMSG_SPACE(n) on Darwin: the header and {@code n} data bytes, aligned. */
    public static int cmsgSpace(int n) {
        return align32(CMSG_HEADER) + align32(n);
    }

    /** A native int in host order (little-endian on every Mac). */
    public static byte[] nativeInt(int v) {
        byte[] b = new byte[4];
        putIntLittle(b, 0, v);
        return b;
    }

    static int getIntLittle(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static void putIntLittle(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
