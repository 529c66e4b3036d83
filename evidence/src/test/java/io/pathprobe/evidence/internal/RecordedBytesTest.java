package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.trace.TraceRequest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sessions and requests of the recordings kept here write back to their bytes (the codecs iterate a session's
 * components and the shared options), and what an older recording lacks reads as the default.
 */
class RecordedBytesTest {
    private static final List<String> RECORDINGS = List.of("launched-on-the-first-ones-result.ndjson",
            "lossy-unlimited-destination-udp.ndjson", "lookups-pending-at-the-result.ndjson",
            "two-set-ups-at-once.ndjson");

    @Test
    void everyRecordedSessionAndRequestWritesBackToItsBytes() throws Exception {
        int sessions = 0;
        int requests = 0;
        for (String name : RECORDINGS) {
            try (InputStream in = RecordedBytesTest.class.getResourceAsStream(name)) {
                assertThat(in).as(name).isNotNull();
                for (String line : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                        .toList()) {
                    JsonNode n = Codec.JSON.readTree(line);
                    if (n.path("type").asText().equals("session")) {
                        assertThat(text(Codec.session(Codec.session(n.get("spec"))))).isEqualTo(text(n.get("spec")));
                        sessions++;
                    } else if (n.path("type").asText().equals("request")) {
                        Object request = RequestCodec.read(n.get("measurement").asText(), n.get("request"));
                        assertThat(text(RequestCodec.write(request))).isEqualTo(text(n.get("request")));
                        requests++;
                    }
                }
            }
        }
        assertThat(sessions).isGreaterThanOrEqualTo(RECORDINGS.size());
        assertThat(requests).isGreaterThanOrEqualTo(RECORDINGS.size());
    }

    @Test
    void aSessionWithoutTheComponentsAddedLaterReadsWithTheirDefaults() throws Exception {
        ObjectNode n = (ObjectNode) Codec.JSON.readTree("{\"protocol\":\"UDP\",\"destination\":\"198.18.0.9\","
                + "\"port\":33434,\"flowPolicy\":\"FIXED\",\"flow\":7,\"payload\":100}");
        SessionSpec s = Codec.session(n);
        assertThat(s).isEqualTo(new SessionSpec(io.pathprobe.probe.ProbeProtocol.UDP, Codec.address("198.18.0.9"),
                33434, io.pathprobe.spi.FlowPolicy.FIXED, 7, 100));
        assertThat(text(Codec.session(s))).isEqualTo("{\"protocol\":\"UDP\",\"destination\":\"198.18.0.9\","
                + "\"port\":33434,\"flowPolicy\":\"FIXED\",\"flow\":7,\"payload\":100,"
                + "\"connectTimeoutNanos\":3000000000,\"trafficClass\":0}");
        n.remove("flow");
        assertThatThrownBy(() -> Codec.session(n)).isInstanceOf(Codec.BadRecord.class)
                .hasMessage("\"flow\" missing or not a whole number");
    }

    @Test
    void theSharedOptionsFollowARequestsOwnFieldsAndReadBack() throws Exception {
        TraceRequest marked = TraceRequest.builder("198.18.0.9").packetsPerSecond(50)
                .trafficClass(TrafficClass.parse("EF")).build();
        ObjectNode n = RequestCodec.write(marked);
        assertThat(text(n)).endsWith(",\"tcpMode\":\"SYN\",\"packetsPerSecond\":50,\"trafficClass\":184}");
        assertThat(RequestCodec.read("trace", Codec.reread(n))).isEqualTo(marked);
        n.remove(List.of("packetsPerSecond", "trafficClass"));
        assertThat(RequestCodec.read("trace", Codec.reread(n)))
                .isEqualTo(TraceRequest.builder("198.18.0.9").build());
    }

    private static String text(JsonNode n) throws Exception {
        return Codec.JSON.writeValueAsString(n);
    }
}
