package io.pathprobe.linux.internal;

/**
 * What a transport's I/O thread did with the packets it read. Written only on the I/O thread; read
 * elsewhere for diagnostics and tests (plain longs: a reader may see slightly stale values).
 */
public final class TransportStats {
    /** Messages read (data and error queue). */
    public volatile long received;
    /** Answers handed to a listener. */
    public volatile long delivered;
    /** Messages that were not an answer to one of this transport's open sessions, or failed a check. */
    public volatile long dropped;
    /** Listener calls that threw. */
    public volatile long listenerFailures;
    /** Unexpected failures inside the I/O thread's handling (caught and counted). */
    public volatile long loopFailures;

    @Override
    public String toString() {
        return "received=" + received + ", delivered=" + delivered + ", dropped=" + dropped
                + ", listenerFailures=" + listenerFailures + ", loopFailures=" + loopFailures;
    }
}
