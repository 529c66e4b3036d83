package io.pathprobe.windows.internal;

import io.pathprobe.nativecommon.SessionOpening;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportCounters;
import io.pathprobe.spi.TransportException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The Windows ICMP echo transport, written against the {@link IcmpApi} seam: sessions (one ICMP
 * handle each), one request per probe with its own event, and {@link Waiter} threads that handle
 * each completion the moment its event is signalled.
 *
 * <p><b>Why waiter threads and not RegisterWaitForSingleObject.</b> A thread-pool wait calls back
 * on a Windows thread-pool thread: through jnr-ffi that is a native callback attaching foreign
 * threads to the JVM, whose callback object must stay reachable until UnregisterWaitEx has drained,
 * per request; and it cannot be exercised without Windows. A waiter is a plain Java thread blocked
 * in WaitForMultipleObjects on 63 events plus a wake event: as immediate (the call returns when an
 * event is signalled, no polling), one thread for up to 63 outstanding probes (more waiters beyond
 * that, each with its own 64-handle wait), every handle's lifetime owned by one thread, and the same
 * code runs against the fake seam in the tests.
 *
 * <p><b>Timeouts.</b> Each request carries a Windows Timeout, {@link #requestTimeoutMillis()}
 * (default {@value #DEFAULT_REQUEST_TIMEOUT_MILLIS} ms, the system property
 * {@code pathprobe.transport.windows-icmp-echo.requestTimeoutMillis}), deliberately longer than the
 * engine's probe timeouts (1 s by default): the engine decides when a probe is lost, as with every
 * transport, and an answer that comes after the engine's timeout but within the request's is still
 * delivered (a late answer). The request Timeout only bounds how long a silent probe holds its event
 * and reply buffer. Answers later than it are not seen.
 *
 * <p><b>Closing.</b> A session's close() closes its ICMP handle; the transport's close() closes every
 * session, then stops the waiters, each of which waits (at most {@link #stopTimeoutMillis()}) for its
 * requests' events, releases every event and block, closes its wake event and ends; close() joins
 * them. A request whose event has not come by then is <em>abandoned</em>: its event handle and native
 * block are handed, still open and allocated, to {@link AbandonedRequests}, which releases them once
 * the request completes after all, and holds the JVM's exit (at most the request's own Timeout) until
 * it does.
 *
 * <p><b>What Windows guarantees here, and what is assumed.</b> Documented by Microsoft
 * (learn.microsoft.com): with an Event, IcmpSendEcho2Ex / Icmp6SendEcho2 return at once and the event
 * is signalled when the reply, or the request's Timeout, comes ("IcmpSendEcho2Ex function"); a
 * cancelled I/O request completes with ERROR_OPERATION_ABORTED and its completion is signalled as usual
 * ("CancelIo function"); "all I/O initiated by a given thread is canceled when that thread exits"
 * ("WSASend function", for sockets); and closing a handle does not by itself cancel the I/O outstanding
 * on it, which holds its own reference to the object (R. Chen, devblogs.microsoft.com/oldnewthing,
 * 2021-07-30). <em>Assumed, not documented</em> (the ICMP pages say nothing about it): that
 * IcmpCloseHandle cancels the handle's outstanding requests, signalling their events soon (the simulated
 * API in the tests does so), and that the thread-exit rule holds for ICMP requests, which is why every
 * request is issued by the one {@link Issuer} thread, which outlives them. <em>Seen under Wine 8</em>
 * ({@code build/wine-check}, shared/research/windows-under-wine.md): IcmpCloseHandle does not cancel (a
 * silent probe's request completes at its own Timeout, IP_REQ_TIMED_OUT), and a process that exits with a
 * request still pending whose event handle was closed, or whose issuing thread had ended, often wedges the
 * wineserver: every later process of that prefix hangs at start. Hence abandoned requests keep their
 * event open, their issuer thread is alive, and the JVM's exit waits for them ({@link AbandonedRequests});
 * on Windows, if the close assumption holds, nothing is abandoned and this costs nothing.
 *
 * <p><b>No marking (no {@code TRAFFIC_CLASS}).</b> A nonzero {@code SessionSpec.trafficClass()} is refused
 * with IllegalArgumentException. The only place the ICMP API takes one is IP_OPTION_INFORMATION.Tos, and
 * Microsoft documents that member as "currently silently ignored" (learn.microsoft.com, "IP_OPTION_INFORMATION
 * structure (ipexport.h)", the same for IP_OPTION_INFORMATION32): the probes would leave unmarked while the
 * trace said they were marked. Windows keeps the ToS byte from applications in general (the Tcpip parameter
 * DisableUserTOSSetting, 1 by default as documented for Windows Server 2003: "individual applications should
 * not be allowed to manipulate TOS bits";
 * SetDefaultTOS is obsolete, "applications should use the Quality of Service (QoS) API"), and QoS policy is
 * the machine's configuration, not a per-session marking. Under Wine it would work for IPv4, which is no
 * ground to claim it: in the Wine sources (wine-mirror/wine) IcmpSendEcho2Ex hands the options' Tos to
 * nsiproxy.sys (dlls/iphlpapi/iphlpapi_main.c, icmp_send_echo), whose ipv4_set_socket_opts
 * (dlls/nsiproxy.sys/icmp_echo.c) sets a nonzero one with setsockopt(IP_TOS) on the Linux socket it sends from.
 */
public final class WindowsTransport implements ProbeTransport {
    private static final System.Logger LOG = System.getLogger("io.pathprobe.windows");

    public static final String NAME = "windows-icmp-echo";
    public static final int DEFAULT_REQUEST_TIMEOUT_MILLIS = 10_000;
    public static final String REQUEST_TIMEOUT_PROPERTY = "pathprobe.transport." + NAME + ".requestTimeoutMillis";
    static final int DEFAULT_STOP_TIMEOUT_MILLIS = 2_000;
    /** The most data bytes a request carries: IcmpSendEcho's limit. */
    public static final int MAX_PAYLOAD = EchoLayouts.MAX_REQUEST_SIZE;

    /** What the transport can do: {@link WindowsAvailability#CAPABILITIES}. */
    public static final Set<TransportCapability> CAPABILITIES = WindowsAvailability.CAPABILITIES;

    private static final AtomicInteger TRANSPORTS = new AtomicInteger();

    private final IcmpApi api;
    /** Why IPv6 is not offered (Icmp6CreateFile failed at the availability check), or null. */
    private final @Nullable String ipv6Unavailable;
    private final Set<TransportCapability> capabilities;
    private final int requestTimeoutMillis;
    private final int stopTimeoutMillis;
    final WindowsReceiveCounters counters = new WindowsReceiveCounters();
    private final Set<WindowsSession> sessions = ConcurrentHashMap.newKeySet();
    private final Object waitersLock = new Object();
    /** Guarded by {@link #waitersLock}. */
    private final List<Waiter> waiters = new ArrayList<>();
    private final String threadPrefix;
    private int waiterNumber;
    /** No more waiters: set by close(); guarded by {@link #waitersLock}. */
    private boolean stopped;
    private volatile boolean closed;
    private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();

    private WindowsTransport(IcmpApi api, @Nullable String ipv6Unavailable, int requestTimeoutMillis,
            int stopTimeoutMillis) {
        this.api = api;
        this.ipv6Unavailable = ipv6Unavailable;
        this.capabilities = ipv6Unavailable == null ? CAPABILITIES : WindowsAvailability.WITHOUT_IPV6;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.stopTimeoutMillis = stopTimeoutMillis;
        this.threadPrefix = "pathprobe-" + NAME + "-" + TRANSPORTS.incrementAndGet() + "-waiter-";
    }

    /** Opens a transport on {@code api} with the request timeout of the system property (or the default). */
    public static WindowsTransport open(IcmpApi api) {
        return open(api, null);
    }

    /**
     * Opens a transport on {@code api} with the request timeout of the system property (or the default);
     * without IPv6 when {@code ipv6Unavailable} says why (the availability check's finding).
     */
    public static WindowsTransport open(IcmpApi api, @Nullable String ipv6Unavailable) {
        return open(api, ipv6Unavailable, requestTimeoutFromProperty(), DEFAULT_STOP_TIMEOUT_MILLIS);
    }

    /** Opens a transport; starts its first waiter. */
    public static WindowsTransport open(IcmpApi api, int requestTimeoutMillis, int stopTimeoutMillis) {
        return open(api, null, requestTimeoutMillis, stopTimeoutMillis);
    }

    /** Opens a transport (without IPv6 when {@code ipv6Unavailable} says why); starts its first waiter. */
    public static WindowsTransport open(IcmpApi api, @Nullable String ipv6Unavailable, int requestTimeoutMillis,
            int stopTimeoutMillis) {
        if (requestTimeoutMillis < 1 || stopTimeoutMillis < 0) {
            throw new IllegalArgumentException("requestTimeoutMillis must be positive, stopTimeoutMillis not negative");
        }
        Issuer.start();
        WindowsTransport t = new WindowsTransport(api, ipv6Unavailable, requestTimeoutMillis, stopTimeoutMillis);
        synchronized (t.waitersLock) {
            t.startWaiter(true);
        }
        return t;
    }

    static int requestTimeoutFromProperty() {
        String v = System.getProperty(REQUEST_TIMEOUT_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_REQUEST_TIMEOUT_MILLIS;
        }
        try {
            int ms = Integer.parseInt(v.trim());
            if (ms >= 1) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new TransportException(REQUEST_TIMEOUT_PROPERTY + " must be a positive number of milliseconds, was " + v);
    }

    int requestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    int stopTimeoutMillis() {
        return stopTimeoutMillis;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return capabilities;
    }

    @Override
    public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
        SessionOpening.requireOpen(NAME, closed, spec, listener);
        if (spec.protocol() != ProbeProtocol.ICMP) {
            throw new TransportException(NAME + " does not send " + spec.protocol() + " probes (ICMP echo only)");
        }
        if (spec.flowPolicy() != FlowPolicy.PER_PROBE) {
            throw new TransportException(NAME + " does not support the flow policy " + spec.flowPolicy()
                    + " (it supports PER_PROBE: Windows chooses each echo request's identifier and sequence number, "
                    + "so its checksum, and no flow can be held)");
        }
        if (spec.trafficClass() != 0) {
            // IP_OPTION_INFORMATION.Tos is documented as silently ignored: see the class comment
            throw new IllegalArgumentException(NAME + " does not mark its probes (traffic class "
                    + spec.trafficClass() + " asked for): it has no TRAFFIC_CLASS capability (Windows ignores "
                    + "IP_OPTION_INFORMATION.Tos, the ICMP API's only ToS field)");
        }
        int payload = spec.hasPayloadSize() ? spec.payloadSize() : EchoPayload.DEFAULT_SIZE;
        if (payload > MAX_PAYLOAD) {
            throw new IllegalArgumentException(NAME + ": payload size " + payload + " is out of range: 0 to "
                    + MAX_PAYLOAD + " data bytes (the ICMP API's limit)");
        }
        boolean ipv6 = spec.destination() instanceof Inet6Address;
        if (ipv6 && ipv6Unavailable != null) {
            throw new TransportException(NAME + " does not probe IPv6 destinations here: " + ipv6Unavailable);
        }
        long handle = ipv6 ? api.icmp6CreateFile() : api.icmpCreateFile();
        if (handle == Win32.INVALID_HANDLE_VALUE || handle == 0) {
            int error = api.lastError();
            throw new TransportException(NAME + ": " + (ipv6 ? "Icmp6CreateFile" : "IcmpCreateFile") + " failed: "
                    + IcmpStatus.describe(error));
        }
        WindowsSession session = new WindowsSession(this, api, spec.destination(), handle, payload, listener);
        sessions.add(session);
        return SessionOpening.unlessClosed(NAME, closed, session);
    }

    boolean isClosed() {
        return closed;
    }

    /** Hands a sent request to a waiter with room, starting one if all are full. */
    void watch(PendingEcho p) {
        Waiter target = null;
        synchronized (waitersLock) {
            if (stopped) {
                // The transport closed between this request's send and now: its session's handle is
                // closed, so Windows cancels it; wait for that here and release it (no waiter is left).
                int r = api.waitForSingleObject(p.event, stopTimeoutMillis);
                if (r == Win32.WAIT_OBJECT_0) {
                    p.session.completed(p, System.nanoTime());
                } else {
                    p.session.abandoned(p);
                    abandonedRequests(1, "not cancelled within " + stopTimeoutMillis + " ms of the transport closing");
                }
                return;
            }
            for (Waiter w : waiters) {
                if (w.reserved < Waiter.CAPACITY) {
                    target = w;
                    break;
                }
            }
            if (target == null) {
                target = startWaiter(waiters.isEmpty());
            }
            target.reserved++;
        }
        target.submit(p);
    }

    /** Guarded by {@link #waitersLock}. */
    private Waiter startWaiter(boolean permanent) {
        long wake = api.createEvent(false);
        if (wake == 0) {
            throw new TransportException(NAME + ": CreateEventW failed: " + IcmpStatus.describe(api.lastError()));
        }
        Waiter w = new Waiter(this, api, wake, permanent, threadPrefix + (++waiterNumber));
        waiters.add(w);
        w.start();
        return w;
    }

    /** A waiter let a request go (completed or abandoned). */
    void release(Waiter w) {
        synchronized (waitersLock) {
            w.reserved--;
        }
    }

    /** An idle waiter asks whether it may end: yes when it is not the permanent one and holds nothing. */
    boolean retire(Waiter w) {
        synchronized (waitersLock) {
            if (w.permanent() || w.reserved > 0) {
                return false;
            }
            waiters.remove(w);
            return true;
        }
    }

    /** A waiter's thread is ending (stopped, retired or failed): it takes no more requests. */
    void ended(Waiter w) {
        synchronized (waitersLock) {
            waiters.remove(w);
        }
    }

    void closed(WindowsSession session) {
        sessions.remove(session);
    }

    /** Always present: every answer found in a reply buffer is counted, {@code read == delivered + dropped}. */
    @Override
    public Optional<TransportCounters> counters() {
        return Optional.of(counters.snapshot());
    }

    /** Requests that ended without an answer with this status or error (IP_REQ_TIMED_OUT, ...): diagnostics. */
    long noAnswerCount(int code) {
        return counters.noAnswerCount(code);
    }

    long otherStatusCount(int status) {
        return counters.otherStatusCount(status);
    }

    long abandonedCount() {
        return counters.abandonedCount();
    }

    /** Live waiter threads (for tests). */
    int waiterCount() {
        synchronized (waitersLock) {
            return waiters.size();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (WindowsSession s : new ArrayList<>(sessions)) {
            s.close();
        }
        List<Waiter> stopping;
        synchronized (waitersLock) {
            stopped = true;
            stopping = new ArrayList<>(waiters);
        }
        for (Waiter w : stopping) {
            w.stop();
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stopTimeoutMillis + 5_000L);
        for (Waiter w : stopping) {
            if (w.thread() == Thread.currentThread()) {
                continue; // closed from a listener: this waiter ends when the listener returns
            }
            while (w.thread().isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(Level.WARNING, "{0}: waiter {1} did not end", NAME, w.thread().getName());
                    break;
                }
                try {
                    w.thread().join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void listenerFailed(Throwable t) {
        if (listenerFailureLogged.compareAndSet(false, true)) {
            LOG.log(Level.WARNING,
                    NAME + ": a ResponseListener threw (logged once per transport; listeners must not throw)", t);
        }
    }

    void waiterFailure(Throwable t) {
        LOG.log(Level.WARNING, NAME + ": unexpected failure on a waiter thread (ignored)", t);
    }

    void abandonedRequests(int n, String why) {
        LOG.log(Level.WARNING, "{0}: gave up {1} outstanding request(s): {2}; their events and reply buffers are "
                + "kept until they complete (the JVM''s exit waits for that, at most {3} ms)", NAME, n, why,
                String.valueOf(AbandonedRequests.EXIT_WAIT_CAP_MILLIS));
    }

    @Override
    public String toString() {
        return NAME + "[" + (closed ? "closed" : sessions.size() + " sessions") + ", " + counters + "]";
    }
}
