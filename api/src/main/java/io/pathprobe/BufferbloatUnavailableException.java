package io.pathprobe;


/**
 * A bufferbloat test cannot start because its load generator is not there: the
 * {@code io.pathprobe:pathprobe-bufferbloat} artifact (HTTP/2 and TLS load, on Netty) is not on the
 * class path or module path. Add it next to {@code pathprobe-core}; trace, ping and multipath do not need it.
 */
public final class BufferbloatUnavailableException extends PathProbeException {
    private static final long serialVersionUID = 1L;

    /** The artifact to add, as Maven coordinates without the version. */
    public static final String ARTIFACT = "io.pathprobe:pathprobe-bufferbloat";

    /**
     * An exception with this message.
     *
     * @param message what is missing and how to add it
     */
    public BufferbloatUnavailableException(String message) {
        super(message);
    }
}
