package io.pathprobe.macos.internal;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A UDP session: its own unprivileged UDP socket (bound to the route's source address, so the
 * checksum the kernel computes is known and steered to carry the probe number, {@link UdpCodec}),
 * with the ICMP errors about its probes read on the family's ICMP socket, which sees every ICMP
 * message of the host. The UDP socket itself is never read: an unconnected UDP socket is told of
 * no ICMP error. A marked session ({@code SessionSpec.trafficClass()}) sets IP_TOS / IPV6_TCLASS on its
 * socket as it opens.
 */
final class MacUdpSession extends MacSession {
    final int localPort;
    private final int firstPort;
    private final int maxSequence;
    private final int maxFlow;
    private final byte[] payload;
    private final @Nullable InetAddress source;
    private final int baseSum;
    /** Guarded by this: -1 once closed. */
    private int fd;
    private int lastTtl = -1;

    MacUdpSession(MacIcmpTransport transport, MacIcmpTransport.Family family, SessionSpec spec,
            ResponseListener listener,
            int payloadLength) {
        super(transport, family, spec, listener);
        this.firstPort = spec.destinationPort();
        int portsLeft = 0xffff - firstPort;
        this.maxSequence = policy == FlowPolicy.PER_PROBE ? Math.min(0xfffe, portsLeft) : 0xfffe;
        this.maxFlow = policy == FlowPolicy.EXPLICIT ? portsLeft : 0;
        this.payload = UdpCodec.payload(payloadLength, cookie);
        InetAddress src = transport.sockets.routeSource(destination);
        this.source = src != null && (src instanceof Inet6Address) == family.ipv6 ? src : null;
        MacSockets sockets = transport.sockets;
        String what = MacIcmpTransport.NAME + ": cannot open a UDP session to " + destination.getHostAddress();
        int s;
        try {
            s = sockets.socket(family.ipv6 ? Darwin.AF_INET6 : Darwin.AF_INET,
                    Darwin.SOCK_DGRAM, Darwin.IPPROTO_UDP);
        } catch (MacSockets.NativeError e) {
            throw new TransportException(what + ": " + e.getMessage(), e);
        }
        try {
            // a datagram longer than the send buffer (net.inet.udp.maxdgram, 9216 by default) is EMSGSIZE
            sockets.setsockopt(s, Darwin.SOL_SOCKET, Darwin.SO_SNDBUF,
                    DarwinStructs.nativeInt(Math.max(9216, UdpCodec.HEADER + payloadLength + 1024)));
        } catch (MacSockets.NativeError e) {
            MacIcmpTransport.LOG.log(Level.DEBUG, "{0}: UDP send buffer not raised: {1}",
                    MacIcmpTransport.NAME, e.getMessage());
        }
        if (spec.trafficClass() != 0) {
            try {
                MacIcmpTransport.mark(sockets, s, family.ipv6, spec.trafficClass());
            } catch (MacSockets.NativeError e) {
                sockets.close(s);
                throw new TransportException(MacIcmpTransport.markingFailed(family.ipv6, spec.trafficClass(), e), e);
            }
        }
        int port;
        try {
            InetAddress bindTo = source;
            if (bindTo == null) {
                bindTo = InetAddress.getByAddress(new byte[family.ipv6 ? 16 : 4]);
            }
            sockets.bind(s, DarwinStructs.sockaddr(bindTo, 0));
            byte[] name = new byte[DarwinStructs.SOCKADDR_IN6];
            int n = sockets.getsockname(s, name);
            if (n < 4) {
                throw new MacSockets.NativeError("getsockname", Darwin.EINVAL, "no port");
            }
            port = IcmpCodec.getShort(name, 2);
        } catch (MacSockets.NativeError | java.net.UnknownHostException e) {
            sockets.close(s);
            throw new TransportException(what + ": " + e.getMessage(), e);
        }
        this.fd = s;
        this.localPort = port;
        this.baseSum = source == null ? 0 : UdpCodec.baseSum(payload, source, destination, port);
        if (!transport.registerUdp(this)) {
            sockets.close(s);
            throw new TransportException(what + ": local port " + port + " is already used by another session");
        }
    }

    @Override
    public int maxSequence() {
        return maxSequence;
    }

    @Override
    public int maxFlow() {
        return maxFlow;
    }

    @Override
    public long send(ProbeSpec probe) throws SendFailedException {
        int sequence = checkSend(probe);
        if (source == null) {
            throw new SendFailedException("no route to " + destination.getHostAddress()
                    + " when the session opened: the source address the UDP checksum covers is unknown", true);
        }
        int port = firstPort + switch (policy) {
            case PER_PROBE -> sequence;
            case EXPLICIT -> probe.flow();
            case FIXED -> fixedFlow;
        };
        UdpCodec.setProbe(payload, baseSum, port, sequence);
        byte[] to = DarwinStructs.sockaddr(destination, port);
        synchronized (this) {
            if (fd < 0) {
                throw new IllegalStateException("session is closed");
            }
            MacSockets sockets = transport.sockets;
            if (probe.ttl() != lastTtl) {
                try {
                    sockets.setsockopt(fd, family.ipv6 ? Darwin.IPPROTO_IPV6 : Darwin.IPPROTO_IP,
                            family.ipv6 ? Darwin.IPV6_UNICAST_HOPS : Darwin.IP_TTL,
                            DarwinStructs.nativeInt(probe.ttl()));
                } catch (MacSockets.NativeError e) {
                    lastTtl = -1;
                    throw new SendFailedException(e.getMessage(), false);
                }
                lastTtl = probe.ttl();
            }
            long sent = System.nanoTime();
            try {
                sockets.sendto(fd, payload, payload.length, to);
            } catch (MacSockets.NativeError e) {
                throw new SendFailedException(e.getMessage(), Darwin.meansNoRoute(e.errno()));
            }
            return sent;
        }
    }

    /** On the I/O thread: an ICMP error quoting a UDP datagram from this session's port. */
    @Nullable DropReason accept(IcmpCodec.Message m, long receivedNanos) {
        if (closed) {
            return DropReason.SESSION_CLOSED;
        }
        if (quotesAnother(m)) {
            return DropReason.UNRELATED;
        }
        int offset = m.sequence() - firstPort; // the quoted destination port
        int sequence;
        switch (policy) {
            case PER_PROBE -> sequence = offset;
            case EXPLICIT -> sequence = offset >= 0 && offset <= maxFlow ? m.quotedChecksum() - 1 : -1;
            default -> sequence = offset == fixedFlow ? m.quotedChecksum() - 1 : -1;
        }
        if (sequence < 0 || sequence > maxSequence) {
            return DropReason.UNRELATED;
        }
        return deliver(m, sequence, UdpCodec.checksum(sequence), receivedNanos);
    }

    @Override
    void markClosed() {
        closed = true;
        transport.release(this);
        synchronized (this) {
            if (fd >= 0) {
                transport.sockets.close(fd);
                fd = -1;
            }
        }
    }

    @Override
    public String toString() {
        return MacIcmpTransport.NAME + " UDP session[" + destination.getHostAddress() + ", port " + localPort
                + (closed ? ", closed]" : "]");
    }
}
