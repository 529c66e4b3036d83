package io.pathprobe.macos.internal;

import io.pathprobe.nativecommon.BoundedWait;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.ReceiveCounters;
import io.pathprobe.nativecommon.SessionOpening;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportCounters;
import io.pathprobe.spi.TransportException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * ICMP echo (and UDP) probes through macOS's unprivileged ICMP datagram sockets,
 * {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)} and {@code socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6)},
 * written against the {@link MacSockets} / {@link EventLoop} seam.
 *
 * <p>What xnu does with these sockets decides the design (bsd/netinet/ip_icmp.c,
 * bsd/netinet6/icmp6.c: {@code icmp_dgram_*}, {@code icmp6_dgram_*}): they are raw sockets without
 * the privilege check, restricted to sending echo (and timestamp, mask) requests. So
 * <ul>
 *   <li>the kernel keeps the identifier and, for IPv4, the checksum as written (rip_output computes
 *       none): this transport writes both. ICMPv6 checksums are always computed by the kernel (RFC 3542
 *       3.1), over the pseudo-header too;
 *   <li>every socket receives every ICMP message reaching the host (rip_input), answers to other
 *       programs' probes and to this transport's other sessions included: one socket per address
 *       family serves all sessions of a transport, and the transport demultiplexes by identifier
 *       (unique among its live sessions), then checks the destination and the session's cookie;
 *   <li>Time Exceeded and Destination Unreachable arrive on that socket like echo replies (there is
 *       no error queue), quoting the probe: IPv4 header, ICMP header, and usually the whole probe;
 *   <li>IPv4 datagrams come with their IP header (TTL: the reply TTL); ICMPv6 without (the hop limit
 *       comes as an IPV6_HOPLIMIT control message, IPV6_RECVHOPLIMIT being set).
 * </ul>
 *
 * <p>Per-probe TTL: setsockopt(IP_TTL / IPV6_UNICAST_HOPS) before sendto when it changes, under the
 * family socket's lock. Flows as on Linux's ping-socket transport: FIXED and EXPLICIT sessions hold the
 * checksum at {@link IcmpEchoFormat#flowChecksum} whatever the sequence (for IPv6 the compensation covers the
 * pseudo-header of the source the route lookup names: an IPv6 session opened without a route has its
 * flows shifted by a constant and its sent checksums UNKNOWN); PER_PROBE lets it change with the sequence.
 *
 * <p>Marking ({@code TransportCapability.TRAFFIC_CLASS}): a session's {@code SessionSpec.trafficClass()}
 * (the IPv4 ToS byte, the IPv6 traffic class: DSCP and ECN) is set with setsockopt IP_TOS (IPPROTO_IP, 3
 * on Darwin) or IPV6_TCLASS (IPPROTO_IPV6, 36), both allowed on ICMP datagram sockets by xnu
 * (icmp_dgram_ctloutput, icmp6_dgram_ctloutput). The family's shared ICMP socket carries one marking at a
 * time: it is set as a marked session opens (so a refusal fails openSession) and, like the TTL, again before
 * a send whenever it differs from the last one set, under the socket's lock. A UDP session marks its own
 * socket once, as it opens. The quoted header is not read back (no {@code QUOTED_HEADER}).
 *
 * <p>UDP probes (the same transport, {@code TransportCapability.UDP}): each session sends from its own
 * unprivileged UDP socket, and the Time Exceeded and port unreachables about them are read on the
 * family's ICMP socket, which sees every ICMP message of the host: an unconnected UDP socket is told
 * of no ICMP error, and macOS has no error queue. See {@link MacUdpSession} and {@link UdpCodec}.
 *
 * <p>Answers: {@code replyTtl} (IPv4 header TTL, IPv6 hop limit), for errors the quoted TTL, IPv4 ID,
 * checksum (NAT evidence with {@code sentChecksum}) and RFC 4884 extensions; {@code replyLength} is the
 * ICMP message's length. RTTs are user-space ({@link System#nanoTime()} after send and after recvmsg).
 */
public final class MacIcmpTransport implements ProbeTransport {
    static final System.Logger LOG = System.getLogger("io.pathprobe.macos");
    /** The transport's name (the provider's). */
    public static final String NAME = "macos-icmp-dgram";
    /** What it can do: {@link MacCapabilities#ALL}. */
    public static final Set<TransportCapability> CAPABILITIES = MacCapabilities.ALL;
    /** Messages read per readiness callback, so that a flood cannot starve tasks. */
    private static final int BUDGET = 64;
    private static final long BARRIER_MILLIS = 5_000;

    final MacSockets sockets;
    final EventLoop loop;
    final ReceiveCounters counters = new ReceiveCounters();
    private final Family v4;
    private final Family v6;
    private final ConcurrentHashMap<Integer, MacIcmpSession> byIdentifier = new ConcurrentHashMap<>();
    /** UDP sessions by local port, IPv6 ones offset by 0x10000. */
    private final ConcurrentHashMap<Integer, MacUdpSession> byPort = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();

    public MacIcmpTransport(MacPlatform platform) {
        this.sockets = platform.sockets();
        this.loop = platform.loops().apply("pathprobe-" + NAME);
        this.v4 = new Family(false);
        this.v6 = new Family(true);
    }

    /**
     * Whether ICMP datagram sockets can be opened here: opens and closes one (IPv4, else IPv6);
     * sends nothing.
     */
    public static Availability probe(MacSockets sockets) {
        MacSockets.NativeError v4;
        try {
            sockets.close(sockets.socket(Darwin.AF_INET, Darwin.SOCK_DGRAM, Darwin.IPPROTO_ICMP));
            return Availability.available();
        } catch (MacSockets.NativeError e) {
            v4 = e;
        }
        try {
            sockets.close(sockets.socket(Darwin.AF_INET6, Darwin.SOCK_DGRAM, Darwin.IPPROTO_ICMPV6));
            return Availability.available();
        } catch (MacSockets.NativeError e) {
            return Availability.unavailable(NAME + ": cannot open an ICMP datagram socket: "
                    + "socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP): " + Darwin.errnoName(v4.errno())
                    + ", socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6): " + Darwin.errnoName(e.errno())
                    + " (" + v4.getMessage() + ")", v4);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Optional<TransportCounters> counters() {
        return Optional.of(counters.snapshot());
    }

    @Override
    public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
        SessionOpening.requireOpen(NAME, closed.get(), spec, listener);
        if (spec.protocol() == ProbeProtocol.TCP) {
            throw new TransportException(NAME + " does not send " + spec.protocol()
                    + " probes (ICMP echo and UDP only)");
        }
        boolean ipv6 = spec.destination() instanceof Inet6Address;
        Family family = ipv6 ? v6 : v4;
        ProbeSession session;
        if (spec.protocol() == ProbeProtocol.UDP) {
            int payload = UdpCodec.payloadLength(spec.payloadSize(), NAME);
            if (spec.flowPolicy() == FlowPolicy.FIXED && spec.destinationPort() + spec.flow() > 0xffff) {
                throw new IllegalArgumentException(NAME + ": flow " + spec.flow() + " would need destination port "
                        + (spec.destinationPort() + spec.flow())
                        + " (UDP flows are destinationPort + flow, at most 65535)");
            }
            family.open();
            session = new MacUdpSession(this, family, spec, listener, payload);
        } else {
            int length = IcmpEchoFormat.length(spec.payloadSize(), NAME);
            family.open();
            session = new MacIcmpSession(this, family, spec, listener, length);
        }
        return SessionOpening.unlessClosed(NAME, closed.get(), session);
    }

    /** Picks an identifier no live session uses and maps it to {@code session}. */
    int allocate(MacIcmpSession session) {
        int start = ThreadLocalRandom.current().nextInt(0x10000);
        for (int i = 0; i < 0x10000; i++) {
            int id = (start + i) & 0xffff;
            if (byIdentifier.putIfAbsent(id, session) == null) {
                return id;
            }
        }
        throw new TransportException(NAME + ": all 65536 echo identifiers are in use by open sessions");
    }

    void release(MacIcmpSession session) {
        byIdentifier.remove(session.identifier, session);
    }

    /** Maps a UDP session's local port (per family); false if another live session has it. */
    boolean registerUdp(MacUdpSession session) {
        return byPort.putIfAbsent(portKey(session.family.ipv6, session.localPort), session) == null;
    }

    void release(MacUdpSession session) {
        byPort.remove(portKey(session.family.ipv6, session.localPort), session);
    }

    private static int portKey(boolean ipv6, int port) {
        return (ipv6 ? 0x10000 : 0) | port;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** setsockopt IP_TOS (IPv4) or IPV6_TCLASS (IPv6) on {@code fd}: how every probe from it is marked. */
    static void mark(MacSockets sockets, int fd, boolean ipv6, int trafficClass) throws MacSockets.NativeError {
        sockets.setsockopt(fd, ipv6 ? Darwin.IPPROTO_IPV6 : Darwin.IPPROTO_IP,
                ipv6 ? Darwin.IPV6_TCLASS : Darwin.IP_TOS, DarwinStructs.nativeInt(trafficClass));
    }

    /** What a failed marking says. */
    static String markingFailed(boolean ipv6, int trafficClass, MacSockets.NativeError e) {
        return NAME + ": cannot mark probes with " + (ipv6 ? "traffic class " : "ToS ") + trafficClass
                + (ipv6 ? " (setsockopt IPV6_TCLASS): " : " (setsockopt IP_TOS): ") + e.getMessage();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (MacIcmpSession s : new ArrayList<>(byIdentifier.values())) {
            s.markClosed();
        }
        for (MacUdpSession s : new ArrayList<>(byPort.values())) {
            s.markClosed();
        }
        loop.execute(() -> {
            v4.cancel();
            v6.cancel();
        });
        boolean ended = loop.shutdown();
        if (!ended && !loop.inLoop()) {
            LOG.log(Level.WARNING, "{0}: the I/O thread did not end in time; closing its sockets anyway", NAME);
        }
        v4.close();
        v6.close();
    }

    /** Waits (bounded) until the I/O thread has finished what it was doing; not on the I/O thread. */
    void barrier() {
        if (loop.inLoop()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        if (!loop.execute(done::countDown)) {
            return;
        }
        BoundedWait.await(done, BARRIER_MILLIS);
    }

    void listenerFailed(Throwable t) {
        if (listenerFailureLogged.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, NAME + ": a ResponseListener threw (logged once per transport)", t);
        }
    }

    /**
     * A session's {@code afterPendingAnswers}: runs {@code action} on the loop after reading {@code family}'s
     * socket to the end, or at once when the session or the transport is closed or the loop is gone.
     */
    void afterDrain(Family family, boolean sessionClosed, Runnable action) {
        Objects.requireNonNull(action, "action");
        if (sessionClosed || isClosed()) {
            action.run();
            return;
        }
        Runnable task = () -> {
            try {
                family.drain(Integer.MAX_VALUE);
            } catch (Throwable t) {
                loopFailure(t);
            }
            action.run();
        };
        if (loop.inLoop()) {
            task.run();
        } else if (!loop.execute(task)) {
            action.run();
        }
    }

    void loopFailure(Throwable t) {
        LOG.log(Level.WARNING, NAME + ": unexpected failure on the I/O thread (ignored)", t);
    }

    @Override
    public String toString() {
        return NAME + "[" + (closed.get() ? "closed" : byIdentifier.size() + " sessions") + ", " + counters + "]";
    }

    /** One address family's shared socket: opened with its first session, closed with the transport. */
    final class Family {
        final boolean ipv6;
        private final MacSockets.Received received = new MacSockets.Received(65536);
        /** Guarded by this: -1 until opened and once closed. */
        private int fd = -1;
        private boolean closedFamily;
        private int lastTtl = -1;
        /** Guarded by this: the marking the socket has (0, the kernel's default, when opened); -1 unknown. */
        private int lastTrafficClass;
        private volatile EventLoop.@Nullable Registration registration;

        Family(boolean ipv6) {
            this.ipv6 = ipv6;
        }

        /** Opens and registers the socket if not yet done. */
        synchronized void open() {
            if (fd >= 0) {
                return;
            }
            if (closedFamily) {
                throw new TransportException(NAME + ": transport is closed");
            }
            String what = ipv6 ? "socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6)"
                    : "socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)";
            int s;
            try {
                s = ipv6 ? sockets.socket(Darwin.AF_INET6, Darwin.SOCK_DGRAM, Darwin.IPPROTO_ICMPV6)
                        : sockets.socket(Darwin.AF_INET, Darwin.SOCK_DGRAM, Darwin.IPPROTO_ICMP);
            } catch (MacSockets.NativeError e) {
                throw new TransportException(NAME + ": cannot open " + what + ": " + e.getMessage(), e);
            }
            try {
                if (ipv6) {
                    sockets.setsockopt(s, Darwin.IPPROTO_IPV6, Darwin.IPV6_RECVHOPLIMIT, DarwinStructs.nativeInt(1));
                }
            } catch (MacSockets.NativeError e) {
                sockets.close(s);
                throw new TransportException(NAME + ": cannot configure " + what + ": " + e.getMessage(), e);
            }
            try {
                // it receives every ICMP message reaching the host: room for bursts (best effort)
                sockets.setsockopt(s, Darwin.SOL_SOCKET, Darwin.SO_RCVBUF, DarwinStructs.nativeInt(1 << 20));
                // the largest echo request (65515 bytes) must fit the send buffer, or sendto says EMSGSIZE
                sockets.setsockopt(s, Darwin.SOL_SOCKET, Darwin.SO_SNDBUF, DarwinStructs.nativeInt(1 << 17));
            } catch (MacSockets.NativeError e) {
                LOG.log(Level.DEBUG, "{0}: socket buffers not raised: {1}", NAME, e.getMessage());
            }
            try {
                registration = loop.register(s, this::onReadable);
            } catch (RuntimeException e) {
                sockets.close(s);
                throw e;
            }
            fd = s;
            lastTtl = -1;
            lastTrafficClass = 0;
        }

        /**
         * Sets the socket's marking to {@code trafficClass} if it has another (a marked session opening, or a
         * send): a refusal says so and leaves the marking unknown, to be set again next time.
         */
        synchronized void mark(int trafficClass) throws MacSockets.NativeError {
            if (fd < 0) {
                throw new IllegalStateException("transport is closed");
            }
            if (trafficClass != lastTrafficClass) {
                lastTrafficClass = -1;
                MacIcmpTransport.mark(sockets, fd, ipv6, trafficClass);
                lastTrafficClass = trafficClass;
            }
        }

        /** Sends {@code length} bytes with {@code ttl}, marked {@code trafficClass}; returns when (nanoTime). */
        synchronized long send(byte[] packet, int length, byte[] to, int ttl, int trafficClass)
                throws SendFailedException {
            if (fd < 0) {
                throw new IllegalStateException("transport is closed");
            }
            try {
                mark(trafficClass);
            } catch (MacSockets.NativeError e) {
                throw new SendFailedException(markingFailed(ipv6, trafficClass, e), false);
            }
            if (ttl != lastTtl) {
                try {
                    sockets.setsockopt(fd, ipv6 ? Darwin.IPPROTO_IPV6 : Darwin.IPPROTO_IP,
                            ipv6 ? Darwin.IPV6_UNICAST_HOPS : Darwin.IP_TTL, DarwinStructs.nativeInt(ttl));
                } catch (MacSockets.NativeError e) {
                    lastTtl = -1;
                    throw new SendFailedException(e.getMessage(), false);
                }
                lastTtl = ttl;
            }
            long sent = System.nanoTime();
            try {
                sockets.sendto(fd, packet, length, to);
            } catch (MacSockets.NativeError e) {
                throw new SendFailedException(e.getMessage(), Darwin.meansNoRoute(e.errno()));
            }
            return sent;
        }

        /** On the I/O thread: the socket is readable. */
        private void onReadable() {
            try {
                drain(BUDGET);
            } catch (Throwable t) { // never into the loop
                loopFailure(t);
            }
        }

        /** On the I/O thread: reads up to {@code budget} messages and hands each to its session. */
        void drain(int budget) {
            for (int i = 0; i < budget; i++) {
                int s;
                synchronized (this) {
                    s = fd;
                }
                if (s < 0) {
                    return;
                }
                boolean got;
                try {
                    got = sockets.recvmsg(s, received);
                } catch (MacSockets.NativeError e) {
                    loopFailure(e);
                    return;
                }
                if (!got) {
                    return;
                }
                long now = System.nanoTime();
                counters.read();
                DropReason outcome;
                try {
                    outcome = dispatch(received, now);
                } catch (RuntimeException e) {
                    loopFailure(e);
                    outcome = DropReason.MALFORMED;
                }
                counters.outcome(outcome);
            }
        }

        private @Nullable DropReason dispatch(MacSockets.Received r, long now) {
            IcmpCodec.Parsed parsed;
            if (ipv6) {
                InetAddress from = DarwinStructs.address(r.name, r.nameLength);
                if (from == null) {
                    return DropReason.MALFORMED;
                }
                parsed = IcmpCodec.parseV6(r.data, r.length, from,
                        DarwinStructs.control(r.control, r.controlLength).hopLimit());
            } else {
                parsed = IcmpCodec.parseV4(r.data, r.length);
            }
            IcmpCodec.Message m = parsed.message();
            if (m == null) {
                return Objects.requireNonNull(parsed.drop());
            }
            if (m.protocol() == IcmpCodec.UDP) {
                MacUdpSession udp = byPort.get(portKey(ipv6, m.identifier()));
                return udp == null || udp.family != this ? DropReason.UNRELATED : udp.accept(m, now);
            }
            MacIcmpSession session = byIdentifier.get(m.identifier());
            if (session == null || session.family != this) {
                return DropReason.UNRELATED;
            }
            return session.accept(m, now);
        }

        /** On the I/O thread: no more callbacks. */
        void cancel() {
            EventLoop.Registration reg = registration;
            registration = null;
            if (reg != null) {
                try {
                    reg.cancel();
                } catch (RuntimeException e) {
                    // the loop is going away: closing the descriptor ends its registration anyway
                }
            }
        }

        synchronized void close() {
            closedFamily = true;
            if (fd >= 0) {
                sockets.close(fd);
                fd = -1;
            }
        }
    }

}
