package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.IoLoop;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.linux.internal.socket.UseGuard;
import io.pathprobe.nativecommon.BoundedWait;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * What every Linux session shares: argument checks, the send guard, delivery to the listener and
 * the close protocol, and the flow of each probe.
 *
 * <p>Flows: the transport's {@link LinuxTransport#openSession} has checked the policy against its
 * capabilities. {@link FlowPolicy#FIXED} sends every probe with the spec's flow,
 * {@link FlowPolicy#EXPLICIT} with the probe's own (0 to {@link #maxFlow()}), and
 * {@link FlowPolicy#PER_PROBE} leaves it to the subclass (flow 0 is passed).
 *
 * <p>Closing: {@link #close()} closes the {@link UseGuard}; once no send is in progress, the
 * session's resources are disposed of on the I/O thread (after whatever it is doing for this
 * session), and {@code close()} returns when that is done. So after {@code close()} returns, the
 * listener is not called again, and a file descriptor number can never be reused under a send.
 * Called on the I/O thread itself (from a listener), it disposes of the session before the thread
 * touches it again, without waiting.
 */
abstract class LinuxSession implements ProbeSession {
    final LinuxTransport transport;
    final Destination destination;
    final SendBuffer sendBuffer;
    /** The IPv4 ToS byte / IPv6 traffic class every probe carries ({@link SessionSpec#trafficClass()}). */
    final int trafficClass;
    final UseGuard guard = new UseGuard(new Runnable() { // a class: a lambda is generated at first use
        @Override
        public void run() {
            released();
        }
    });
    private final ResponseListener listener;
    private final int maxSequence;
    private final FlowPolicy flowPolicy;
    private final int sessionFlow;
    private final int maxFlow;
    private final CountDownLatch disposedLatch = new CountDownLatch(1);
    private final AtomicBoolean disposed = new AtomicBoolean();
    private volatile boolean released;

    /**
     * @param explicitFlows the largest flow of an {@link FlowPolicy#EXPLICIT} session (ignored for
     *     the other policies, whose {@link #maxFlow()} is 0)
     */
    LinuxSession(LinuxTransport transport, SessionSpec spec, ResponseListener listener, int maxSequence,
            int explicitFlows, SendBuffer sendBuffer) {
        this.transport = transport;
        this.destination = new Destination(spec.destination());
        this.listener = listener;
        this.maxSequence = maxSequence;
        this.flowPolicy = spec.flowPolicy();
        this.sessionFlow = spec.flowPolicy() == FlowPolicy.FIXED ? spec.flow() : 0;
        this.maxFlow = spec.flowPolicy() == FlowPolicy.EXPLICIT ? explicitFlows : 0;
        this.sendBuffer = sendBuffer;
        this.trafficClass = spec.trafficClass();
    }

    @Override
    public final int maxSequence() {
        return maxSequence;
    }

    @Override
    public final int maxFlow() {
        return maxFlow;
    }

    @Override
    public final long send(ProbeSpec probe) throws SendFailedException {
        Objects.requireNonNull(probe, "probe");
        int sequence = probe.sequence(); // ProbeSpec checked sign and TTL range
        if (sequence > maxSequence) {
            throw new IllegalArgumentException("sequence must be 0.." + maxSequence + ", was " + sequence);
        }
        if (probe.flow() > maxFlow) {
            throw new IllegalArgumentException("flow must be 0.." + maxFlow + " in a " + flowPolicy
                    + " session, was " + probe.flow());
        }
        int flow = flowOf(probe);
        boolean pathMtu = probe.sized() || probe.dontFragment();
        if (pathMtu && !transport.capabilities().contains(io.pathprobe.spi.TransportCapability.PATH_MTU)) {
            throw new IllegalArgumentException(transport.name() + " sends no probes of a size of their own or with DF"
                    + " chosen per probe (no PATH_MTU capability): " + probe);
        }
        if (!guard.enter()) {
            throw new IllegalStateException(transport.isClosed() ? "transport is closed" : "session is closed");
        }
        try {
            return pathMtu ? sendSized(sequence, probe.ttl(), flow, probe.size(), probe.dontFragment())
                    : send0(sequence, probe.ttl(), flow);
        } finally {
            guard.exit();
        }
    }

    /**
     * Sends the leading probes of the batch that need nothing of their own (no size, no DF chosen per probe) with one
     * sendmmsg(2) where the session {@linkplain #batches() batches} (its own socket: {@link SocketSession}), up to
     * {@value SendBuffer#BATCH} of them; else, and for a first probe that does need more, one by one as {@link #send}.
     * Each probe's send time is CLOCK_REALTIME read right before the system call that sent it.
     */
    @Override
    public final int sendBatch(List<ProbeSpec> probes, long[] sentNanos, @Nullable SendFailedException[] failures) {
        int n = Math.min(probes.size(), SendBuffer.BATCH);
        if (!batches() || n < 2 || sentNanos.length < n || failures.length < n) {
            return ProbeSession.super.sendBatch(probes, sentNanos, failures);
        }
        int plain = 0;
        while (plain < n && plain(probes.get(plain))) {
            plain++;
        }
        if (plain < 2) { // the first needs more than a batch gives, or is refused: as send() says
            return ProbeSession.super.sendBatch(probes.subList(0, 1), sentNanos, failures);
        }
        if (!guard.enter()) {
            throw new IllegalStateException(transport.isClosed() ? "transport is closed" : "session is closed");
        }
        try {
            int staged = 0;
            for (; staged < plain; staged++) {
                ProbeSpec p = probes.get(staged);
                try {
                    stage(staged, p.sequence(), p.ttl(), flowOf(p));
                } catch (SendFailedException e) { // this one cannot be made (nothing sent): the ones before go
                    failures[staged] = e;
                    break;
                }
            }
            int handled = staged > 0 ? sendStaged(staged, sentNanos, failures) : 0;
            return handled < staged ? handled : staged < plain ? staged + 1 : plain;
        } finally {
            guard.exit();
        }
    }

    /** Whether {@link #send} would take the probe as it is, with nothing of its own (a size, DF per probe). */
    private boolean plain(ProbeSpec probe) {
        return probe.sequence() <= maxSequence && probe.flow() <= maxFlow && !probe.sized() && !probe.dontFragment();
    }

    private int flowOf(ProbeSpec probe) {
        return flowPolicy == FlowPolicy.EXPLICIT ? probe.flow() : sessionFlow;
    }

    /** Whether the session sends batches with one system call ({@link #stage}, {@link #sendStaged}). */
    boolean batches() {
        return false;
    }

    /**
     * With the guard held: prepares the probe as {@link #send0} would and stages it in slot {@code slot} of the send
     * buffer's batch.
     *
     * @throws SendFailedException when the probe cannot be made (nothing staged)
     */
    void stage(int slot, int sequence, int ttl, int flow) throws SendFailedException {
        throw new UnsupportedOperationException(this + " sends no batches");
    }

    /** With the guard held: sends the first {@code count} staged slots; how many it handled (SendBuffer.sendStaged). */
    int sendStaged(int count, long[] sentNanos, @Nullable SendFailedException[] failures) {
        throw new UnsupportedOperationException(this + " sends no batches");
    }

    /** Sends with the guard held: the session's native resources are alive. */
    abstract long send0(int sequence, int ttl, int flow) throws SendFailedException;

    /**
     * Sends a path MTU probe ({@link io.pathprobe.spi.TransportCapability#PATH_MTU}) with the guard held:
     * {@code size} bytes of IP packet ({@link ProbeSpec#DEFAULT_SIZE} for the session's own), DF as asked.
     * By default refused: sessions of a transport with PATH_MTU that can do it override this.
     *
     * @throws SendFailedException as {@link #send0}, and {@link SendFailedException#tooBig} when a DF probe is
     *     larger than the first link's MTU
     */
    long sendSized(int sequence, int ttl, int flow, int size, boolean dontFragment) throws SendFailedException {
        throw new IllegalArgumentException(this + " cannot send probes of a size of their own or DF per probe");
    }

    /**
     * Refuses, as the kernel would with EMSGSIZE and without a system call, a DF probe of {@code size}
     * bytes larger than the MTU of the device toward the destination (looked up once per session).
     */
    final void requireFitsFirstLink(int size) throws SendFailedException {
        int mtu = firstLinkMtu;
        if (mtu == 0) {
            mtu = Sockets.deviceMtu(destination.address, sendBuffer.scratch());
            firstLinkMtu = mtu;
        }
        if (mtu > 0 && size > mtu) {
            throw SendFailedException.tooBig("sendmsg: EMSGSIZE (a " + size + "-byte probe that must not be fragmented,"
                    + " beyond the " + mtu + "-byte MTU of the first link)", mtu);
        }
    }

    /** The first link's MTU: 0 until looked up, -1 if unknown. Sending thread only. */
    private int firstLinkMtu;
    /**
     * The buffer of path MTU probes larger than the session's own packet: made on first use, freed with the session.
     */
    private volatile @Nullable SendBuffer sizedBuffer;

    /**
     * The send buffer for path MTU probes larger than {@link #sendBuffer}'s packet ({@link SendBuffer#MAX_PACKET}
     * bytes, to {@code port}), made on the first call (sending thread) and freed with the session; {@code init}
     * prepares it once.
     */
    final SendBuffer sizedBuffer(int port, java.util.function.Consumer<SendBuffer> init) {
        SendBuffer b = sizedBuffer;
        if (b == null) {
            b = new SendBuffer(destination.address, port, SendBuffer.MAX_PACKET);
            try {
                init.accept(b);
            } catch (RuntimeException | Error e) {
                b.free();
                throw e;
            }
            sizedBuffer = b;
        }
        return b;
    }

    /**
     * Runs {@code action} on the I/O thread after reading, to the end, whatever the kernel has
     * queued for this session (its socket's data and error queues; the shared raw socket), so
     * every answer that had arrived when this was called has been delivered first. An answer that
     * waits in a socket while the I/O thread is busy is thereby never mistaken for a loss. On a
     * closed session, or once the transport's thread is gone, the action runs at once.
     */
    @Override
    public final void afterPendingAnswers(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (guard.isClosed()) {
            action.run();
            return;
        }
        Runnable task = () -> {
            try {
                drainPending();
            } catch (Throwable t) { // never into the loop
                transport.loopFailure(t);
            }
            try {
                action.run();
            } catch (Throwable t) {
                transport.loopFailure(t);
            }
        };
        if (transport.loop.inLoop()) {
            task.run();
        } else if (!transport.loop.execute(task)) {
            action.run();
        }
    }

    /** On the I/O thread: reads everything queued for this session now, delivering the answers. */
    abstract void drainPending();

    @Override
    public final void close() {
        closeAsync();
        if (!transport.loop.inLoop()) {
            BoundedWait.await(disposedLatch, IoLoop.TIMEOUT_MILLIS);
        }
    }

    /** Starts closing; the resources go as soon as no send uses them. */
    final void closeAsync() {
        if (guard.close()) {
            onClose();
        }
    }

    /** Called once, by the thread that closed the session, before its resources are released. */
    void onClose() {}

    /** The guard's release: nothing uses the session any more. Dispose of it on the I/O thread. */
    private void released() {
        released = true;
        if (transport.loop.inLoop() || !transport.loop.execute(this::dispose)) {
            dispose(); // the I/O thread is gone (or is this thread): nobody else can touch the session
        }
    }

    /** After the I/O thread ended: disposes of the session if it was released but never disposed of. */
    final void disposeIfReleased() {
        if (released) {
            dispose();
        }
    }

    private void dispose() {
        if (!disposed.compareAndSet(false, true)) {
            return;
        }
        try {
            disposeResources();
        } catch (RuntimeException e) {
            transport.loopFailure(e);
        } finally {
            sendBuffer.free();
            SendBuffer sized = sizedBuffer;
            if (sized != null) {
                sized.free();
            }
            transport.disposed(this);
            disposedLatch.countDown();
        }
    }

    /** Releases what the subclass owns (socket, registration, identifier). Runs once. */
    abstract void disposeResources();

    /**
     * Hands an answer to the listener, on the I/O thread; returns null when it did, else why not:
     * the session is closing ({@link DropReason#SESSION_CLOSED}), the sequence is not one of the
     * session's ({@link DropReason#UNRELATED}), or the listener threw
     * ({@link DropReason#LISTENER_FAILED}: logged, never propagated into the loop). The receive paths' target
     * interfaces ({@code EchoTarget}, {@code PortTarget}, {@code ConnectionTarget}) name this method.
     */
    public final @Nullable DropReason accept(ProbeResponse response) {
        if (guard.isClosed()) {
            return DropReason.SESSION_CLOSED;
        }
        if (response.sequence() > maxSequence) {
            return DropReason.UNRELATED;
        }
        try {
            listener.onResponse(response);
            return null;
        } catch (Throwable t) { // a listener must not break the I/O thread, whatever it throws
            transport.listenerFailed(t);
            return DropReason.LISTENER_FAILED;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + destination + (guard.isClosed() ? ", closed]" : "]");
    }
}
