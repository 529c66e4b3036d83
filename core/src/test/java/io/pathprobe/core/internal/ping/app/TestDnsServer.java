package io.pathprobe.core.internal.ping.app;

import io.pathprobe.core.internal.sim.UdpServerLoop;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;

/** A DNS responder on 127.0.0.1 for tests: one receiving thread, one thread for delayed answers. */
final class TestDnsServer implements AutoCloseable {

    /** What to do with a query: answer it (now or later) through {@code server.send}, or not. */
    @FunctionalInterface
    interface Behaviour {
        void on(Message query, SocketAddress from, TestDnsServer server) throws IOException;
    }

    private final DatagramSocket socket;
    private final Thread thread;
    private final ScheduledThreadPoolExecutor later = new ScheduledThreadPoolExecutor(1);
    private volatile Behaviour behaviour;
    final AtomicInteger queries = new AtomicInteger();

    TestDnsServer(Behaviour behaviour) throws SocketException {
        this.behaviour = behaviour;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(1 << 20);
        later.prestartAllCoreThreads();
        this.thread = new Thread(this::run, "test-dns-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void behaviour(Behaviour b) {
        this.behaviour = b;
    }

    void send(byte[] wire, SocketAddress to) throws IOException {
        socket.send(new DatagramPacket(wire, wire.length, to));
    }

    void send(Message m, SocketAddress to) throws IOException {
        send(m.toWire(), to);
    }

    void sendLater(Message m, SocketAddress to, long millis) {
        later.schedule(() -> {
            try {
                send(m, to);
            } catch (IOException e) {
                // the test sees a timeout
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        UdpServerLoop.serve(socket, 65_535, queries, (in, from) -> behaviour.on(new Message(in), from, this));
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        later.shutdownNow();
        thread.join(2000);
        later.awaitTermination(2, TimeUnit.SECONDS);
    }
}
