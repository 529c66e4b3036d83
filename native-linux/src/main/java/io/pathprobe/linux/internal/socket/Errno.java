package io.pathprobe.linux.internal.socket;

/** The Linux errno values the transports name or act on (same numbers on x86_64 and aarch64). */
public final class Errno {
    public static final int EPERM = 1;
    static final int EINTR = 4;
    public static final int EPIPE = 32;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    public static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ENONET = 64;
    static final int EPROTO = 71;
    static final int EMSGSIZE = 90;
    static final int ENOPROTOOPT = 92;
    static final int EPROTONOSUPPORT = 93;
    static final int ESOCKTNOSUPPORT = 94;
    static final int EOPNOTSUPP = 95;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETDOWN = 100;
    static final int ENETUNREACH = 101;
    static final int ENOBUFS = 105;
    public static final int ECONNREFUSED = 111;
    static final int EHOSTDOWN = 112;
    static final int EHOSTUNREACH = 113;
    public static final int EINPROGRESS = 115;
    static final int ETIMEDOUT = 110;
    public static final int ECONNRESET = 104;

    private Errno() {}

    /** Whether a send failing with this errno means this host has no route to the destination. */
    public static boolean isNoRoute(int errno) {
        return errno == ENETUNREACH || errno == EHOSTUNREACH || errno == ENETDOWN;
    }

    /**
     * Whether a route lookup that sends nothing (a fresh socket's connect) failing with this errno
     * means no probe to the destination can leave this host: no route, or no source address of its
     * family (EADDRNOTAVAIL: IPv6 disabled), or the family unsupported, or an address this host cannot
     * use as given (EINVAL: a link-local address such as {@code fe80::1} without its interface; a
     * send fails so too, and a route lookup that fails with it means every send will).
     */
    public static boolean isUnroutable(int errno) {
        return isNoRoute(errno) || errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT || errno == EINVAL;
    }

    /**
     * Whether a socket's pending error (sk_err) could hold this errno because an ICMP error arrived:
     * the kernel's mapping of ICMP types and codes to errno (icmp_err_convert and friends).
     */
    static boolean mayBePendingIcmpError(int errno) {
        switch (errno) {
            case ENETUNREACH:
            case EHOSTUNREACH:
            case ECONNREFUSED:
            case EHOSTDOWN:
            case ENONET:
            case EACCES:
            case EMSGSIZE:
            case EPROTO:
            case ENOPROTOOPT:
            case EOPNOTSUPP:
                return true;
            default:
                return false;
        }
    }

    static String name(int errno) {
        switch (errno) {
            case EPERM: return "EPERM";
            case EINTR: return "EINTR";
            case EPIPE: return "EPIPE";
            case EAGAIN: return "EAGAIN";
            case ENOMEM: return "ENOMEM";
            case EACCES: return "EACCES";
            case EINVAL: return "EINVAL";
            case ENFILE: return "ENFILE";
            case EMFILE: return "EMFILE";
            case ENONET: return "ENONET";
            case EPROTO: return "EPROTO";
            case EMSGSIZE: return "EMSGSIZE";
            case ENOPROTOOPT: return "ENOPROTOOPT";
            case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
            case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
            case EOPNOTSUPP: return "EOPNOTSUPP";
            case EAFNOSUPPORT: return "EAFNOSUPPORT";
            case EADDRINUSE: return "EADDRINUSE";
            case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
            case ENETDOWN: return "ENETDOWN";
            case ENETUNREACH: return "ENETUNREACH";
            case ENOBUFS: return "ENOBUFS";
            case ECONNREFUSED: return "ECONNREFUSED";
            case EHOSTDOWN: return "EHOSTDOWN";
            case EHOSTUNREACH: return "EHOSTUNREACH";
            case EINPROGRESS: return "EINPROGRESS";
            case ETIMEDOUT: return "ETIMEDOUT";
            case ECONNRESET: return "ECONNRESET";
            default: return "errno " + errno;
        }
    }
}
