package io.pathprobe.linux.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.lab.LabTest;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 on the unprivileged transports' sessions (linux-icmp-dgram, linux-udp-recverr): made-up
 * error-queue messages (the quote as the kernel hands it over, a router as offender) handed to a
 * real session's error handler, each quote built from the bytes the session itself would send for
 * the probe (its {@code prepare}), then rewritten as a forger would. The sessions are opened toward
 * 127.0.0.1 and never send. In the lab run (root, a private namespace) because ping sockets are
 * usually refused elsewhere.
 */
@LabTest
class SocketSessionQuoteLabTest {
    private static final int PORT = 33434;
    private static final InetAddress LOOPBACK = PacketTargets.address(new byte[] {127, 0, 0, 1});

    private final ReceiveBuffer buffer = new ReceiveBuffer();
    private final List<ProbeResponse> delivered = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        buffer.free();
    }

    @Test
    void icmpDgramParisQuotesProveTheirSequenceOnlyWhole() throws Exception {
        SocketSession s = icmpSession(SessionSpec.fixed(ProbeProtocol.ICMP, LOOPBACK, PORT));
        byte[] p11 = echo(s, 11);
        byte[] p12 = echo(s, 12);
        assertThat(error(s, p12, 0)).as("the genuine whole quote").isNull();
        assertThat(delivered).singleElement().extracting(ProbeResponse::sequence).isEqualTo(12);
        delivered.clear();
        byte[] rewritten = p12.clone();
        rewritten[6] = p11[6]; // probe 11's sequence, the checksum (every probe's under Paris) left as sent
        rewritten[7] = p11[7];
        assertThat(error(s, rewritten, 0)).as("whole: the compensation word is probe 12's").isEqualTo(DropReason.UNRELATED);
        assertThat(error(s, Arrays.copyOf(rewritten, 8), 0)).as("8 bytes prove no sequence under Paris")
                .isEqualTo(DropReason.QUOTE_TOO_SHORT);
        assertThat(error(s, Arrays.copyOf(p12, 8), 0)).as("not even the genuine 8 bytes")
                .isEqualTo(DropReason.QUOTE_TOO_SHORT);
        byte[] filler = p12.clone();
        filler[30] ^= 1;
        assertThat(error(s, filler, 0)).as("the filler").isEqualTo(DropReason.UNRELATED);
        assertThat(delivered).isEmpty();
    }

    @Test
    void icmpDgramClassicQuotesProveTheirSequenceByTheChecksum() throws Exception {
        SocketSession s = icmpSession(SessionSpec.perProbe(ProbeProtocol.ICMP, LOOPBACK, PORT));
        byte[] p11 = echo(s, 11);
        byte[] p12 = echo(s, 12);
        assertThat(error(s, Arrays.copyOf(p12, 8), 0)).as("8 bytes: the checksum follows the sequence").isNull();
        assertThat(error(s, p12, 0)).isNull();
        assertThat(delivered).extracting(ProbeResponse::sequence).containsExactly(12, 12);
        delivered.clear();
        byte[] rewritten = p12.clone();
        rewritten[6] = p11[6];
        rewritten[7] = p11[7];
        assertThat(error(s, Arrays.copyOf(rewritten, 8), 0)).isEqualTo(DropReason.UNRELATED);
        assertThat(error(s, rewritten, 0)).isEqualTo(DropReason.UNRELATED);
        assertThat(delivered).isEmpty();
    }

    @Test
    void udpParisQuotesAreCheckedAgainstTheSteeringWordAndFiller() throws Exception {
        SocketSession s = udpSession(SessionSpec.fixed(ProbeProtocol.UDP, LOOPBACK, PORT));
        byte[] p11 = payload(s, 11);
        byte[] p12 = payload(s, 12);
        assertThat(error(s, p12, PORT)).isNull();
        assertThat(delivered).singleElement().extracting(ProbeResponse::sequence).isEqualTo(12);
        delivered.clear();
        byte[] rewritten = p12.clone();
        rewritten[UdpTransport.OFF_SEQUENCE] = p11[UdpTransport.OFF_SEQUENCE]; // the number in clear, steering left
        rewritten[UdpTransport.OFF_SEQUENCE + 1] = p11[UdpTransport.OFF_SEQUENCE + 1];
        assertThat(error(s, rewritten, PORT)).isEqualTo(DropReason.UNRELATED);
        byte[] filler = p12.clone();
        filler[20] ^= 1;
        assertThat(error(s, filler, PORT)).isEqualTo(DropReason.UNRELATED);
        assertThat(error(s, new byte[0], PORT)).as("an 8-byte quote: no payload").isEqualTo(DropReason.QUOTE_TOO_SHORT);
        assertThat(delivered).isEmpty();
    }

    @Test
    void udpClassicPayloadsCarryTheSequenceTheRewrittenPortMustAgreeWith() throws Exception {
        SocketSession s = udpSession(SessionSpec.perProbe(ProbeProtocol.UDP, LOOPBACK, PORT));
        payload(s, 11);
        byte[] p12 = payload(s, 12);
        assertThat(error(s, p12, PORT + 12)).isNull();
        assertThat(delivered).singleElement().extracting(ProbeResponse::sequence).isEqualTo(12);
        delivered.clear();
        assertThat(error(s, p12, PORT + 11)).as("the port rewritten to probe 11's, the payload probe 12's")
                .isEqualTo(DropReason.UNRELATED);
        byte[] cookie = p12.clone();
        cookie[UdpTransport.OFF_CLASSIC_COOKIE] ^= 1;
        assertThat(error(s, cookie, PORT + 12)).isEqualTo(DropReason.UNRELATED);
        assertThat(delivered).isEmpty();
        // the known limit: an 8-byte quote leaves the port alone, which the kernel reports and nothing can check
        assertThat(error(s, new byte[0], PORT + 11)).isNull();
        assertThat(delivered).singleElement().extracting(ProbeResponse::sequence).isEqualTo(11);
    }

    // ---------------------------------------------------------------------------------------------

    private SocketSession icmpSession(SessionSpec spec) {
        io.pathprobe.linux.TestNamespace.tryAllowPingSockets();
        IcmpDgramTransport t;
        try {
            t = new IcmpDgramTransport();
        } catch (RuntimeException e) {
            assumeTrue(false, "ping sockets are not allowed here: " + e.getMessage());
            throw e;
        }
        opened.add(t::close);
        return open(t, spec);
    }

    private SocketSession udpSession(SessionSpec spec) {
        UdpTransport t = new UdpTransport();
        opened.add(t::close);
        return open(t, spec);
    }

    private SocketSession open(LinuxTransport t, SessionSpec spec) {
        ProbeSession s;
        try {
            s = t.openSession(spec, delivered::add);
        } catch (RuntimeException e) {
            assumeTrue(false, "cannot open a session here: " + e.getMessage());
            throw e;
        }
        opened.add(s::close);
        return (SocketSession) s;
    }

    /** The echo request the session sends as probe {@code sequence} of flow 0, checksum as the kernel fills it in. */
    private static byte[] echo(SocketSession s, int sequence) throws Exception {
        s.prepare(sequence, 0);
        byte[] b = new byte[IcmpEchoFormat.LENGTH];
        Pointer p = s.sendBuffer.packet();
        p.get(0, b, 0, b.length);
        b[2] = 0;
        b[3] = 0;
        int checksum = PacketTargets.checksum(b, 0, b.length);
        b[2] = (byte) (checksum >>> 8);
        b[3] = (byte) checksum;
        return b;
    }

    /** The UDP payload the session sends as probe {@code sequence} of flow 0 (the default 32 bytes). */
    private static byte[] payload(SocketSession s, int sequence) throws Exception {
        s.prepare(sequence, 0);
        byte[] b = new byte[UdpTransport.PAYLOAD];
        s.sendBuffer.packet().get(0, b, 0, b.length);
        return b;
    }

    /** Hands the session an error-queue message: a Time Exceeded from a router quoting {@code data}, to 127.0.0.1:port. */
    private @Nullable DropReason error(SocketSession s, byte[] data, int port) throws Exception {
        byte[] control = PacketTargets.ControlMessages.control(false);
        byte[] name = SessionTargets.sockaddr(127, 0, 0, 1, port);
        buffer.control().setMemory(0, 512, (byte) 0);
        buffer.control().put(0, control, 0, control.length);
        buffer.name().put(0, name, 0, name.length);
        buffer.data().setMemory(0, data.length + 64, (byte) 0);
        buffer.data().put(0, data, 0, data.length);
        buffer.parseControl(control.length);
        return ((ReceiveBuffer.Handler) field(s, "errorHandler")).onMessage(buffer, data.length);
    }

    private static Object field(Object o, String name) {
        Object value = SessionTargets.field(o, name);
        if (value == null) {
            throw new AssertionError("no field " + name + " (or it is null)");
        }
        return value;
    }
}
