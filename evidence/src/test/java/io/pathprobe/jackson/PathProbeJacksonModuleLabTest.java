package io.pathprobe.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.PathTracer;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real results from a lab diamond (router 1, two parallel routers, router 3, the destination at TTL
 * 4): an ObjectMapper with {@link PathProbeJacksonModule} writes the same JSON, in meaning, as
 * {@link PathProbeJson}.
 */
@LabTest
class PathProbeJacksonModuleLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.diamond(2, EcmpHash.LINUX_L4).inCurrentNamespace());

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new PathProbeJacksonModule());
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Test
    void traceAndPingAndMultipath() throws Exception {
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            TraceResult trace = tracer.trace(TraceRequest.builder(LAB.lab().destination().getHostAddress())
                    .probeTimeout(Duration.ofMillis(500)).build());
            assertThat(trace.destinationReached()).isTrue();
            JsonNode t = MAPPER.readTree(MAPPER.writeValueAsString(trace));
            assertThat(t).isEqualTo(PLAIN.readTree(TraceJson.write(trace)));
            assertThat(t.get("hops")).hasSize(4);
            assertThat(t.get("hops").get(3).get("address").asText()).isEqualTo(LAB.lab().destination().getHostAddress());

            PingResult ping = tracer.measure(PingRequest.builder().target(LAB.lab().destination()).count(3)
                    .interval(Duration.ofMillis(20)).probeTimeout(Duration.ofMillis(500)).build());
            JsonNode p = MAPPER.readTree(MAPPER.writeValueAsString(ping));
            assertThat(p).isEqualTo(PLAIN.readTree(PingJson.write(ping)));
            assertThat(p.get("results").get(0).get("received").asInt()).isEqualTo(3);
            assertThat(p.get("results").get(0).get("rtts")).hasSize(3);

            MultipathResult m = tracer.measure(MultipathRequest.builder(LAB.lab().destination().getHostAddress())
                    .maxTtl(8).pathProbes(3).confidence(99.99).build());
            JsonNode j = MAPPER.readTree(MAPPER.writeValueAsString(m));
            assertThat(j).isEqualTo(PLAIN.readTree(MultipathJson.write(m)));
            assertThat(j.get("maxWidth").asInt()).isEqualTo(2);
            assertThat(j.get("paths")).hasSize(2);
        }
    }
}
