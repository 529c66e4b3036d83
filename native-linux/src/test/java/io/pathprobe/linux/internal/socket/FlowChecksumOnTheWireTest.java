package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.linux.IcmpDatagramTransportProvider;
import io.pathprobe.linux.RawIcmpTransportProvider;
import io.pathprobe.linux.TestNamespace;
import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ICMP transports' flows as they leave: echo requests to 127.0.0.1, captured on loopback with a
 * raw socket of this test, carry the checksum of their flow whatever their sequence, and a valid one
 * (for ping sockets the kernel computes it). Needs CAP_NET_RAW for the capture: tagged lab.
 */
@Tag("lab")
class FlowChecksumOnTheWireTest {

    @Test
    void echoRequestsCarryTheirFlowsChecksum() throws Exception {
        try {
            Sockets.closeQuietly(Sockets.open(Abi.AF_INET, Abi.SOCK_RAW, Abi.IPPROTO_ICMP));
        } catch (Sockets.SocketError e) {
            assumeTrue(false, "no raw socket for the capture: " + e.getMessage());
        }
        TestNamespace.tryAllowPingSockets();
        List<String> checked = new ArrayList<>();
        int base = 20000;
        for (ProbeTransportProvider provider : List.of(new IcmpDatagramTransportProvider(), new RawIcmpTransportProvider())) {
            if (!provider.availability().isAvailable()) {
                continue;
            }
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            int capture = Sockets.open(Abi.AF_INET, Abi.SOCK_RAW, Abi.IPPROTO_ICMP);
            ReceiveBuffer buffer = new ReceiveBuffer();
            try (ProbeTransport t = provider.open();
                    ProbeSession fixed = t.openSession(new SessionSpec(ProbeProtocol.ICMP, loopback, 1, FlowPolicy.FIXED,
                            0x1234), r -> { });
                    ProbeSession explicit = t.openSession(new SessionSpec(ProbeProtocol.ICMP, loopback, 1,
                            FlowPolicy.EXPLICIT, 0), r -> { })) {
                Map<Integer, Integer> expected = new HashMap<>(); // sequence -> checksum
                for (int i = 0; i < 4; i++) {
                    fixed.send(ProbeSpec.of(base + i, 64));
                    expected.put(base + i, 0x1234);
                }
                int[] flows = {0, 1, 0x8000, explicit.maxFlow()};
                for (int i = 0; i < flows.length; i++) {
                    explicit.send(new ProbeSpec(base + 100 + i, 64, flows[i]));
                    expected.put(base + 100 + i, flows[i]);
                }
                Map<Integer, Integer> seen = new HashMap<>();
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (seen.size() < expected.size() && System.nanoTime() < deadline) {
                    int n = buffer.receive(capture, 0);
                    if (n < 0) {
                        Thread.sleep(5);
                        continue;
                    }
                    int ihl = (buffer.data().getByte(0) & 0x0f) * 4;
                    if (n < ihl + IcmpEchoFormat.LENGTH || (buffer.data().getByte(ihl) & 0xff) != IcmpEchoFormat.ECHO_REQUEST) {
                        continue;
                    }
                    int sequence = IcmpEcho.sequence(buffer.data(), ihl);
                    if (expected.containsKey(sequence)) {
                        assertThat(IcmpEcho.checksum(buffer.data(), ihl, n - ihl)).as("a valid checksum").isZero();
                        seen.put(sequence, IcmpEcho.checksumField(buffer.data(), ihl));
                    }
                }
                assertThat(seen).as(provider.name()).isEqualTo(expected);
                checked.add(provider.name());
            } finally {
                Sockets.closeQuietly(capture);
                buffer.free();
            }
            base += 1000;
        }
        assertThat(checked).as("the ICMP transports available here").isNotEmpty();
        System.out.println("flow checksums checked on the wire for " + checked);
    }
}
