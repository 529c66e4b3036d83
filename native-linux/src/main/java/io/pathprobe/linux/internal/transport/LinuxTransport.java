package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.IoLoop;
import io.pathprobe.linux.internal.socket.LinuxLog;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.nativecommon.SessionOpening;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What the three Linux transports share: one {@link IoLoop} (one epoll thread, whatever the number
 * of sessions), one {@link ReceiveBuffer} used on it, the receive counters, the set of live
 * sessions, the checks of a session's spec against the capabilities, and the close protocol.
 */
abstract class LinuxTransport implements ProbeTransport {

    final LinuxTransportKind kind;
    final IoLoop loop;
    /** Used only on the I/O thread. */
    final ReceiveBuffer receiveBuffer;
    /** Used only on the I/O thread. */
    final InetAddresses addresses = new InetAddresses();
    /** What the receive path read, delivered and dropped; every message read is counted by one outcome. */
    final LinuxReceiveCounters counters = new LinuxReceiveCounters();
    /** {@link #loopFailure}, allocated once for the drain loops. */
    final Consumer<Throwable> loopFailures = new Consumer<>() { // a class: lambdas are made at first use
        @Override
        public void accept(Throwable t) {
            loopFailure(t);
        }
    };
    private final Set<LinuxSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();

    LinuxTransport(LinuxTransportKind kind) {
        this.kind = kind;
        this.loop = new IoLoop("pathprobe-" + kind.providerName());
        ReceiveBuffer buffer;
        try {
            buffer = new ReceiveBuffer();
        } catch (RuntimeException | Error e) {
            loop.shutdown();
            throw e;
        }
        this.receiveBuffer = buffer;
    }

    @Override
    public final String name() {
        return kind.providerName();
    }

    @Override
    public final Set<TransportCapability> capabilities() {
        return kind.capabilities();
    }

    @Override
    public final ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
        SessionOpening.requireOpen(name(), closed.get(), spec, listener);
        if (!capabilities().contains(TransportCapability.of(spec.protocol()))) {
            throw new TransportException(name() + " does not send " + spec.protocol() + " probes");
        }
        if (!capabilities().contains(TransportCapability.of(spec.flowPolicy()))) {
            throw new TransportException(name() + " does not support the flow policy " + spec.flowPolicy()
                    + " (it supports " + flowPolicies() + ")");
        }
        boolean ipv6 = spec.destination() instanceof Inet6Address;
        if (!capabilities().contains(ipv6 ? TransportCapability.IPV6 : TransportCapability.IPV4)) {
            throw new TransportException(name() + " does not probe " + (ipv6 ? "IPv6" : "IPv4") + " destinations ("
                    + spec.destination().getHostAddress() + ")");
        }
        if (spec.hasPayloadSize() && !capabilities().contains(TransportCapability.PAYLOAD_SIZE)) {
            if (spec.protocol() != io.pathprobe.probe.ProbeProtocol.TCP || spec.payloadSize() != 0) {
                throw new IllegalArgumentException(name() + " cannot send a payload of " + spec.payloadSize()
                        + " bytes: " + (spec.protocol() == io.pathprobe.probe.ProbeProtocol.TCP
                                ? "TCP SYN probes carry no data (payload size must be 0 or the default)"
                                : "it does not honour payload sizes (only the default)"));
            }
        }
        if (spec.trafficClass() != 0 && !capabilities().contains(TransportCapability.TRAFFIC_CLASS)) {
            throw new IllegalArgumentException(name() + " cannot mark its probes (traffic class "
                    + spec.trafficClass() + " asked for): it has no TRAFFIC_CLASS capability");
        }
        LinuxSession session = newSession(spec, listener);
        sessions.add(session);
        return SessionOpening.unlessClosed(name(), closed.get(), session);
    }

    /** Opens the socket (or identifier) of a session whose spec was checked against the capabilities. */
    abstract LinuxSession newSession(SessionSpec spec, ResponseListener listener);

    final boolean isClosed() {
        return closed.get();
    }

    /** A session's resources are gone. */
    final void disposed(LinuxSession session) {
        sessions.remove(session);
    }

    private String flowPolicies() {
        StringBuilder b = new StringBuilder();
        for (FlowPolicy p : FlowPolicy.values()) {
            if (capabilities().contains(TransportCapability.of(p))) {
                b.append(b.length() == 0 ? "" : ", ").append(p);
            }
        }
        return b.toString();
    }

    /** Always present: every message read is counted, {@code read == delivered + dropped}. */
    @Override
    public final Optional<TransportCounters> counters() {
        return Optional.of(counters.snapshot());
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (LinuxSession session : sessions) {
            session.closeAsync();
        }
        closeShared();
        boolean ended = loop.shutdown();
        if (ended) {
            // Disposals the loop accepted but did not run before it ended.
            for (LinuxSession session : new ArrayList<>(sessions)) {
                session.disposeIfReleased();
            }
            disposeSharedIfReleased();
            receiveBuffer.free();
        } else if (!loop.inLoop()) {
            LinuxLog.LOG.log(Level.WARNING,
                    "{0}: the I/O thread did not end within {1} ms; its native memory is not freed", name(),
                    IoLoop.TIMEOUT_MILLIS * 2);
        }
        // Closed on its own I/O thread: the receive buffer stays allocated (it is in use right now).
    }

    /** Undoes the constructor when a subclass constructor fails. */
    final void abandon() {
        closed.set(true);
        if (loop.shutdown()) {
            receiveBuffer.free();
        }
    }

    /** Closes what all sessions share (the raw socket); called once, before the loop shuts down. */
    void closeShared() {}

    /** After the I/O thread ended: disposes of shared resources released but not yet disposed of. */
    void disposeSharedIfReleased() {}

    final void listenerFailed(Throwable t) {
        if (listenerFailureLogged.compareAndSet(false, true)) {
            LinuxLog.LOG.log(Level.WARNING, name() + ": a ResponseListener threw (logged once per transport; "
                    + "listeners must not throw)", t);
        }
    }

    final void loopFailure(Throwable t) {
        counters.loopFailure();
        LinuxLog.LOG.log(Level.WARNING, name() + ": unexpected failure on the I/O thread (ignored)", t);
    }

    @Override
    public String toString() {
        return name() + "[" + (closed.get() ? "closed" : sessions.size() + " sessions") + ", " + counters + "]";
    }
}
