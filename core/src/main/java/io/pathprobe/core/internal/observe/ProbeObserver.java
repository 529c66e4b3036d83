package io.pathprobe.core.internal.observe;

import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;

/**
 * What one measurement run reports about its probes, on the engine loop: the tracer's counters and,
 * while a JFR recording asks for them, the {@code io.pathprobe.*} events. Every probe sent ends
 * exactly once in {@link #answered}, {@link #timedOut} or {@link #abandoned}; every answer delivered
 * is exactly one of {@link #answered}, {@link #late}, {@link #beyondPath} or {@link #unmatched}. Cheap when nothing
 * records: a few adds, no allocation.
 */
public final class ProbeObserver {
    /** Counts nowhere that is read (strategies outside a run, tests of the pure logic). */
    public static final ProbeObserver NONE = new ProbeObserver(new EngineStats(), "", "", "");

    private final EngineStats stats;
    private final String kind;
    private final String target;
    private final String transport;
    private long probes;

    /**
     * @param kind "trace", "ping", "multipath"
     * @param target the destination probed (an address)
     * @param transport the transport's name
     */
    public ProbeObserver(EngineStats stats, String kind, String target, String transport) {
        this.stats = stats;
        this.kind = kind;
        this.target = target;
        this.transport = transport;
    }

    /**
     * Loads the JFR event types now, on the caller's thread, so that the engine thread never does:
     * the first touch of JFR costs from tens to hundreds of milliseconds once per JVM (class loading,
     * JFR's metadata). Called when a tracer is made. Returns whether JFR is there.
     */
    public static boolean prepareJfr() {
        return Jfr.AVAILABLE;
    }

    /** Probes this run sent. */
    public long probes() {
        return probes;
    }

    public String kind() {
        return kind;
    }

    public String target() {
        return target;
    }

    /** The run started probing. */
    public void started() {
        if (Jfr.AVAILABLE) {
            Jfr.started(kind, target, transport);
        }
    }

    /** The run ended with this status (the result's status, or FAILED). */
    public void ended(String status) {
        if (Jfr.AVAILABLE) {
            Jfr.ended(kind, target, transport, status, probes);
        }
    }

    /** A probe left. */
    public void sent(int ttl, int sequence, int flow) {
        probes++;
        stats.sent.increment();
        if (Jfr.AVAILABLE) {
            Jfr.sent(kind, target, ttl, sequence, flow);
        }
    }

    /** The operating system refused a probe: not sent. */
    public void sendFailed() {
        stats.sendFailures.increment();
    }

    /** An answer decided a probe that waited for one. */
    public void answered(int ttl, long rttNanos, InetAddress responder, ResponseKind response) {
        stats.matched.increment();
        if (Jfr.AVAILABLE) {
            Jfr.answered(kind, target, ttl, rttNanos, responder, response);
        }
    }

    /** A probe was given up after waiting {@code waitedNanos}. */
    public void timedOut(int ttl, long waitedNanos) {
        stats.timeouts.increment();
        if (Jfr.AVAILABLE) {
            Jfr.timedOut(kind, target, ttl, waitedNanos);
        }
    }

    /** A probe was given up without waiting (the run or the path ended, in-flight limit). */
    public void abandoned() {
        stats.abandoned.increment();
    }

    /** {@code n} probes were given up without waiting. */
    public void abandoned(long n) {
        if (n > 0) {
            stats.abandoned.add(n);
        }
    }

    /**
     * An answer to a probe of ours that was already decided (given up, or after the end); a duplicate is
     * {@link #unmatched()}.
     */
    public void late() {
        stats.late.increment();
    }

    /**
     * An answer to a probe abandoned because the path ended before its TTL (normal: traces probe every TTL at once).
     */
    public void beyondPath() {
        stats.beyondPath.increment();
    }

    /** An answer no probe of this run could take, a duplicate of one already taken included (ProbeLedger). */
    public void unmatched() {
        stats.unmatched.increment();
    }
}
