package io.pathprobe.spi;

import java.util.Set;

/**
 * Makes {@link ProbeTransport}s; registered in {@code META-INF/services/io.pathprobe.spi.ProbeTransportProvider}.
 * Must have a public no-argument constructor, and must be cheap to construct: real work happens in
 * {@link #availability()} and {@link #open()}.
 */
public interface ProbeTransportProvider {

    /** {@return a short stable name, e.g. "linux-icmp-dgram"} */
    String name();

    /** {@return the priority: higher is preferred among the usable transports that can do what a trace needs} */
    int priority();

    /** {@return what transports of this provider can do} */
    Set<TransportCapability> capabilities();

    /**
     * {@return whether the transport can be used by this process now, and if not why} A provider should
     * honour the system property {@code pathprobe.transport.<name>.disabled=true}: it then reports
     * itself unavailable with a reason naming the property, and {@link #open()} throws
     * {@link TransportException} with that reason.
     *
     * <p>Reasons say what stands in the way: "not Linux", "ping_group_range 1 0 excludes gid 65534",
     * "socket(AF_INET, SOCK_RAW): EPERM". May touch the
     * operating system (e.g. open and close a socket); must not send anything.
     */
    Availability availability();

    /**
     * Opens a transport; the caller closes it.
     *
     * @return the open transport
     * @throws TransportException when it cannot be used, with the cause
     */
    ProbeTransport open();

    /**
     * Tunes the calling thread, a tracer's engine thread, for timing: called by the engine once on
     * each engine thread it starts, before the thread runs anything else, for every provider the
     * tracer holds (available or not: the hook is about the thread, not about this transport). The
     * engine thread sends the probes and times every wake-up (a ping's gap, a probe's timeout), so a
     * provider that knows the platform may lower the thread's timer slack, say. Per-thread settings
     * only; must be cheap, must not block, send anything or change process-wide state, and should
     * do its work once per thread however many of its providers are called. Whatever it throws is
     * logged (debug) and ignored. Default: nothing.
     */
    default void configureEngineThread() {}

    /**
     * Tunes the calling thread, one that does a tracer's background work (a bufferbloat test's load
     * connections), to give way to the engine thread: called once on each such thread when it
     * starts, for every provider the tracer holds. Under CPU contention the load must not delay the
     * probes it is measured with, so a provider that knows the platform may lower the thread's
     * scheduling priority (on Linux: nice 10, which needs no privilege). Same rules as
     * {@link #configureEngineThread()}. Default: nothing.
     */
    default void configureBackgroundThread() {}
}
