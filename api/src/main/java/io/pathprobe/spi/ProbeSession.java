package io.pathprobe.spi;

/**
 * A flow of probes toward one destination. {@link #send} is never called concurrently for one
 * session; different sessions may be used from different threads at once.
 */
public interface ProbeSession extends AutoCloseable {

    /** The largest sequence number {@link #send} accepts; sequences run from 0 to this. */
    int maxSequence();

    /**
     * Sends one probe. Returns at once (never waits for an answer).
     *
     * @param sequence the probe's number, 0 to {@link #maxSequence()}; the answer carries it back
     * @param ttl the IP TTL (IPv6 hop limit), 1 to 255
     * @return when the probe was sent, in nanoseconds of the transport's clock: the same clock as
     *     {@link ProbeResponse#receivedNanos()} (only differences are meaningful)
     * @throws SendFailedException if the operating system refused the probe (nothing was sent)
     */
    long send(int sequence, int ttl) throws SendFailedException;

    /** Releases the session's resources; answers arriving later are dropped. Idempotent. */
    @Override
    void close();
}
