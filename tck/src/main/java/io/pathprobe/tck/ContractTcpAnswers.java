package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.TcpAnswers}, the contract kit's group of TCP answers: a listening
 * port answers SYN-ACK. The kit's nested class of that name extends this class, so that JUnit runs these tests, and
 * Surefire reports them, as that nested class's. Part of the kit: extend {@link ProbeTransportContractKit}, not
 * this.
 */
abstract class ContractTcpAnswers extends ContractGroup {
    ContractTcpAnswers(ProbeTransportContractKit kit) {
        super(kit);
    }

    /**
     * A listening port answers SYN-ACK (every claimed family and flow policy); a closed one RST (see
     * LoopbackAnswers).
     */
    @Test
    void aListeningPortAnswersSynAck() throws Exception {
        ProbeTransport t = transport();
        assumeTrue(protocols().contains(ProbeProtocol.TCP), "TCP is not claimed");
        assumeFalse(loopbackTargets().isEmpty(), "no loopback address of a claimed family");
        for (InetAddress target : loopbackTargets()) {
            try (ServerSocket server = new ServerSocket(0, 128, target)) {
                Thread acceptor = acceptAndClose(server);
                try {
                    for (FlowPolicy policy : flowPolicies()) {
                        Recorder recorder = new Recorder();
                        try (ProbeSession s = t.openSession(
                                new SessionSpec(ProbeProtocol.TCP, target, server.getLocalPort(),
                                        policy, 0), recorder)) {
                            ProbePlan plan = plan();
                            int[] sequences = {0, 1, 0x100, s.maxSequence()};
                            for (int i = 0; i < sequences.length; i++) {
                                int flow = s.maxFlow() == 0 ? 0 : i % 2;
                                plan.add(s, recorder, sequences[i], 64, flow, ProbePlan.Expectation.from(target,
                                        ResponseKind.TCP_SYN_ACK, -1, "SYN-ACK from the listening " + target));
                            }
                            plan.runAndVerify();
                            assertThat(recorder.responses()).allSatisfy(r -> {
                                assertThat(r.quotedTtl()).isEqualTo(ProbeResponse.UNKNOWN);
                                assertThat(r.checksumDelta()).as("a SYN-ACK quotes nothing")
                                        .isEqualTo(ProbeResponse.UNKNOWN);
                            });
                        }
                    }
                } finally {
                    acceptor.interrupt();
                }
            }
        }
    }

    private Thread acceptAndClose(ServerSocket server) {
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (java.io.IOException e) {
                    return; // closed
                }
            }
        }, "tck-tcp-acceptor");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
