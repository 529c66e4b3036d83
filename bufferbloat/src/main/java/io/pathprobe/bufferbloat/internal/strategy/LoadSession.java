package io.pathprobe.bufferbloat.internal.strategy;

/**
 * The load side of one bufferbloat test, as {@code BufferbloatStrategy} commands it: the server's
 * configuration, load connections and HTTP probes. Every method returns at once; outcomes come back
 * through the {@link LoadEvents} the session was opened with, on the session's own threads.
 * Implemented by the {@code pathprobe-bufferbloat} artifact (Netty HTTP/2 and TLS).
 */
public interface LoadSession extends AutoCloseable {
    /** Fetches the configuration: {@link LoadEvents#configured} or {@link LoadEvents#setupFailed}. */
    void fetchConfig(int connectTimeoutMillis);

    /**
     * Opens load connection {@code id}: {@link LoadEvents#opened}, then an endless upload or download; or
     * {@link LoadEvents#failed}.
     */
    void open(int id, boolean upload, int connectTimeoutMillis);

    /** Closes load connection {@code id}; its close is not reported as a failure. */
    void close(int id);

    /** Closes every load connection. */
    void closeAll();

    /**
     * Foreign probe {@code id} on a new connection and, when {@code selfOn >= 0}, a self probe on load
     * connection {@code selfOn}: {@link LoadEvents#probeConnected}, {@link LoadEvents#probeAnswered},
     * {@link LoadEvents#probeFailed}.
     */
    void probe(int id, int selfOn);

    /**
     * The bytes load connection {@code id} has delivered so far: received (download), or written less
     * what the peer has not acknowledged yet where the socket says (upload). Any thread; never decreases.
     */
    long delivered(int id);

    /** Closes every connection of the test, probes included; events after it are dropped. */
    @Override
    void close();
}
