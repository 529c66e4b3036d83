package io.pathprobe.linux.internal.socket;

/**
 * Linux constants and C struct layouts for 64-bit Linux (LP64: x86_64 and aarch64 share every value
 * here; both use the asm-generic socket option numbers and 8-byte size_t and pointers). 32-bit
 * Linux is refused when libc is bound (see {@link Posix}).
 */
public final class Abi {
    private Abi() {}

    // socket(2)
    static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int SOCK_STREAM = 1;
    public static final int IPPROTO_TCP = 6;
    /**
     * Raw sockets of this protocol only send, with the IP header written by the caller (IPv4; IPv6 since Linux 4.5).
     */
    public static final int IPPROTO_RAW = 255;

    // Options
    public static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_TIMESTAMPNS = 35; // SO_TIMESTAMPNS_OLD: 64-bit timespec on LP64
    public static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    public static final int SOL_IP = 0;
    public static final int IP_TOS = 1; // also a cmsg (SOL_IP, IP_TOS, int) on sendmsg (Linux 3.13+)
    public static final int IP_TTL = 2;
    public static final int IP_RECVERR = 11;
    /** IP_MTU_DISCOVER and its value IP_PMTUDISC_PROBE: DF set, the path MTU learned ignored (tracepath's). */
    public static final int IP_MTU_DISCOVER = 10;
    public static final int IP_PMTUDISC_PROBE = 3;
    public static final int IP_RECVTTL = 12; // cmsg (SOL_IP, IP_TTL, int) with every message read
    public static final int SOL_IPV6 = 41;
    public static final int IPV6_RECVERR = 25;
    /** IPV6_MTU_DISCOVER and IPV6_PMTUDISC_PROBE: never fragmented, the path MTU learned ignored. */
    public static final int IPV6_MTU_DISCOVER = 23;
    static final int IPV6_PMTUDISC_PROBE = 3;
    public static final int IPV6_RECVHOPLIMIT = 51; // cmsg (SOL_IPV6, IPV6_HOPLIMIT, int) with every message read
    public static final int IPV6_HOPLIMIT = 52;
    public static final int IPV6_TCLASS = 67; // also a cmsg (SOL_IPV6, IPV6_TCLASS, int) on sendmsg
    public static final int SOL_RAW = 255;
    public static final int ICMP_FILTER = 1;
    // raw sockets (linux-raw-udp, linux-raw-tcp, raw ICMPv6)
    static final int IP_HDRINCL = 3;
    public static final int SOL_ICMPV6 = 58;
    public static final int ICMP6_FILTER = 1; // struct icmp6_filter: 8 x u32, a set bit blocks that type
    public static final int ICMP6_FILTER_SIZE = 32;

    // Unprivileged TCP connect() probes and Paris UDP (linux-tcp-connect, linux-udp-recverr)
    public static final int SO_REUSEADDR = 2;
    public static final int SO_LINGER = 13; // struct linger { int l_onoff; int l_linger; }
    public static final int TCP_SYNCNT = 7;
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_AUTOFLOWLABEL = 70;

    // send/recv flags
    static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;

    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 1;

    // epoll(7), eventfd(2), timerfd_create(2): the transports' I/O loop
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int TFD_NONBLOCK = 0x800;
    static final int TFD_CLOEXEC = 0x80000;
    /**
     * struct epoll_event {uint32_t events; uint64_t data;}: packed on x86-64 (12 bytes, data at 4), naturally
     * aligned elsewhere (16 bytes, data at 8).
     */
    static final boolean EPOLL_PACKED = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    static final int EPOLL_EVENT_SIZE = EPOLL_PACKED ? 12 : 16;
    static final int EPOLL_DATA_OFFSET = EPOLL_PACKED ? 4 : 8;

    // struct sock_extended_err origins
    public static final int SO_EE_ORIGIN_ICMP = 2;
    public static final int SO_EE_ORIGIN_ICMP6 = 3;

    // struct msghdr (56 bytes)
    static final int MSGHDR_SIZE = 56;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;

    // struct iovec (16 bytes)
    static final int IOVEC_SIZE = 16;
    static final int IOV_BASE = 0;
    static final int IOV_LEN = 8;

    // struct cmsghdr (16 bytes: size_t len, int level, int type), data aligned to 8
    public static final int CMSG_HDR = 16;
    static final int CMSG_LEN = 0;
    static final int CMSG_LEVEL = 8;
    static final int CMSG_TYPE = 12;

    public static int cmsgAlign(int length) {
        return (length + 7) & ~7;
    }

    public static int cmsgSpace(int dataLength) {
        return CMSG_HDR + cmsgAlign(dataLength);
    }

    // struct sockaddr_in (16) / sockaddr_in6 (28): family in host order, port and address in network order
    public static final int SOCKADDR_IN_SIZE = 16;
    public static final int SOCKADDR_IN6_SIZE = 28;
    public static final int SA_FAMILY = 0;
    public static final int SA_PORT = 2;
    public static final int SIN_ADDR = 4;
    static final int SIN6_FLOWINFO = 4;
    public static final int SIN6_ADDR = 8;
    static final int SIN6_SCOPE_ID = 24;

    // struct sock_extended_err (16 bytes), followed by the offender's sockaddr (SO_EE_OFFENDER)
    static final int EE_ERRNO = 0;
    public static final int EE_ORIGIN = 4;
    public static final int EE_TYPE = 5;
    static final int EE_CODE = 6;
    /** ee_info: for EMSGSIZE (Fragmentation Needed, Packet Too Big, a local refusal) the MTU. */
    static final int EE_INFO = 8;
    public static final int EE_SIZE = 16;

    // struct timespec (16 bytes)
    static final int TIMESPEC_SIZE = 16;
}
