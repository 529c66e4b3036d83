package io.pathprobe.core.internal.sim;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** The receive loop of the tests' UDP servers (DNS, STUN): every datagram, counted and copied, to a handler. */
public final class UdpServerLoop {
    private UdpServerLoop() {}

    /** What a server does with one datagram. */
    @FunctionalInterface
    public interface Handler {
        void on(byte[] datagram, SocketAddress from) throws IOException;
    }

    /**
     * Receives on {@code socket} until it is closed, counting each datagram in {@code received}; an I/O failure
     * while it is open is passed over (the test sees a timeout).
     */
    public static void serve(DatagramSocket socket, int bufferSize, AtomicInteger received, Handler handler) {
        byte[] buf = new byte[bufferSize];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                received.incrementAndGet();
                handler.on(Arrays.copyOf(p.getData(), p.getLength()), p.getSocketAddress());
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }
}
