package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.spi.TransportException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The raw sockets a raw-sending transport shares among its sessions: an {@code IPPROTO_RAW} sender per
 * family (IPv6's optional: where its sockets cannot be opened, the transport serves IPv4 sessions only and
 * says why) and the sockets it reads answers on. Opening it closes what it opened, and abandons the
 * transport, when anything fails ({@link RawPortTransport}, {@link InConnectionTransport}).
 */
final class RawSocketSet {
    /** Opens one family's receive sockets (besides its sender), each added to {@code opened} as it opens. */
    interface Receivers {
        void open(List<RawSocket> opened) throws Sockets.SocketError;
    }

    final RawSocket send4;
    final @Nullable RawSocket send6;
    /** Why IPv6 is unavailable, or null. */
    final @Nullable String ipv6Failure;
    /** Every receive socket, both families. */
    final List<RawSocket> receivers;

    private RawSocketSet(RawSocket send4, @Nullable RawSocket send6, @Nullable String ipv6Failure,
            List<RawSocket> receivers) {
        this.send4 = send4;
        this.send6 = send6;
        this.ipv6Failure = ipv6Failure;
        this.receivers = receivers;
    }

    /**
     * Opens both families' senders and receivers for {@code transport} (in its constructor).
     *
     * @throws TransportException when IPv4's cannot be opened (the transport is abandoned)
     */
    static RawSocketSet open(LinuxTransport transport, Receivers v4, Receivers v6) {
        List<RawSocket> opened = new ArrayList<>();
        List<RawSocket> receivers = new ArrayList<>();
        RawSocket s4;
        RawSocket s6 = null;
        String v6Failure = null;
        try {
            s4 = RawSocket.open(transport, Abi.AF_INET, Abi.IPPROTO_RAW, RawSocket.probeMtu(false), null);
            opened.add(s4);
            v4.open(opened);
            int before = opened.size();
            try {
                s6 = RawSocket.open(transport, Abi.AF_INET6, Abi.IPPROTO_RAW, RawSocket.probeMtu(true), null);
                opened.add(s6);
                v6.open(opened);
            } catch (Sockets.SocketError e) { // no IPv6 here: IPv4 sessions only
                while (opened.size() > before) {
                    opened.remove(opened.size() - 1).close();
                }
                s6 = null;
                v6Failure = e.getMessage();
            }
        } catch (Sockets.SocketError e) {
            opened.forEach(RawSocket::close);
            transport.abandon();
            throw e.toTransportException(transport.name() + ": cannot open the raw sockets");
        } catch (RuntimeException | Error e) {
            opened.forEach(RawSocket::close);
            transport.abandon();
            throw e;
        }
        for (RawSocket r : opened) {
            if (r != s4 && r != s6) {
                receivers.add(r);
            }
        }
        return new RawSocketSet(s4, s6, v6Failure, List.copyOf(receivers));
    }

    /** The sender for a session's family; throws, saying why, when IPv6 is unavailable. */
    RawSocket sender(boolean ipv6, String transportName) {
        RawSocket s = ipv6 ? send6 : send4;
        if (s == null) {
            throw new TransportException(transportName + ": IPv6 raw sockets are unavailable: " + ipv6Failure);
        }
        return s;
    }

    /** On the I/O thread: reads every receive socket to the end. */
    void drainAll() {
        for (RawSocket r : receivers) {
            r.drainAll();
        }
    }

    /** Closes every socket (once, before the transport's loop shuts down). */
    void close() {
        send4.close();
        if (send6 != null) {
            send6.close();
        }
        receivers.forEach(RawSocket::close);
    }

    /** After the I/O thread ended: disposes of the sockets released but not yet disposed of. */
    void disposeIfReleased() {
        send4.disposeIfReleased();
        if (send6 != null) {
            send6.disposeIfReleased();
        }
        receivers.forEach(RawSocket::disposeIfReleased);
    }
}
