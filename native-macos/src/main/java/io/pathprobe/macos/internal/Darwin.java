package io.pathprobe.macos.internal;

/**
 * Darwin (macOS) constants, as the system headers define them. Many differ from Linux's: the
 * values below are Darwin's, checked against the xnu headers (apple/darwin-xnu,
 * apple-oss-distributions/xnu) and the macOS SDK headers named on each line.
 */
public final class Darwin {
    private Darwin() {}

    // <sys/socket.h>
    /** AF_INET: 2 (as everywhere). */
    public static final int AF_INET = 2;
    /** AF_INET6: 30 on Darwin (Linux: 10). */
    public static final int AF_INET6 = 30;
    /** SOCK_DGRAM: 2. */
    public static final int SOCK_DGRAM = 2;
    /** SOL_SOCKET: 0xffff on Darwin (Linux: 1). */
    public static final int SOL_SOCKET = 0xffff;
    /**
     * SO_SNDBUF: 0x1001 (Darwin). An ICMP datagram socket refuses a message longer than its send
     * buffer (8192 bytes by default) with EMSGSIZE (sosendcheck: sb_hiwat &lt; length), so it is raised.
     */
    public static final int SO_SNDBUF = 0x1001;
    /** SO_RCVBUF: 0x1002 (Darwin). */
    public static final int SO_RCVBUF = 0x1002;

    // <netinet/in.h>
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;
    /**
     * IP_TOS: 3 on Darwin (Linux: 1); an int, the whole ToS byte (DSCP and ECN). xnu bsd/netinet/in.h
     * ({@code #define IP_TOS 3}, "int; IP type of service and preced."); allowed on ICMP datagram sockets
     * (xnu bsd/netinet/ip_icmp.c, icmp_dgram_ctloutput passes it to rip_ctloutput) and on UDP sockets.
     */
    public static final int IP_TOS = 3;
    /** IP_TTL: 4 on Darwin (Linux: 2); an int. Allowed on ICMP datagram sockets (xnu icmp_dgram_ctloutput). */
    public static final int IP_TTL = 4;
    /** IP_HDRINCL: 2. Not used: sends carry no IP header. */
    public static final int IP_HDRINCL = 2;
    /** IP_STRIPHDR: 23, Apple only ("drop receive of raw IP header"). Not set: the header's TTL is the reply TTL. */
    public static final int IP_STRIPHDR = 23;
    /** IP_RECVTTL: 24 on Darwin (Linux: 12). Not needed: received IPv4 datagrams carry their header. */
    public static final int IP_RECVTTL = 24;

    // <netinet6/in6.h> (RFC 3542 names)
    /** IPV6_UNICAST_HOPS: 4; an int. Allowed on ICMPv6 datagram sockets (xnu icmp6_dgram_ctloutput). */
    public static final int IPV6_UNICAST_HOPS = 4;
    /**
     * IPV6_RECVHOPLIMIT: 37 on Darwin (Linux: 51); a bool. Allowed on ICMPv6 datagram sockets (xnu
     * icmp6_dgram_ctloutput).
     */
    public static final int IPV6_RECVHOPLIMIT = 37;
    /**
     * IPV6_TCLASS: 36 on Darwin (Linux: 67, FreeBSD: 61); an int, -1 to 255. xnu bsd/netinet6/in6.h
     * ({@code #define IPV6_TCLASS 36}, "int; send traffic class value", a value Apple kept from earlier
     * Darwin for binary compatibility); allowed on ICMPv6 datagram sockets (xnu bsd/netinet6/icmp6.c,
     * icmp6_dgram_ctloutput passes it to ip6_ctloutput) and on UDP sockets.
     */
    public static final int IPV6_TCLASS = 36;
    /** IPV6_HOPLIMIT: 47 on Darwin (Linux: 52): the control message type carrying the received hop limit (an int). */
    public static final int IPV6_HOPLIMIT = 47;

    // <sys/fcntl.h>
    public static final int F_SETFL = 4;
    /** O_NONBLOCK: 0x0004 on Darwin (Linux: 0x800). */
    public static final int O_NONBLOCK = 0x0004;

    /** MSG_DONTWAIT: 0x80 on Darwin (Linux: 0x40). */
    public static final int MSG_DONTWAIT = 0x80;

    // <sys/event.h> (kqueue), for Netty's KQueueIoOps
    /** EVFILT_READ: -1. */
    public static final short EVFILT_READ = -1;
    /** EV_ADD: 0x0001. */
    public static final short EV_ADD = 0x0001;
    /** EV_ENABLE: 0x0004. Level-triggered (no EV_CLEAR): a socket left with data is reported again. */
    public static final short EV_ENABLE = 0x0004;

    // <sys/errno.h>: Darwin numbers (BSD), many unlike Linux's
    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    /** EAGAIN = EWOULDBLOCK: 35 on Darwin (Linux: 11). */
    public static final int EAGAIN = 35;
    public static final int EMSGSIZE = 40;
    public static final int EPROTONOSUPPORT = 43;
    public static final int EAFNOSUPPORT = 47;
    public static final int EADDRNOTAVAIL = 49;
    public static final int ENETDOWN = 50;
    /** ENETUNREACH: 51 on Darwin (Linux: 101). */
    public static final int ENETUNREACH = 51;
    public static final int ENOBUFS = 55;
    public static final int EHOSTDOWN = 64;
    /** EHOSTUNREACH: 65 on Darwin (Linux: 113). */
    public static final int EHOSTUNREACH = 65;

    /** The symbolic name of a Darwin errno, for messages ("errno 35" if unknown here). */
    public static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EINTR -> "EINTR";
            case EACCES -> "EACCES";
            case EINVAL -> "EINVAL";
            case EAGAIN -> "EAGAIN";
            case EMSGSIZE -> "EMSGSIZE";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETDOWN -> "ENETDOWN";
            case ENETUNREACH -> "ENETUNREACH";
            case ENOBUFS -> "ENOBUFS";
            case EHOSTDOWN -> "EHOSTDOWN";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            default -> "errno " + errno;
        };
    }

    /** Whether a send failing with {@code errno} means this host has no route to the destination. */
    public static boolean meansNoRoute(int errno) {
        return errno == ENETUNREACH || errno == EHOSTUNREACH || errno == ENETDOWN || errno == EHOSTDOWN;
    }
}
