package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.runner.Traceroute;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capture helper, and what it proves about the lab: checksums are real, fields parse. */
@LabTest
class PacketCaptureTest {

    /** traceroute -U with one probe at TTL 2 in a 3-hop lab: the probe, and router 2's Time Exceeded quoting it. */
    private static PacketCapture.Capture oneUdpProbe(Lab lab) throws Exception {
        return PacketCapture.during(lab, 0, lab.hostInterface(), "udp or icmp",
                () -> Traceroute.trace(lab, List.of("-U", "-p", "33434", "-q", "1", "-f", "2", "-m", "2"), lab.destination()));
    }

    @Test
    void aKnownProbeAndTheTimeExceededQuotingItParseAndTheirChecksumsAreRight() throws Exception {
        try (Lab lab = Lab.chain(3).icmpUnlimited("the capture must see each answer it parses").build()) {
            PacketCapture.Capture c = oneUdpProbe(lab);

            CapturedPacket probe = c.packets().stream().filter(p -> p.protocol() == 17).findFirst().orElseThrow();
            assertThat(probe.ipVersion()).isEqualTo(4);
            assertThat(probe.source()).isEqualTo(lab.hostAddress());
            assertThat(probe.destination()).isEqualTo(lab.destination());
            assertThat(probe.ttl()).isEqualTo(2);
            assertThat(probe.ipId()).isPresent();
            assertThat(probe.flowLabel()).isEmpty();
            assertThat(probe.destinationPort()).hasValue(33434); // not 53, which tcpdump would decode as DNS
            ByteBuffer first = ByteBuffer.wrap(probe.firstTransportBytes());
            assertThat(probe.firstTransportBytes()).hasSize(8);
            assertThat(first.getShort(0) & 0xFFFF).isEqualTo(probe.sourcePort().getAsInt());
            assertThat(first.getShort(2) & 0xFFFF).isEqualTo(33434);
            assertThat(first.getShort(4) & 0xFFFF).isEqualTo(probe.transport().length); // UDP length
            assertThat(first.getShort(6) & 0xFFFF).isEqualTo(probe.transportChecksum().getAsInt());
            // offload off: the host's own probe leaves with a real checksum
            assertThat(probe.transportChecksumOk()).contains(true);

            CapturedPacket error = c.packets().stream().filter(p -> p.protocol() == 1).findFirst().orElseThrow();
            assertThat(error.source()).isEqualTo(lab.expectedResponder(2).orElseThrow());
            assertThat(error.icmpType()).hasValue(11);
            assertThat(error.icmpCode()).hasValue(0);
            assertThat(error.transportChecksumOk()).contains(true);
            CapturedPacket quoted = error.quoted().orElseThrow();
            assertThat(quoted.ttl()).isEqualTo(1); // decremented by router 1 on the way
            assertThat(quoted.firstTransportBytes()).isEqualTo(probe.firstTransportBytes());
            assertThat(quoted.ipId()).isEqualTo(probe.ipId());
            assertThat(quoted.transportChecksumOk()).contains(true); // Linux quotes the whole probe

            // and tcpdump agrees
            String text = PacketCapture.tcpdumpText(c, "-vv");
            // both the probe and the copy router 2 quotes
            assertThat(text.split("udp sum ok", -1)).hasSize(3);
            assertThat(text).doesNotContain("bad udp cksum");
        }
    }

    @Test
    void withChecksumOffloadKeptRoutersQuoteAPartialChecksum() throws Exception {
        try (Lab lab = Lab.chain(3).icmpUnlimited("the capture must see each answer it parses").keepChecksumOffload().build()) {
            PacketCapture.Capture c = oneUdpProbe(lab);
            CapturedPacket error = c.packets().stream().filter(p -> p.protocol() == 1).findFirst().orElseThrow();
            assertThat(error.quoted().orElseThrow().transportChecksumOk()).contains(false);
        }
    }

    @Test
    void ipv6FieldsParse() throws Exception {
        try (Lab lab = Lab.chain(3).ipv6().icmpUnlimited("the capture must see each answer it parses").build()) {
            PacketCapture.Capture c = PacketCapture.during(lab, 0, lab.hostInterface(), "ip6 and (udp or icmp6)",
                    () -> Traceroute.trace(lab, List.of("-6", "-U", "-q", "1", "-f", "2", "-m", "2"), lab.destination6()));
            CapturedPacket probe = c.packets().stream().filter(p -> p.protocol() == 17).findFirst().orElseThrow();
            assertThat(probe.ipVersion()).isEqualTo(6);
            assertThat(probe.source()).isEqualTo(lab.hostAddress6());
            assertThat(probe.destination()).isEqualTo(lab.destination6());
            assertThat(probe.ttl()).isEqualTo(2);
            assertThat(probe.flowLabel()).isPresent();
            assertThat(probe.ipId()).isEmpty();
            assertThat(probe.transportChecksumOk()).contains(true);
            CapturedPacket error = c.packets().stream().filter(p -> p.protocol() == 58 && p.icmpType().getAsInt() == 3)
                    .findFirst().orElseThrow();
            assertThat(error.source()).isEqualTo(lab.expectedResponder6(2).orElseThrow());
            CapturedPacket quoted = error.quoted().orElseThrow();
            assertThat(quoted.flowLabel()).isEqualTo(probe.flowLabel());
            assertThat(quoted.firstTransportBytes()).isEqualTo(probe.firstTransportBytes());
            assertThat(quoted.transportChecksumOk()).contains(true);
        }
    }

    @Test
    void tcpdumpIsStoppedWhenTheActionThrows() {
        try (Lab lab = Lab.chain(2).build()) {
            assertThatThrownBy(() -> PacketCapture.during(lab, 1, "uplink", "", () -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            String ps = Processes.output("ps", "-eo", "args");
            assertThat(ps.lines().filter(l -> l.startsWith("tcpdump") && l.contains("uplink"))).isEmpty();
        }
    }
}
