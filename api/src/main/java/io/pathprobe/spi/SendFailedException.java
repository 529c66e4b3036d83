package io.pathprobe.spi;

/** The operating system refused to send a probe; nothing was sent. A per-probe outcome, not a setup error. */
public final class SendFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean noRoute;

    /**
     * @param message what failed, e.g. "sendmsg: ENETUNREACH (Network is unreachable)"
     * @param noRoute whether the failure means this host has no route to the destination
     */
    public SendFailedException(String message, boolean noRoute) {
        super(message, null, false, false);
        this.noRoute = noRoute;
    }

    /** Whether this host has no route to the destination (ENETUNREACH, EHOSTUNREACH at send time). */
    public boolean noRoute() {
        return noRoute;
    }
}
