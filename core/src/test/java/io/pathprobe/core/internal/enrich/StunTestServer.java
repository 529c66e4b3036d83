package io.pathprobe.core.internal.enrich;

import io.pathprobe.core.internal.sim.UdpServerLoop;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** A UDP responder for STUN tests: for each request, the datagrams {@code behaviour} returns. */
final class StunTestServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final BiFunction<byte[], InetSocketAddress, List<byte[]>> behaviour;
    final AtomicInteger requests = new AtomicInteger();

    StunTestServer(InetAddress bind, BiFunction<byte[], InetSocketAddress, List<byte[]>> behaviour) throws IOException {
        this.behaviour = behaviour;
        socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        thread = new Thread(this::run, "test-stun-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void run() {
        UdpServerLoop.serve(socket, 2048, requests, (req, from) -> {
            for (byte[] out : behaviour.apply(req, (InetSocketAddress) from)) {
                socket.send(new DatagramPacket(out, out.length, from));
            }
        });
    }

    /** The transaction id of a request. */
    static byte[] tid(byte[] request) {
        return Arrays.copyOfRange(request, 8, 20);
    }

    /** A success response with XOR-MAPPED-ADDRESS {@code mapped} (and, if {@code legacy}, MAPPED-ADDRESS only). */
    static byte[] success(byte[] tid, InetSocketAddress mapped, boolean legacy) {
        byte[] a = mapped.getAddress().getAddress();
        int vlen = 4 + a.length;
        ByteBuffer b = ByteBuffer.allocate(20 + 4 + vlen);
        b.putShort((short) 0x0101).putShort((short) (4 + vlen)).putInt(StunMessages.MAGIC_COOKIE).put(tid);
        b.putShort((short) (legacy ? 0x0001 : 0x0020)).putShort((short) vlen).put((byte) 0)
                .put((byte) (a.length == 4 ? 1 : 2));
        int port = mapped.getPort();
        if (!legacy) {
            port ^= 0x2112;
            byte[] key = ByteBuffer.allocate(16).putInt(StunMessages.MAGIC_COOKIE).put(tid).array();
            for (int i = 0; i < a.length; i++) {
                a[i] ^= key[i];
            }
        }
        b.putShort((short) port).put(a);
        return b.array();
    }

    /** An error response with ERROR-CODE {@code code} and {@code reason}. */
    static byte[] error(byte[] tid, int code, String reason) {
        byte[] r = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int vlen = 4 + r.length;
        int padded = (vlen + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(20 + 4 + padded);
        b.putShort((short) 0x0111).putShort((short) (4 + padded)).putInt(StunMessages.MAGIC_COOKIE).put(tid);
        b.putShort((short) 0x0009).putShort((short) vlen).putShort((short) 0).put((byte) (code / 100))
                .put((byte) (code % 100)).put(r);
        return b.array();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
