package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.PacketCapture;
import io.pathprobe.lab.TraceJson;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 68 item 5, only the protocol asked for: a UDP trace ({@code trace -U}, {@code -P udp}), as root and as
 * nobody, sends no TCP packet unless {@code --tcp-confirm} allows it, even where the TCP confirmation would have
 * asked (the destination's Port Unreachables spent by another sender throughout, as in
 * {@link CliBackToBackLabTest}); a hop of such a trace shows at most {@code -q} RTTs (a TCP probe was shown as a
 * fourth RTT of {@code -q 3}). Packets are captured on the host's link while the built jar runs; with
 * {@code --tcp-confirm} the same capture sees the TCP probes the result counts, so the capture can tell.
 */
@LabTest
class CliUdpOnlyLabTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.OFF);

    @Test
    void aUdpTraceSendsNoTcpPacketUnlessAsked() throws Exception {
        try (Lab lab = Lab.chain(4).inCurrentNamespace().build();
                CliRuns.Nobody nobody = CliRuns.Nobody.start();
                DatagramSocket drainer = new DatagramSocket()) {
            String dest = lab.destination().getHostAddress();
            AtomicBoolean on = new AtomicBoolean(true);
            Thread spender = new Thread(() -> {
                byte[] b = new byte[1];
                while (on.get()) {
                    try {
                        drainer.send(new DatagramPacket(b, 1, lab.destination(), 40000));
                        Thread.sleep(5); // each token the destination refills is spent within milliseconds
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            spender.start();
            List<String> plain = new ArrayList<>();
            List<String> asked = new ArrayList<>();
            PacketCapture.Capture withoutOption;
            PacketCapture.Capture withOption;
            try {
                Thread.sleep(300); // the destination's burst spent
                withoutOption = PacketCapture.during("", lab.hostInterface(), "tcp", () -> {
                    plain.add(CLI.run("trace", "--json", "-U", dest).out());
                    plain.add(CLI.asNobody(nobody, "trace", "--json", "-U", dest).out());
                    plain.add(CLI.asNobody(nobody, "trace", "--json", "-P", "udp", "-q", "3", dest).out());
                });
                // the premise: the destination's first probe unanswered (the spender took its tokens); a trace whose
                // first probe there met a refilled token needs no confirmation and is run again (at most 3 times)
                PacketCapture.Capture c = null;
                for (int i = 0; i < 3 && (asked.isEmpty() || !premise(asked.get(0))); i++) {
                    asked.clear();
                    c = PacketCapture.during("", lab.hostInterface(), "tcp", () -> asked.add(
                            CLI.asNobody(nobody, "trace", "--json", "-P", "udp", "--tcp-confirm", dest).out()));
                }
                withOption = c;
            } finally {
                on.set(false);
                spender.join();
            }
            assertThat(withoutOption.packets()).as("TCP packets of UDP traces nobody allowed to send any:%n%s",
                    PacketCapture.tcpdumpText(withoutOption)).isEmpty();
            for (String out : plain) {
                TraceJson t = TraceJson.parse(out);
                System.out.println("UDP trace, the destination's Port Unreachables spent, no --tcp-confirm: " + t);
                assertThat(t.tcpConfirmations()).as(out).isZero();
                assertThat(t.hops()).as(out).allSatisfy(h -> assertThat(h.rtts()).isLessThanOrEqualTo(3));
            }
            assertThat(premise(asked.get(0))).as("the destination's first probe unanswered in one of 3 runs:%n%s",
                    asked.get(0)).isTrue();
            TraceJson confirmed = TraceJson.parse(asked.get(0));
            System.out.println("the same with --tcp-confirm: " + confirmed);
            long syns = withOption.packets().stream().filter(p -> p.protocol() == 6)
                    .filter(p -> p.destination().equals(lab.destination())).count();
            assertThat(confirmed.tcpConfirmations()).as(asked.get(0)).isPositive();
            assertThat(syns).as("the capture sees the TCP probes the result counts:%n%s",
                    PacketCapture.tcpdumpText(withOption)).isGreaterThanOrEqualTo(confirmed.tcpConfirmations());
            assertThat(confirmed.hops()).as(asked.get(0)).allSatisfy(h -> assertThat(h.rtts()).isLessThanOrEqualTo(3));
        }
    }

    /** Whether the trace's first UDP probe at its destination's TTL went unanswered (what a confirmation is for). */
    private static boolean premise(String json) {
        List<TraceJson.Hop> hops = TraceJson.parse(json).hops();
        return hops.isEmpty() || hops.get(hops.size() - 1).statuses().isEmpty()
                || !hops.get(hops.size() - 1).statuses().get(0).equals("REPLY");
    }
}
