package io.pathprobe.spi;

/**
 * The operating system refused to send a probe; nothing was sent. A per-probe outcome, not a setup error.
 *
 * <p>A failure is {@linkplain #permanent() permanent} when no probe to this destination can leave
 * this host as it is now: no route to it ({@link #noRoute()}), or no source address of its family
 * (EADDRNOTAVAIL: an IPv6 target on an IPv4-only host). The measurement then ends at once with that
 * cause. Any other failure is transient (a full buffer, ENOBUFS/EAGAIN; an error an earlier ICMP
 * message left pending on the socket, which Linux returns from the next send): the measurement goes
 * on. A transport says "permanent" only when a route lookup that sends nothing (a fresh socket's
 * connect) fails the same way, never from the send's errno alone.
 */
public final class SendFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Whether this host has no route to the destination. */
    private final boolean noRoute;
    /** Whether no send to this destination can succeed from this host as it is now. */
    private final boolean permanent;
    /** The MTU that refused a probe too big for the first link, or -1. */
    private final int mtu;

    /**
     * A failure that is permanent exactly when {@code noRoute}.
     *
     * @param message what failed, e.g. "sendmsg: ENETUNREACH (Network is unreachable)"
     * @param noRoute whether the failure means this host has no route to the destination
     */
    public SendFailedException(String message, boolean noRoute) {
        this(message, noRoute, noRoute);
    }

    /**
     * @param message what failed, e.g. "sendmsg: EADDRNOTAVAIL (Cannot assign requested address)"
     * @param noRoute whether the failure means this host has no route to the destination (then it is permanent)
     * @param permanent whether no send to this destination can succeed from this host as it is now
     */
    public SendFailedException(String message, boolean noRoute, boolean permanent) {
        this(message, noRoute, permanent, -1);
    }

    /**
     * A transient failure: the probe, sent unfragmented, is larger than the MTU of the link it would
     * leave this host on (EMSGSIZE).
     *
     * @param message what failed, e.g. "sendmsg: EMSGSIZE (Message too long)"
     * @param mtu the MTU of that link, in bytes (positive)
     * @return the failure
     */
    public static SendFailedException tooBig(String message, int mtu) {
        if (mtu < 1) {
            throw new IllegalArgumentException("mtu must be positive, was " + mtu);
        }
        return new SendFailedException(message, false, false, mtu);
    }

    private SendFailedException(String message, boolean noRoute, boolean permanent, int mtu) {
        super(message, null, false, false);
        this.noRoute = noRoute;
        this.permanent = permanent || noRoute;
        this.mtu = mtu;
    }

    /**
     * {@return the MTU of the first link, when the probe was refused as larger than it (an unfragmented
     * probe, {@link ProbeSpec#dontFragment()}); -1 for every other failure}
     */
    public int mtu() {
        return mtu;
    }

    /** {@return whether this host has no route to the destination (ENETUNREACH, EHOSTUNREACH at send time)} */
    public boolean noRoute() {
        return noRoute;
    }

    /**
     * {@return whether no send to this destination can succeed from this host as it is now (no route, or no
     * source address of the destination's family); always true when {@link #noRoute()}}
     */
    public boolean permanent() {
        return permanent;
    }
}
