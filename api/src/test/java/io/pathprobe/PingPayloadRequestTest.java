package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
/** Payload size in the request and the SPI records: defaults, validation, the old constructors. */
class PingPayloadRequestTest {
    @Test
    void defaultsAndGivenSizes() {
        PingRequest r = PingRequest.of("198.19.0.1");
        assertThat(r.payloadSize()).isEmpty();
        assertThat(r.payloadSize(PingKind.ICMP)).isEqualTo(56);
        assertThat(r.payloadSize(PingKind.UDP)).isEqualTo(-1);
        PingRequest s = PingRequest.builder().target("198.19.0.1").payloadSize(1000).build();
        assertThat(s.payloadSize()).hasValue(1000);
        assertThat(s.payloadSize(PingKind.ICMP)).isEqualTo(1000);
        assertThat(s.payloadSize(PingKind.UDP)).as("kept by the fallback").isEqualTo(1000);
        assertThat(s.toBuilder().build().payloadSize()).hasValue(1000);
        assertThat(PingRequest.builder().target("x").kind(PingKind.UDP).payloadSize(0).build().payloadSize()).hasValue(0);
    }

    @Test
    void badSizesAreTypedErrors() {
        assertThatThrownBy(() -> PingRequest.builder().payloadSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..65507");
        assertThatThrownBy(() -> PingRequest.builder().payloadSize(65508)).isInstanceOf(IllegalArgumentException.class);
        for (PingKind k : List.of(PingKind.TCP, PingKind.DNS, PingKind.HTTP)) {
            assertThatThrownBy(() -> PingRequest.builder().target("x").kind(k).payloadSize(10).build()).as("%s", k)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(k.name());
        }
    }

    @Test
    void sessionSpecKeepsItsOldFormsAndChecksTheRange() throws Exception {
        InetAddress a = InetAddress.getByName("198.19.0.1");
        SessionSpec s = SessionSpec.fixed(ProbeProtocol.ICMP, a, 33434);
        assertThat(s.payloadSize()).isEqualTo(SessionSpec.DEFAULT_PAYLOAD);
        assertThat(s.hasPayloadSize()).isFalse();
        assertThat(s.withPayloadSize(0).payloadSize()).isZero();
        assertThat(s.withPayloadSize(65507).withFlowPolicy(io.pathprobe.spi.FlowPolicy.EXPLICIT).payloadSize()).isEqualTo(65507);
        assertThatThrownBy(() -> s.withPayloadSize(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.withPayloadSize(65508)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void probeResponseOldConstructorsLeaveTheLengthUnknown() throws Exception {
        InetAddress a = InetAddress.getByName("198.19.0.1");
        ProbeResponse r = new ProbeResponse(1, ResponseKind.ECHO_REPLY, 0, 0, a, 5);
        assertThat(r.replyLength()).isEqualTo(ProbeResponse.UNKNOWN);
        ProbeResponse full = new ProbeResponse(1, ResponseKind.ECHO_REPLY, 0, 0, a, 5, 64, -1, -1, -1, -1, List.of());
        assertThat(full.replyLength()).isEqualTo(ProbeResponse.UNKNOWN);
        assertThat(full.withReplyLength(64).replyLength()).isEqualTo(64);
    }
}
