package io.pathprobe.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.pathprobe.json.BufferbloatJson;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** An ObjectMapper with the module writes what PathProbeJson writes, for whole results and their parts. */
class PathProbeJacksonModuleTest {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new PathProbeJacksonModule());

    private static JsonNode viaJackson(Object value) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsString(value));
    }

    private static JsonNode read(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void resultsAreTheLibrarysDocuments() throws Exception {
        assertThat(viaJackson(Samples.trace())).isEqualTo(read(TraceJson.write(Samples.trace())));
        assertThat(viaJackson(Samples.trace6())).isEqualTo(read(TraceJson.write(Samples.trace6())));
        assertThat(viaJackson(Samples.ping())).isEqualTo(read(PingJson.write(Samples.ping())));
        assertThat(viaJackson(Samples.multipath())).isEqualTo(read(MultipathJson.write(Samples.multipath())));
        assertThat(viaJackson(Samples.bufferbloat())).isEqualTo(read(BufferbloatJson.write(Samples.bufferbloat())));
        JsonNode t = viaJackson(Samples.trace());
        assertThat(t.get("durationMs").asDouble()).as("durations in ms").isEqualTo(1500.25);
        assertThat(t.get("destinationReached").asBoolean()).as("derived fields").isTrue();
        assertThat(t.get("hops").get(1).get("loss").asDouble()).isEqualTo(1 / 3.0);
        assertThat(t.get("hops").get(1).get("probes").get(1).get("rttMs").isNull()).as("an empty Optional is null").isTrue();
    }

    /** An application's own report, with pathprobe's parts in it. */
    record Report(String host, TraceResult trace, Hop firstHop, List<PingTargetResult> targets, Optional<String> note,
            Optional<Hop> missing, OptionalInt count, OptionalDouble nothing, InetAddress address) {}

    @Test
    void partsInsideTheApplicationsOwnTypes() throws Exception {
        TraceResult trace = Samples.trace();
        Report report = new Report("h", trace, trace.hops().get(0), Samples.ping().targets(), Optional.of("n"),
                Optional.empty(), OptionalInt.of(3), OptionalDouble.empty(), Samples.ip("2001:db8:0:0:0:0:0:1"));
        JsonNode j = viaJackson(report);
        JsonNode doc = read(TraceJson.write(trace));
        assertThat(j.get("trace")).isEqualTo(doc);
        assertThat(j.get("firstHop")).isEqualTo(doc.get("hops").get(0));
        assertThat(j.get("targets")).isEqualTo(read(PingJson.write(Samples.ping())).get("results"));
        assertThat(j.get("note").asText()).isEqualTo("n");
        assertThat(j.get("missing").isNull()).isTrue();
        assertThat(j.get("count").asInt()).isEqualTo(3);
        assertThat(j.get("nothing").isNull()).isTrue();
        assertThat(j.get("address").asText()).isEqualTo("2001:db8::1");
        MultipathResult m = Samples.multipath();
        JsonNode mp = read(MultipathJson.write(m));
        assertThat(viaJackson(m.nodes())).isEqualTo(mp.get("nodes"));
        assertThat(viaJackson(m.paths())).isEqualTo(mp.get("paths"));
        assertThat(viaJackson(m.diamonds())).isEqualTo(mp.get("diamonds"));
        assertThat(viaJackson(m.links())).isEqualTo(mp.get("links"));
        assertThat(viaJackson(Samples.bufferbloat().samples()))
                .isEqualTo(read(BufferbloatJson.write(Samples.bufferbloat())).get("samples"));
        assertThat(viaJackson(Samples.bufferbloat().download().orElseThrow().load()))
                .isEqualTo(read(BufferbloatJson.write(Samples.bufferbloat())).get("load").get("download"));
    }

    @Test
    void theSchemaIgnoresTheMappersNamingAndInclusion() throws Exception {
        ObjectMapper other = new ObjectMapper().registerModule(new PathProbeJacksonModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
        JsonNode j = other.readTree(other.writeValueAsString(Samples.trace6()));
        assertThat(j).isEqualTo(read(TraceJson.write(Samples.trace6())));
        assertThat(j.get("publicAddress").isNull()).isTrue();
    }
}
