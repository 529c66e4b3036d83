package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpQuote;
import io.pathprobe.linux.internal.codec.InConnectionKey;
import io.pathprobe.linux.internal.codec.InConnectionProbes;
import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.codec.QuotedHeaders;
import io.pathprobe.linux.internal.codec.RawPackets;
import io.pathprobe.linux.internal.codec.UdpProbes;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.net.Inet6Address;
import java.util.List;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * linux-tcp-in-connection: TCP probes inside an established connection (0trace, intrace, Datadog's SACK
 * mode). Needs CAP_NET_RAW.
 *
 * <h2>A session</h2>
 * Opening a session opens a real kernel connection to the destination port and learns its sequence state
 * from the SYN-ACK ({@link TcpConnection}); it fails, saying why, when the connection cannot be used (the
 * engine then traces with SYN probes). Probe {@code n} is a one-byte segment of that connection (its
 * addresses, ports and flow label, the acknowledgment and timestamps a segment of it would carry) at
 * sequence number {@code snd_nxt + 2 + 2n}, written whole (IP header included) at the probe's TTL and sent
 * through a shared IPPROTO_RAW socket, its IPv4 identification {@code (n + 1) × key} with a key random per
 * session ({@link PortKey#ipId(int, int)}); why the connection and the service never see a probe byte is in
 * {@link InConnectionProbes}. Probe numbers run from 0 to at most 1,023 (the probe bytes stay within half the
 * destination's window). Closing the session closes the connection with a FIN.
 *
 * <h2>Answers</h2>
 * A router's Time Exceeded (or unreachable) is read on the transport's raw ICMP and ICMPv6 sockets, found by
 * the quoted source port (each session's connection has a port of its own) and checked whole against the
 * probe ({@link InConnectionProbes#matchQuote}: the number from the quoted sequence number, the keyed IPv4
 * identification, every quoted byte as that probe's last send carried it; IPv6 needs 18 bytes at least). The
 * destination answers a probe that reached it with a duplicate ACK whose first SACK block is the probe's
 * byte: {@link ResponseKind#TCP_ACK}, read on the connection's own raw TCP socket (kernel timestamps). Linux
 * may compress those ACKs (after three duplicate ACKs it holds one back for up to a millisecond, RTT/20 at
 * most, and sends the latest blocks together); so the further blocks of an ACK also answer the probes they
 * name when those were sent once and not yet answered, a late answer rather than a lost one. A number sent
 * again (a long trace reusing numbers) is answered only by a pure ACK's first block, which its new segment
 * triggered. An ICMP error's answer carries the probe's headers as sent and as the router quoted them
 * ({@link QuotedHeaders}).
 *
 * <h2>Marking</h2>
 * The probes carry {@link SessionSpec#trafficClass()} in the IP header the transport writes (ECN bits
 * included); the kernel connection's own segments (handshake, FIN) are not marked.
 */
final class InConnectionTransport extends PortTableTransport<InConnectionTransport.ConnectionTarget> {
    /** A session as the ICMP receive path sees it. */
    interface ConnectionTarget {
        InConnectionKey key();

        /** The IPv4 ToS byte / IPv6 traffic class of the session's probes. */
        default int trafficClass() {
            return 0;
        }

        /** Hands the answer to the session's listener: null, or why not. */
        @Nullable DropReason accept(ProbeResponse response);
    }

    private final RawSocketSet sockets;
    /** A probe as sent, rebuilt to check a quote against (I/O thread only). */
    private final byte[] expected = new byte[64];

    InConnectionTransport() {
        super(LinuxTransportKind.TCP_IN_CONNECTION);
        sockets = openSockets(Abi.IPPROTO_TCP, opened -> {}, opened -> {});
    }

    @Override
    RawSocketSet sockets() {
        return sockets;
    }

    /** Connects first (on the caller's thread, at most the spec's connect timeout): may block. */
    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        boolean ipv6 = spec.destination() instanceof Inet6Address;
        RawSocket sender = sockets.sender(ipv6, name());
        TcpConnection.Opened opened = TcpConnection.open(this, spec.destination(), spec.destinationPort(),
                spec.connectTimeout());
        Session session;
        try {
            session = new Session(spec, listener, sender, opened.connection(), opened.key());
        } catch (RuntimeException | Error e) {
            opened.connection().close();
            throw e;
        }
        if (!table(ipv6).compareAndSet(opened.key().localPort, null, session)) {
            session.close(); // cannot happen: the connection's socket holds its port
            throw new TransportException(name() + ": port " + opened.key().localPort
                    + " is already in use by a session");
        }
        opened.connection().deliverTo(session);
        return session;
    }

    private final class Session extends LinuxSession implements ConnectionTarget, TcpConnection.Segments {
        private final boolean ipv6;
        private final RawSocket sender;
        private final TcpConnection connection;
        private final InConnectionKey key;
        private final int header;
        /** The probe being sent (sending thread only). */
        private final byte[] segment;
        /** SACK block edges and the probes they answer (I/O thread only). */
        private final int[] edges = new int[8];
        private final int[] slots = new int[4];
        /** The destination reset the connection, or closed it (its answers end there: RST, or no SACK). */
        private volatile boolean reset;
        private volatile boolean finished;

        Session(SessionSpec spec, ResponseListener listener, RawSocket sender, TcpConnection connection,
                InConnectionKey key) {
            super(InConnectionTransport.this, spec, listener, key.maxSlot, 0, new SendBuffer(spec.destination(), 0,
                    RawPackets.headerLength(key.ipv6) + key.segmentLength));
            this.ipv6 = key.ipv6;
            this.sender = sender;
            this.connection = connection;
            this.key = key;
            this.header = RawPackets.headerLength(ipv6);
            this.segment = new byte[key.segmentLength];
            RawPackets.writeHeader(sendBuffer.packet(), ipv6, trafficClass, Abi.IPPROTO_TCP, key.segmentLength,
                    key.source, key.destinationBytes);
        }

        @Override
        public InConnectionKey key() {
            return key;
        }

        @Override
        public int trafficClass() {
            return trafficClass;
        }

        @Override
        long send0(int sequence, int ttl, int flow) throws SendFailedException {
            int ack = connection.acknowledgment(key);
            int tsVal = key.timestamps ? connection.tsVal() : 0;
            int checksum = InConnectionProbes.fill(segment, key, sequence, ack, tsVal);
            key.recordSend(sequence, ack, tsVal, checksum); // before it leaves: its answer may be quick
            Pointer p = sendBuffer.packet();
            p.put(header, segment, 0, key.segmentLength);
            RawPackets.setTtl(p, ipv6, ttl);
            if (!ipv6) {
                RawPackets.setIpId(p, PortKey.ipId(key.ipIdKey, sequence));
            }
            return sender.send(sendBuffer, ttl);
        }

        /**
         * On the I/O thread: a segment of the connection from the destination. A duplicate ACK whose SACK blocks
         * name probe bytes answers those probes ({@link InConnectionProbes#answered}); anything else (the
         * destination's data, its FIN, a RST) is the connection's own traffic.
         */
        @Override
        public @Nullable DropReason onSegment(ReceiveBuffer buffer, Pointer d, int tcp, int length, int replyTtl) {
            int flags = d.getByte(tcp + 13) & 0xff;
            if ((flags & InConnectionProbes.RST) != 0) {
                reset = true;
            } else if ((flags & InConnectionProbes.FIN) != 0) {
                finished = true;
            }
            int n = InConnectionProbes.answered(d, tcp, length, key, edges, slots);
            DropReason outcome = DropReason.UNRELATED;
            boolean delivered = false;
            for (int i = 0; i < n; i++) {
                DropReason r = accept(new ProbeResponse(slots[i], ResponseKind.TCP_ACK, ProbeResponse.UNKNOWN,
                        ProbeResponse.UNKNOWN, destination.address, buffer.timestampNanos(), replyTtl,
                        ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, key.checksum(slots[i]),
                        List.of(), length - tcp));
                if (r == null) {
                    delivered = true;
                } else if (!delivered) {
                    outcome = r;
                }
            }
            return delivered ? null : outcome;
        }

        @Override
        void drainPending() {
            drainAll();
            connection.drain();
        }

        @Override
        void onClose() {
            table(ipv6).compareAndSet(key.localPort, this, null);
        }

        @Override
        void disposeResources() {
            connection.close();
        }

        @Override
        public String toString() {
            return name() + " session[" + key + (reset ? ", reset by the destination" : finished
                    ? ", closed by the destination" : "") + (guard.isClosed() ? ", closed]" : "]");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // receive path (I/O thread)

    @Override
    @Nullable DropReason onQuote(ReceiveBuffer buffer, IntFunction<@Nullable ConnectionTarget> byPort) {
        return onQuote(quote, buffer.data(), buffer.timestampNanos(), byPort, addresses, expected);
    }

    /**
     * An ICMP error parsed into {@code q}: hands it to the session whose probe it quotes and returns null, or
     * returns why not. Pure (no socket); {@code scratch} holds a probe.
     */
    static @Nullable DropReason onQuote(IcmpQuote q, Pointer d, long receivedNanos,
            IntFunction<@Nullable ConnectionTarget> byPort, InetAddresses addresses, byte[] scratch) {
        if (q.protocol != Abi.IPPROTO_TCP) {
            return DropReason.UNRELATED; // about other traffic
        }
        ConnectionTarget t = byPort.apply(q.transportShort(d, 0));
        if (t == null) {
            return DropReason.UNRELATED;
        }
        InConnectionKey k = t.key();
        if (!q.quotedDestinationIs(d, k.destination)) {
            return DropReason.UNRELATED;
        }
        int slot = InConnectionProbes.matchQuote(q, d, k, scratch);
        if (slot == UdpProbes.TOO_SHORT) {
            return DropReason.QUOTE_TOO_SHORT;
        }
        if (slot < 0) {
            return DropReason.UNRELATED; // not a probe of the session, or not as it was sent
        }
        io.pathprobe.probe.PacketHeader sent = QuotedHeaders.inConnection(k, t.trafficClass(), slot, k.checksum(slot));
        return t.accept(new ProbeResponse(slot, q.kind, q.type, q.code, q.responder(addresses), receivedNanos,
                q.replyTtl, q.quotedTtl, q.quotedIpId, q.transportShort(d, 16), k.checksum(slot), q.extensions(d),
                q.icmpLength, q.mtu, sent, QuotedHeaders.quoted(q, d, sent)));
    }
}
