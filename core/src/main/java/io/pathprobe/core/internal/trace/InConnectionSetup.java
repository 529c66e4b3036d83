package io.pathprobe.core.internal.trace;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The connection of a trace asked to run inside one ({@link io.pathprobe.trace.TcpMode#IN_CONNECTION}). On the
 * set-up pool (opening the session connects, and may take up to the connect timeout, so never on the engine
 * loop) the transport with {@link TransportCapability#TCP_IN_CONNECTION} is chosen and its session opened;
 * the session then waits here until the trace begins on the loop and takes it. When it cannot be done (no
 * such transport usable here, the connection refused or unanswered, no SACK) the reason is kept for the note
 * of the SYN fallback. A session opened for a trace that ended before it began is closed when the trace
 * releases what it holds ({@link #release()}), whichever comes last.
 */
final class InConnectionSetup {
    private final AtomicReference<@Nullable ProbeSession> opened = new AtomicReference<>();
    private volatile TransportRegistry.@Nullable Choice choice;
    private volatile boolean released;

    /**
     * Chooses the transport and opens its session toward {@code dest}:{@code port}, off the loop.
     *
     * @return null once the session is open ({@link #choice()} and {@link #take()} have it), else why not
     */
    @Nullable String open(TransportRegistry registry, InetAddress dest, int port, Duration connectTimeout,
            ResponseListener listener) {
        if (choice != null && opened.get() != null) {
            return null; // asked again: the connection is open already (one per trace)
        }
        TransportRegistry.Choice c;
        try {
            c = registry.choose(List.of(ProbeProtocol.TCP), false, dest instanceof Inet6Address, FlowPolicy.FIXED, true,
                    TransportRegistry.Mode.OPEN, Set.of(TransportCapability.TCP_IN_CONNECTION));
        } catch (NoTransportAvailableException e) {
            String why = e.rejections().stream()
                    .filter(r -> r.reason() != NoTransportAvailableException.Reason.MISSING_CAPABILITY)
                    .map(r -> r.transport() + ": " + r.detail()).collect(Collectors.joining("; "));
            return why.isEmpty() ? "no transport here traces inside a connection" : why;
        }
        ProbeTransport transport = c == null ? null : c.transport();
        if (c == null || transport == null) {
            return "no transport opened to trace inside a connection";
        }
        ProbeSession session;
        try {
            session = transport.openSession(new SessionSpec(ProbeProtocol.TCP, dest, port, FlowPolicy.FIXED, 0)
                    .withConnectTimeout(connectTimeout), listener);
        } catch (RuntimeException e) { // TransportException: refused, no answer, no SACK; or a socket failure
            String m = e.getMessage();
            return m == null ? e.toString() : m;
        }
        choice = c;
        opened.set(session);
        if (released) { // the trace ended while the connection was being made
            closeOpened();
        }
        return null;
    }

    /** The transport whose session {@link #open} opened; null before, or when it failed. */
    TransportRegistry.@Nullable Choice choice() {
        return choice;
    }

    /** The session {@link #open} opened, handed over once (null afterwards, or when it is gone). */
    @Nullable ProbeSession take() {
        return opened.getAndSet(null);
    }

    /** The trace ended: a session it did not take is closed (its connection with it). */
    void release() {
        released = true;
        closeOpened();
    }

    private void closeOpened() {
        ProbeSession s = opened.getAndSet(null);
        if (s != null) {
            s.close();
        }
    }
}
