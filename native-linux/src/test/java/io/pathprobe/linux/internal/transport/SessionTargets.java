package io.pathprobe.linux.internal.transport;

import io.pathprobe.lab.fuzz.FuzzSupport;
import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The receive handlers of the sessions that own a socket (SocketSession: linux-udp-recverr's
 * classic, Paris and Dublin sessions; linux-icmp-dgram's when ping sockets are allowed here) on
 * what recvmsg could leave in the receive buffer: control messages (sock_extended_err and its
 * offender, TTL, timestamp), the sender's sockaddr and the data. The handlers are the sessions'
 * own ({@code errorHandler} and {@code dataHandler}), reached by reflection; sessions are opened
 * toward 127.0.0.1 and never send. Ping sockets are usually refused outside the lab run's private
 * namespace (ping_group_range "1 0"): there {@link SessionHandlersFuzzLabTest} covers linux-icmp-dgram.
 *
 * <p>An input is {@code [control length (2 bytes)][control][sockaddr (28 bytes)][data]}. The
 * receive buffer is native memory larger than any of them: each input is handled twice, with the
 * bytes past the control messages and past the data filled with two different patterns, and the
 * outcome and whatever was delivered must be the same (no read past what was received).
 */
final class SessionTargets extends PacketTargets.Target implements AutoCloseable {
    private static final int PORT = 33434;
    private final List<LinuxTransport> transports = new ArrayList<>();
    private final List<Opened> sessions = new ArrayList<>();
    private final ReceiveBuffer buffer = new ReceiveBuffer();
    private final List<ProbeResponse> delivered = new ArrayList<>();
    private final String skipped;

    /** A session, its handlers, and the cookie its probes carry. */
    record Opened(String name, SocketSession session, ReceiveBuffer.Handler data, ReceiveBuffer.Handler error,
            long cookie, boolean icmp) {}

    SessionTargets() {
        super("sessions");
        ResponseListener listener = delivered::add;
        InetAddress loopback = PacketTargets.address(new byte[] {127, 0, 0, 1});
        UdpTransport udp = new UdpTransport();
        transports.add(udp);
        add("udp-fixed", udp.openSession(SessionSpec.fixed(ProbeProtocol.UDP, loopback, PORT), listener), false);
        add("udp-explicit", udp.openSession(SessionSpec.explicit(ProbeProtocol.UDP, loopback, PORT), listener), false);
        add("udp-per-probe", udp.openSession(SessionSpec.perProbe(ProbeProtocol.UDP, loopback, PORT), listener),
                false);
        String why = "";
        io.pathprobe.linux.TestNamespace.tryAllowPingSockets(); // only in a private namespace (the lab run)
        try {
            IcmpDgramTransport icmp = new IcmpDgramTransport();
            transports.add(icmp);
            add("icmp-dgram", icmp.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, loopback, PORT), listener), true);
        } catch (RuntimeException e) { // ping sockets not allowed to this process (net.ipv4.ping_group_range)
            why = "icmp-dgram skipped: " + e.getMessage();
        }
        skipped = why;
    }

    private void add(String name, ProbeSession s, boolean icmp) {
        SocketSession session = (SocketSession) s;
        long cookie = field(session, "cookie") instanceof Long c ? c : 0; // none in a classic UDP session
        sessions.add(new Opened(name, session, (ReceiveBuffer.Handler) field(session, "dataHandler"),
                (ReceiveBuffer.Handler) field(session, "errorHandler"), cookie, icmp));
    }

    /** The value of field {@code name} of {@code o} (declared there or in a superclass), or null if there is none. */
    static @Nullable Object field(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // the superclass, then
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return null;
    }

    /** Why a session kind is not covered here ("" when all are). */
    String skipped() {
        return skipped;
    }

    @Override
    public List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        byte[] control = PacketTargets.ControlMessages.control(false);
        byte[] name = sockaddr(127, 0, 0, 1, PORT);
        for (Opened o : sessions) {
            byte[] data;
            if (o.icmp()) {
                // the session's own request 5 (its identifier, cookie and compensation word): every byte is checked
                int identifier = (Integer) field(o.session(), "identifier");
                int baseSum = (Integer) field(o.session(), "baseSum");
                NativeMemory m = NativeMemory.allocate(IcmpEchoFormat.LENGTH);
                try {
                    IcmpEcho.writeRequest(m.pointer(), false, identifier, o.cookie(), true);
                    IcmpEcho.setProbe(m.pointer(), baseSum, 5, 0, true);
                    data = new byte[IcmpEchoFormat.LENGTH];
                    m.pointer().get(0, data, 0, data.length);
                } finally {
                    m.free();
                }
            } else {
                data = new byte[16];
                FuzzSupport.putShort(data, UdpTransport.OFF_SEQUENCE, 77);
                for (int i = 0; i < 8; i++) {
                    data[UdpTransport.OFF_COOKIE + i] = (byte) (o.cookie() >>> (56 - 8 * i));
                }
            }
            seeds.add(input(control, name, data));
            seeds.add(input(control, name, java.util.Arrays.copyOf(data, 8)));
        }
        seeds.add(input(PacketTargets.ControlMessages.control(true), sockaddr(127, 0, 0, 1, PORT + 3), new byte[12]));
        return seeds;
    }

    static byte[] input(byte[] control, byte[] name, byte[] data) {
        byte[] b = new byte[2 + control.length + Abi.SOCKADDR_IN6_SIZE + data.length];
        FuzzSupport.putShort(b, 0, control.length);
        System.arraycopy(control, 0, b, 2, control.length);
        System.arraycopy(name, 0, b, 2 + control.length, name.length);
        System.arraycopy(data, 0, b, 2 + control.length + Abi.SOCKADDR_IN6_SIZE, data.length);
        return b;
    }

    /** A sockaddr_in as recvmsg writes msg_name (the error queue: the probe's destination). */
    static byte[] sockaddr(int a, int b, int c, int d, int port) {
        byte[] s = new byte[Abi.SOCKADDR_IN6_SIZE];
        ByteBuffer.wrap(s).order(ByteOrder.nativeOrder()).putShort((short) Abi.AF_INET);
        FuzzSupport.putShort(s, Abi.SA_PORT, port);
        s[4] = (byte) a;
        s[5] = (byte) b;
        s[6] = (byte) c;
        s[7] = (byte) d;
        return s;
    }

    @Override
    public String check(byte[] input) {
        if (input.length < 2 + Abi.SOCKADDR_IN6_SIZE) {
            return "too short to be a message";
        }
        int controlLength = Math.min(FuzzSupport.getShort(input, 0) % 513, input.length - 2 - Abi.SOCKADDR_IN6_SIZE);
        int nameAt = 2 + controlLength;
        int dataAt = nameAt + Abi.SOCKADDR_IN6_SIZE;
        int length = input.length - dataAt;
        String drop = null;
        List<String> deliveredBy = new ArrayList<>();
        for (Opened o : sessions) {
            for (boolean error : new boolean[] {true, false}) {
                Outcome first = handle(o, error, input, controlLength, nameAt, dataAt, length, (byte) 0);
                Outcome second = handle(o, error, input, controlLength, nameAt, dataAt, length, (byte) 0xa5);
                PacketTargets.require(first.equals(second), o.name() + ": bytes past what was received changed the"
                        + " outcome: " + first + " / " + second);
                if (first.delivered() != null) {
                    deliveredBy.add(o.name() + (error ? "" : " (data)"));
                } else if (error && drop == null) {
                    drop = String.valueOf(first.drop());
                }
            }
        }
        return deliveredBy.isEmpty() ? drop : "delivered by " + String.join(", ", deliveredBy);
    }

    /** What one handling came to: the drop reason, or the response delivered (its receive time aside). */
    record Outcome(@Nullable DropReason drop, @Nullable String delivered) {}

    private Outcome handle(Opened o, boolean error, byte[] input, int controlLength, int nameAt, int dataAt,
            int length, byte fill) {
        Pointer c = buffer.control();
        c.setMemory(0, 512, fill);
        c.put(0, input, 2, controlLength);
        Pointer n = buffer.name();
        n.put(0, input, nameAt, Abi.SOCKADDR_IN6_SIZE);
        Pointer d = buffer.data();
        d.setMemory(0, Math.min(ReceiveBuffer.DATA_CAPACITY, length + 64), fill);
        d.put(0, input, dataAt, length);
        buffer.parseControl(controlLength);
        DropReason drop = (error ? o.error() : o.data()).onMessage(buffer, length);
        if (drop == null) {
            PacketTargets.require(delivered.size() == 1, o.name() + ": delivered " + delivered.size());
            ProbeResponse r = delivered.get(0);
            PacketTargets.checkResponse(r, length);
            delivered.clear();
            return new Outcome(null, r.sequence() + " " + r.kind() + " " + r.icmpType() + "/" + r.icmpCode() + " from "
                    + r.responder() + " ttl " + r.replyTtl() + " checksum " + r.quotedChecksum());
        }
        PacketTargets.require(delivered.isEmpty(), o.name() + ": dropped as " + drop + " but delivered");
        return new Outcome(drop, null);
    }

    @Override
    public void close() {
        for (Opened o : sessions) {
            o.session().close();
        }
        for (LinuxTransport t : transports) {
            t.close();
        }
        buffer.free();
    }
}
