package io.pathprobe.json;

import static io.pathprobe.testing.Samples.ISP;
import static io.pathprobe.testing.Samples.START;
import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InvalidSchemaException;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.MeasurementConfidence;
import io.pathprobe.bufferbloat.RpmCategory;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Segment;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas in docs/schema against what {@link PathProbeJson} writes: every document the writer
 * writes validates with no error, a document the writer could not have written does not, and each schema
 * stays in step with the writer's version constants and the API's enums. The schemas are read from the
 * files users get; nothing is loaded from the network (only the validator's own copy of the 2020-12
 * meta-schema, from its class path).
 */
class PathProbeJsonSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** docs/schema, from the api module's base directory (Surefire sets basedir; the working directory is the same). */
    static final Path SCHEMAS = Path.of(System.getProperty("basedir", ".")).resolve("../docs/schema").normalize();

    /** The validator may load only from its class path (its meta-schemas): any other IRI fails instead of being fetched. */
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaLoaders(l -> l.add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));

    /** format (date-time) is an assertion, not only an annotation. */
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private static final Map<String, Integer> VERSIONS = Map.of(
            "trace", TraceJson.SCHEMA_VERSION,
            "ping", PingJson.SCHEMA_VERSION,
            "multipath", MultipathJson.SCHEMA_VERSION,
            "bufferbloat", BufferbloatJson.SCHEMA_VERSION,
            "monitor", MonitorJson.SCHEMA_VERSION,
            "mtu", MtuJson.SCHEMA_VERSION,
            "monitor-round", MonitorJson.ROUND_SCHEMA_VERSION,
            "compare", CompareJson.SCHEMA_VERSION,
            "diff", DiffJson.SCHEMA_VERSION,
            "error", ErrorJson.SCHEMA_VERSION);

    private static final Map<String, JsonSchema> COMPILED = new LinkedHashMap<>();

    static JsonNode schemaFile(String name) throws IOException {
        return JSON.readTree(Files.readString(SCHEMAS.resolve(name + ".schema.json")));
    }

    static synchronized JsonSchema schema(String name) throws IOException {
        JsonSchema s = COMPILED.get(name);
        if (s == null) {
            s = FACTORY.getSchema(schemaFile(name), CONFIG);
            s.initializeValidators(); // resolve every $ref now
            COMPILED.put(name, s);
        }
        return s;
    }

    static Set<ValidationMessage> errors(String schema, JsonNode document) throws IOException {
        return schema(schema).validate(document);
    }

    static Set<ValidationMessage> errors(String schema, String document) throws IOException {
        return errors(schema, JSON.readTree(document));
    }

    static void assertValid(String schema, String document) throws IOException {
        assertThat(errors(schema, document)).as("%s document:%n%s", schema, document).isEmpty();
    }

    // ---- the writer's documents validate --------------------------------------------------------

    @Test
    void traceDocumentsValidate() throws IOException {
        List<TraceResult> traces = List.of(Samples.trace(), Samples.trace6(), enrichedOtherwise(), silentTrace(), emptyTrace(),
                inConnection(silentTrace()));
        for (TraceResult t : traces) {
            assertValid("trace", TraceJson.write(t));
        }
        // the parts the complete sample must have exercised: enrichment, MPLS, an ICMP error, a send failure, an abandoned probe
        JsonNode j = JSON.readTree(TraceJson.write(Samples.trace()));
        assertThat(j.get("context").get("localAsn").isObject()).isTrue();
        assertThat(j.get("hops").get(1).get("probes").get(0).get("mpls")).hasSize(2);
        assertThat(j.get("hops").get(2).get("probes").get(1).get("failure").isTextual()).isTrue();
        assertThat(j.get("hops").get(3).get("probes").get(1).get("status").asText()).isEqualTo("ABANDONED");
        // an IPv6 STUN server in brackets (trace version 5): the port cannot be read into the address
        assertThat(JSON.readTree(TraceJson.write(silentTrace())).get("context").get("stunServer").asText())
                .isEqualTo("[2001:db8::53]:3478");
        // how TCP probes travelled (trace version 7): null for other protocols
        assertThat(JSON.readTree(TraceJson.write(silentTrace())).get("tcpMode").asText()).isEqualTo("syn");
        assertThat(JSON.readTree(TraceJson.write(inConnection(silentTrace()))).get("tcpMode").asText())
                .isEqualTo("in_connection");
        assertThat(j.get("tcpMode").isNull()).as(Samples.trace().protocol().toString()).isTrue();
    }

    /** {@code t} (TCP) as a trace inside a connection. */
    static TraceResult inConnection(TraceResult t) {
        return new TraceResult(t.target(), t.destination(), t.protocol(), "linux-tcp-in-connection", t.status(), t.hops(),
                t.startedAt(), t.duration(), t.unmatchedReplies(), t.protocolNote(), t.flowMode(), t.flows(), t.context(),
                t.request(), Optional.of(io.pathprobe.trace.TcpMode.IN_CONNECTION));
    }

    @Test
    void pingDocumentsValidate() throws IOException {
        assertValid("ping", PingJson.write(Samples.ping()));
        assertValid("ping", PingJson.write(Samples.udpPing()));
        assertValid("ping", PingJson.write(PathProbeJsonTest.keptLastTwo())); // with kept
        PingRequest request = PingRequest.builder().targets("198.18.0.10").payloadSize(100).build();
        assertValid("ping", PingJson.write(Samples.ping(), request));
        assertValid("ping", PingJson.write(unansweredPing(0.75)));
        String nan = PingJson.write(unansweredPing(Double.NaN));
        assertThat(JSON.readTree(nan).get("results").get(0).get("loss").isNull()).isTrue();
        assertValid("ping", nan);
        // only a name that did not resolve (a ping has at least one target)
        assertValid("ping", PingJson.write(new PingResult(List.of(Samples.ping().targets().get(1)), PingStatus.NO_ROUTE,
                START, Duration.ZERO)));
    }

    @Test
    void multipathDocumentsValidate() throws IOException {
        MultipathResult m = Samples.multipath();
        assertValid("multipath", MultipathJson.write(m));
        assertValid("multipath", MultipathJson.write(enriched(m)));
        MultipathResult nan = new MultipathResult(m.request(), m.destination(), m.transport(), m.protocol(), m.status(),
                m.startedAt(), m.duration(), m.nodes(), m.links(), m.diamonds(), m.paths(), m.probes(), m.discoveryProbes(),
                Double.POSITIVE_INFINITY, Double.NaN, m.destinationReached(), m.unexplored(), m.notes());
        assertValid("multipath", MultipathJson.write(nan));
        assertValid("multipath", MultipathJson.write(cutShort()));
        assertValid("multipath", MultipathJson.write(new MultipathResult(
                MultipathRequest.builder("no.such.name.lab.example").build(), ip("0.0.0.0"), "", ProbeProtocol.ICMP,
                MultipathStatus.NO_ROUTE, START, Duration.ZERO, List.of(), List.of(), List.of(), List.of(), 0, 0, 95.0, 0.0,
                false, List.of(), List.of())));
    }

    @Test
    void bufferbloatDocumentsValidate() throws IOException {
        assertValid("bufferbloat", BufferbloatJson.write(Samples.bufferbloat()));
        assertValid("bufferbloat", BufferbloatJson.write(bothDirections()));
        assertValid("bufferbloat", BufferbloatJson.write(loadFailed()));
    }

    @Test
    void monitorDocumentsValidate() throws IOException {
        MonitorResult m = Samples.monitor();
        assertValid("monitor", MonitorJson.write(m));
        JsonNode j = JSON.readTree(MonitorJson.write(m));
        assertThat(j.get("hops").get(0).get("responders")).hasSize(2);
        assertThat(j.get("hops").get(0).get("responders").get(0).get("asn").get("number").asLong()).isEqualTo(64500);
        assertThat(j.get("hops").get(1).get("total").get("avgMs").isNull()).as("a silent TTL has no RTT").isTrue();
        assertThat(j.get("hops").get(2).get("total").get("loss").asDouble()).isEqualTo(0.1);
        assertThat(j.get("path").get("hops").get(1)).isEmpty();
        // nothing sent yet: a snapshot before the first round
        MonitorResult empty = new MonitorResult("no.such.name.lab.example", Optional.empty(), ProbeProtocol.ICMP, "",
                MonitorStatus.RUNNING, 0, START, Duration.ZERO, List.of(), MonitorStatistics.NONE, 0, Double.NaN, 0,
                MonitorPath.NONE, 0, Optional.empty(), m.request(), io.pathprobe.probe.MaskStatement.NONE);
        String e = MonitorJson.write(empty);
        assertValid("monitor", e);
        assertThat(JSON.readTree(e).get("endToEnd").get("loss").isNull()).isTrue();
        assertThat(JSON.readTree(e).get("hopCount").get("avg").isNull()).isTrue();
        expectFailure("monitor", MonitorJson.write(m), "additionalProperties",
                j2 -> ((ObjectNode) j2).put("extra", 1),
                j2 -> ((ObjectNode) j2.get("hops").get(0)).put("extra", 1),
                j2 -> ((ObjectNode) j2.get("hops").get(0).get("total")).put("p999Ms", 1.0),
                j2 -> ((ObjectNode) j2.get("hops").get(0).get("responders").get(0)).put("extra", 1),
                j2 -> ((ObjectNode) j2.get("path")).put("extra", 1));
        expectFailure("monitor", MonitorJson.write(m), "required",
                j2 -> ((ObjectNode) j2).remove("pathChanges"),
                j2 -> ((ObjectNode) j2.get("hops").get(0).get("window")).remove("p99Ms"));
    }

    @Test
    void mtuDocumentsValidate() throws IOException {
        io.pathprobe.mtu.MtuResult m = io.pathprobe.testing.Samples.mtu();
        assertValid("mtu", MtuJson.write(m));
        JsonNode j = JSON.readTree(MtuJson.write(m));
        assertThat(j.get("firstLinkMtu").asInt()).isEqualTo(1500);
        assertThat(j.get("hops").get(3).get("tooBig").asInt()).isEqualTo(1280);
        assertThat(j.get("hops").get(3).get("tooBigFrom").asText()).isEqualTo("198.18.0.10");
        assertThat(j.get("hops").get(4).get("address").isNull()).as("a silent TTL").isTrue();
        assertThat(j.get("blackHole").get("largestPassing").asInt()).isEqualTo(1200);
        assertThat(j.get("blackHole").get("after").isNull()).isTrue();
        // before it started: nothing known
        io.pathprobe.mtu.MtuResult empty = new io.pathprobe.mtu.MtuResult("no.such.name.lab.example", Optional.empty(), "",
                TraceStatus.RUNNING, java.util.OptionalInt.empty(), List.of(), java.util.OptionalInt.empty(),
                Optional.empty(), 0, START, Duration.ZERO, io.pathprobe.probe.MaskStatement.NONE);
        assertValid("mtu", MtuJson.write(empty));
        expectFailure("mtu", MtuJson.write(m), "additionalProperties",
                x -> ((com.fasterxml.jackson.databind.node.ObjectNode) x.get("hops").get(0)).put("mtu", 1500));
        expectFailure("mtu", MtuJson.write(m), "required",
                x -> ((com.fasterxml.jackson.databind.node.ObjectNode) x.get("blackHole")).remove("smallestLost"));
        expectFailure("mtu", MtuJson.write(m), "enum",
                x -> ((com.fasterxml.jackson.databind.node.ObjectNode) x).put("status", "REACHED"));
    }

    @Test
    void monitorRoundLinesValidate() throws IOException {
        io.pathprobe.monitor.MonitorPath before = new io.pathprobe.monitor.MonitorPath(1, List.of(Set.of(Samples.ip("198.18.1.2")),
                Set.of(), Set.of(Samples.ip("198.19.0.1"))), true);
        io.pathprobe.monitor.MonitorPath after = new io.pathprobe.monitor.MonitorPath(1, List.of(Set.of(Samples.ip("198.18.9.2")),
                Set.of(), Set.of(Samples.ip("198.19.0.1"))), true);
        List<io.pathprobe.monitor.MonitorEvent> events = List.of(
                new io.pathprobe.monitor.MonitorEvent.HopChanged(7, 1, Set.of(Samples.ip("198.18.1.2")), Set.of(Samples.ip("198.18.9.2"))),
                new io.pathprobe.monitor.MonitorEvent.PathChanged(7, before, after),
                new io.pathprobe.monitor.MonitorEvent.DestinationLost(7, 3),
                new io.pathprobe.monitor.MonitorEvent.DestinationRegained(7, 4),
                new io.pathprobe.monitor.MonitorEvent.ThresholdCrossed(7, 2, io.pathprobe.monitor.MonitorEvent.ThresholdKind.LOSS, 0.25,
                        0.2, true));
        io.pathprobe.monitor.MonitorRound round = new io.pathprobe.monitor.MonitorRound(7, Samples.trace(), after, events);
        String line = MonitorJson.line(round);
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertValid("monitor-round", line);
        JsonNode j = JSON.readTree(line);
        assertThat(j.get("type").asText()).isEqualTo("round");
        assertThat(j.get("round").asLong()).isEqualTo(7);
        assertThat(j.get("events")).extracting(e -> e.get("type").asText()).containsExactly("hopChanged", "pathChanged",
                "destinationLost", "destinationRegained", "thresholdCrossed");
        assertThat(j.get("hops").get(0).get("fromStopSet").asBoolean()).isFalse();
        expectFailure("monitor-round", line, "additionalProperties", j2 -> ((ObjectNode) j2).put("extra", 1));
        expectFailure("monitor-round", line, "required", j2 -> ((ObjectNode) j2).remove("events"));
    }

    @Test
    void errorDocumentsValidate() throws IOException {
        for (String type : List.of("usage", "unknown_target", "no_transport", "invalid_argument", "server", "pathprobe",
                "internal")) {
            assertValid("error", ErrorJson.write(type, "no \"such\" host\n" + Samples.ODD_NAME));
        }
        assertValid("error", ErrorJson.write("internal", ""));
    }

    // ---- documents the writer could not have written do not -------------------------------------

    @Test
    void anUnknownFieldFails() throws IOException {
        expectFailure("trace", TraceJson.write(Samples.trace()), "additionalProperties",
                j -> ((ObjectNode) j).put("extra", 1),
                j -> ((ObjectNode) j.get("context")).put("extra", 1),
                j -> ((ObjectNode) j.get("context").get("localAsn")).put("country", "ZZ"),
                j -> ((ObjectNode) j.get("hops").get(1)).put("extra", 1),
                j -> ((ObjectNode) j.get("hops").get(1).get("responders").get(0)).put("extra", 1),
                j -> ((ObjectNode) j.get("hops").get(1).get("probes").get(0)).put("extra", 1));
        expectFailure("ping", PingJson.write(Samples.ping()), "additionalProperties",
                j -> ((ObjectNode) j).put("extra", 1),
                j -> ((ObjectNode) j.get("results").get(0)).put("pending", 0),
                j -> ((ObjectNode) j.get("results").get(0).get("rtt")).put("p999", 1.0));
        expectFailure("multipath", MultipathJson.write(enriched(Samples.multipath())), "additionalProperties",
                j -> ((ObjectNode) j).put("extra", 1),
                j -> ((ObjectNode) j.get("nodes").get(0)).put("extra", 1),
                j -> ((ObjectNode) j.get("nodes").get(0).get("rtt")).put("last", 1.0),
                j -> ((ObjectNode) j.get("links").get(0)).put("extra", 1),
                j -> ((ObjectNode) j.get("diamonds").get(0)).put("extra", 1),
                j -> ((ObjectNode) j.get("diamonds").get(0).get("divergence")).put("extra", 1),
                j -> ((ObjectNode) j.get("paths").get(0)).put("lossInterval", 0.1),
                j -> ((ObjectNode) j.get("paths").get(0).get("hops").get(0)).put("extra", 1));
        expectFailure("bufferbloat", BufferbloatJson.write(Samples.bufferbloat()), "additionalProperties",
                j -> ((ObjectNode) j).put("startedAt", "2026-11-21T10:00:00.250Z"),
                j -> ((ObjectNode) j.get("loadedLatencyMs")).put("concurrent", 1.0),
                j -> ((ObjectNode) j.get("samples").get(0)).put("extra", 1));
        expectFailure("error", ErrorJson.write("usage", "bad"), "additionalProperties",
                j -> ((ObjectNode) j).put("extra", 1),
                j -> ((ObjectNode) j.get("error")).put("detail", "x"));
    }

    @Test
    void aMissingRequiredFieldFails() throws IOException {
        expectFailure("trace", TraceJson.write(Samples.trace()), "required",
                j -> ((ObjectNode) j).remove("status"),
                j -> ((ObjectNode) j).remove("protocolNote"), // a null field is written, not left out
                j -> ((ObjectNode) j.get("context")).remove("localAsnStatus"),
                j -> ((ObjectNode) j.get("hops").get(0)).remove("ttl"),
                j -> ((ObjectNode) j.get("hops").get(0).get("probes").get(0)).remove("natId"));
        expectFailure("ping", PingJson.write(Samples.ping()), "required",
                j -> ((ObjectNode) j).remove("payloadSize"),
                j -> ((ObjectNode) j.get("results").get(0)).remove("bytes"));
        expectFailure("multipath", MultipathJson.write(Samples.multipath()), "required",
                j -> ((ObjectNode) j).remove("context"),
                j -> ((ObjectNode) j.get("nodes").get(0)).remove("segment"),
                j -> ((ObjectNode) j.get("paths").get(0)).remove("hops"));
        expectFailure("bufferbloat", BufferbloatJson.write(Samples.bufferbloat()), "required",
                j -> ((ObjectNode) j).remove("grade"),
                j -> ((ObjectNode) j.get("loadedLatencyP90Ms")).remove("upload"));
        expectFailure("error", ErrorJson.write("usage", "bad"), "required",
                j -> ((ObjectNode) j).remove("schemaVersion"),
                j -> ((ObjectNode) j.get("error")).remove("message"));
    }

    @Test
    void aWrongSchemaVersionFails() throws IOException {
        Map<String, String> documents = Map.of("trace", TraceJson.write(Samples.trace()),
                "ping", PingJson.write(Samples.ping()),
                "multipath", MultipathJson.write(Samples.multipath()),
                "bufferbloat", BufferbloatJson.write(Samples.bufferbloat()),
                "error", ErrorJson.write("usage", "bad"));
        for (Map.Entry<String, String> e : documents.entrySet()) {
            int v = VERSIONS.get(e.getKey());
            expectFailure(e.getKey(), e.getValue(), "const",
                    j -> ((ObjectNode) j).put("schemaVersion", v + 1),
                    j -> ((ObjectNode) j).put("schemaVersion", v - 1));
            expectFailure(e.getKey(), e.getValue(), "const", j -> ((ObjectNode) j).put("schemaVersion", String.valueOf(v)));
        }
    }

    @Test
    void aWrongTypeFails() throws IOException {
        expectFailure("trace", TraceJson.write(Samples.trace()), "type",
                j -> ((ObjectNode) j).put("durationMs", "1500.25"),
                j -> ((ObjectNode) j).put("destinationReached", "true"),
                j -> ((ObjectNode) j).putNull("target"),
                j -> ((ObjectNode) j).putObject("hops"),
                j -> ((ObjectNode) j).put("flows", 1.5),
                j -> ((ObjectNode) j.get("hops").get(0)).put("loss", "0%"),
                j -> ((ObjectNode) j.get("hops").get(0)).putNull("rtts"),
                j -> ((ArrayNode) j.get("hops").get(0).get("rtts")).add("0.5"),
                j -> ((ArrayNode) j.get("hops").get(1).get("probes").get(0).get("mpls")).add(24001),
                j -> ((ObjectNode) j.get("context").get("localAsn")).put("number", "AS64500"));
        expectFailure("ping", PingJson.write(Samples.ping()), "type",
                j -> ((ObjectNode) j.get("results").get(0)).put("sent", "5"),
                j -> ((ArrayNode) j.get("results").get(0).get("bytes")).add(64.5),
                j -> ((ObjectNode) j.get("results").get(0).get("rtt")).put("exactPercentiles", 1));
        expectFailure("multipath", MultipathJson.write(Samples.multipath()), "type",
                j -> ((ObjectNode) j).put("complete", "yes"),
                j -> ((ObjectNode) j).putNull("destination"),
                j -> ((ObjectNode) j.get("nodes").get(0)).put("flows", 5),
                j -> ((ObjectNode) j.get("paths").get(0)).putNull("loss"));
        expectFailure("bufferbloat", BufferbloatJson.write(Samples.bufferbloat()), "type",
                j -> ((ObjectNode) j).put("rpm", 1200.4),
                j -> ((ObjectNode) j).putNull("idleLatencyMs"),
                j -> ((ObjectNode) j).put("notes", "a note"));
        expectFailure("error", ErrorJson.write("usage", "bad"), "type",
                j -> ((ObjectNode) j.get("error")).putNull("message"),
                j -> ((ObjectNode) j).put("error", "usage"));
    }

    @Test
    void aValueOutsideAnEnumOrPatternFails() throws IOException {
        expectFailure("trace", TraceJson.write(Samples.trace()), "enum",
                j -> ((ObjectNode) j).put("status", "FINISHED"),
                j -> ((ObjectNode) j).put("protocol", "ICMP"), // lower case in the document
                j -> ((ObjectNode) j).put("flowMode", "dublin"),
                j -> ((ObjectNode) j.get("hops").get(0)).put("segment", "lan"),
                j -> ((ObjectNode) j.get("hops").get(0).get("probes").get(0)).put("status", "LOST"),
                j -> ((ObjectNode) j.get("context")).put("publicAddressStatus", "UNKNOWN"));
        expectFailure("trace", TraceJson.write(Samples.trace()), "pattern",
                j -> ((ObjectNode) j).put("destination", "dst.lab.example"),
                j -> ((ObjectNode) j).put("destination", "2001:DB8::10"), // RFC 5952: lower case
                j -> ((ArrayNode) j.get("hops").get(1).get("probes").get(0).get("mpls")).add("24001"),
                j -> ((ObjectNode) j.get("context")).put("stunServer", "198.18.0.53"),
                j -> ((ObjectNode) j.get("context")).put("stunServer", "2001:db8::53:3478")); // version 4's form
        expectFailure("trace", TraceJson.write(Samples.trace()), "format",
                j -> ((ObjectNode) j).put("startedAt", "21 Nov 2026 10:00"));
        expectFailure("ping", PingJson.write(Samples.ping()), "enum",
                j -> ((ObjectNode) j).put("status", "COMPLETE"),
                j -> ((ObjectNode) j.get("results").get(0)).put("kind", "ICMP"),
                j -> ((ObjectNode) j.get("results").get(0)).put("asnStatus", "found"));
        expectFailure("multipath", MultipathJson.write(Samples.multipath()), "enum",
                j -> ((ObjectNode) j).put("algorithm", "mda_lite"),
                j -> ((ObjectNode) j.get("nodes").get(0)).put("loadBalancing", "PER_DESTINATION"));
        expectFailure("bufferbloat", BufferbloatJson.write(Samples.bufferbloat()), "enum",
                j -> ((ObjectNode) j).put("grade", "A_PLUS"),
                j -> ((ObjectNode) j).put("rpmCategory", "good"),
                j -> ((ObjectNode) j.get("samples").get(0)).put("kind", "UDP"));
        expectFailure("error", ErrorJson.write("usage", "bad"), "enum",
                j -> ((ObjectNode) j.get("error")).put("type", "timeout"));
    }

    /** Each change, applied to a fresh copy of the document, makes it fail with (at least) an error of that keyword. */
    @SafeVarargs
    private static void expectFailure(String schema, String document, String keyword, Consumer<JsonNode>... changes)
            throws IOException {
        assertValid(schema, document);
        for (int i = 0; i < changes.length; i++) {
            JsonNode j = JSON.readTree(document);
            changes[i].accept(j);
            Set<String> keywords = errors(schema, j).stream().map(ValidationMessage::getType).collect(Collectors.toSet());
            assertThat(keywords).as("%s change %d (%s)", schema, i, keyword).contains(keyword);
        }
    }

    // ---- the schemas stay in step with the writer and the API -----------------------------------

    @Test
    void everySchemaVersionConstIsTheWritersConstant() throws IOException {
        try (var files = Files.list(SCHEMAS)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).as("the schema files")
                    .containsExactly("bufferbloat.schema.json", "compare.schema.json", "diff.schema.json", "error.schema.json", "monitor-round.schema.json",
                            "monitor.schema.json", "mtu.schema.json", "multipath.schema.json", "ping.schema.json",
                            "trace.schema.json");
        }
        for (Map.Entry<String, Integer> e : VERSIONS.entrySet()) {
            JsonNode version = schemaFile(e.getKey()).get("properties").get("schemaVersion");
            assertThat(version.get("const").isInt()).as(e.getKey()).isTrue();
            assertThat(version.get("const").asInt()).as("%s.schema.json schemaVersion const", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(JSON.readTree(ErrorJson.write("usage", "")).get("schemaVersion").asInt())
                .isEqualTo(ErrorJson.SCHEMA_VERSION);
    }

    @Test
    void everyEnumListsTheApiEnumsValues() throws IOException {
        List<String> lookup = names(LookupStatus.values(), Enum::name);
        List<String> segment = names(Segment.values(), Enum::name);
        List<String> protocol = names(ProbeProtocol.values(), e -> e.name().toLowerCase(Locale.ROOT));
        assertEnum("trace", "/properties/protocol", protocol);
        assertEnum("trace", "/properties/status", names(TraceStatus.values(), Enum::name));
        assertEnum("trace", "/properties/flowMode", names(FlowMode.values(), e -> e.name().toLowerCase(Locale.ROOT)));
        assertEnum("trace", "/$defs/probe/properties/status", names(ProbeStatus.values(), Enum::name));
        assertEnum("trace", "/$defs/segment", segment);
        assertEnum("trace", "/$defs/lookupStatus", lookup);
        assertEnum("ping", "/properties/status", names(PingStatus.values(), Enum::name));
        assertEnum("ping", "/$defs/target/properties/kind", names(PingKind.values(), e -> e.name().toLowerCase(Locale.ROOT)));
        assertEnum("ping", "/$defs/lookupStatus", lookup);
        assertEnum("multipath", "/properties/protocol", protocol);
        assertEnum("multipath", "/properties/status", names(MultipathStatus.values(), Enum::name));
        assertEnum("multipath", "/properties/algorithm",
                names(MultipathAlgorithm.values(), e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        assertEnum("multipath", "/$defs/loadBalancing", names(LoadBalancing.values(), Enum::name));
        assertEnum("multipath", "/$defs/segment", segment);
        assertEnum("multipath", "/$defs/lookupStatus", lookup);
        assertEnum("bufferbloat", "/properties/status", names(BufferbloatStatus.values(), Enum::name));
        assertEnum("monitor", "/properties/status", names(MonitorStatus.values(), Enum::name));
        assertEnum("monitor", "/properties/protocol", protocol);
        assertEnum("monitor", "/$defs/lookupStatus", lookup);
        assertEnum("mtu", "/properties/status", names(TraceStatus.values(), Enum::name));
        List<String> grade = new ArrayList<>(names(BufferbloatGrade.values(), BufferbloatGrade::text));
        grade.add(null); // null when the test did not complete
        assertEnum("bufferbloat", "/properties/grade", grade);
        List<String> rpm = new ArrayList<>(names(RpmCategory.values(), Enum::name));
        rpm.add(null); // null when not measured
        assertEnum("bufferbloat", "/properties/rpmCategory", rpm);
        assertEnum("bufferbloat", "/$defs/confidence", names(MeasurementConfidence.values(), Enum::name));
        assertEnum("bufferbloat", "/$defs/sample/properties/phase", names(BufferbloatPhase.values(), Enum::name));
        assertEnum("bufferbloat", "/$defs/sample/properties/kind", names(LatencySample.Kind.values(), Enum::name));
    }

    private static <E> List<String> names(E[] values, Function<E, String> name) {
        return Arrays.stream(values).map(name).toList();
    }

    private static void assertEnum(String schema, String pointer, List<String> expected) throws IOException {
        JsonNode e = schemaFile(schema).at(pointer).get("enum");
        assertThat(e).as("%s %s enum", schema, pointer).isNotNull();
        List<String> actual = new ArrayList<>();
        e.forEach(v -> actual.add(v.isNull() ? null : v.asText()));
        assertThat(actual).as("%s %s enum", schema, pointer).containsExactlyElementsOf(expected);
    }

    @Test
    void everySchemaIsAValidSelfContainedClosedDraft202012Schema() throws IOException {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"), CONFIG);
        assertThat(meta.validate(JSON.readTree("{\"type\": \"text\", \"required\": \"ttl\"}"))).as("the meta-schema bites")
                .isNotEmpty();
        for (String name : VERSIONS.keySet()) {
            JsonNode s = schemaFile(name);
            assertThat(meta.validate(s)).as("%s.schema.json against the 2020-12 meta-schema", name).isEmpty();
            assertThat(s.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(s.get("$id").asText()).as("a URN, which no validator fetches").isEqualTo("urn:pathprobe:schema:" + name);
            assertThat(s.get("title").asText()).isNotBlank();
            assertThat(s.get("description").asText()).isNotBlank();
            walk(name, "", s, s);
            schema(name); // compiles, every $ref resolved in the file itself
        }
    }

    @Test
    void nothingIsLoadedFromOutsideTheValidatorsClassPath() {
        // a file IRI, so that even without the guard nothing would leave the machine
        assertThatThrownBy(() -> FACTORY.getSchema(SchemaLocation.of("file:///nonexistent/pathprobe/trace.schema.json"), CONFIG))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("not allowed to be loaded");
    }

    /** Every object schema is closed and requires every property it lists; every $ref points into the file's own $defs. */
    private static void walk(String file, String pointer, JsonNode node, JsonNode root) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(file, pointer + "/" + i, node.get(i), root);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertThat(ref).as("%s %s $ref", file, pointer).startsWith("#/$defs/");
            assertThat(root.at(ref.substring(1)).isMissingNode()).as("%s %s $ref %s", file, pointer, ref).isFalse();
        }
        if (node.has("properties") || "object".equals(node.path("type").asText())) {
            assertThat(node.get("additionalProperties")).as("%s %s additionalProperties", file, pointer).isNotNull();
            assertThat(node.get("additionalProperties").isBoolean() && !node.get("additionalProperties").asBoolean())
                    .as("%s %s additionalProperties false", file, pointer).isTrue();
            Set<String> properties = new HashSet<>();
            // but a field that says it is "absent when" nothing fills it (issue 72: RFC 5837 objects, kept out of
            // every document without them so that those stay byte for byte the same)
            node.get("properties").fields().forEachRemaining(p -> {
                if (!p.getValue().path("description").asText().contains("absent when")) {
                    properties.add(p.getKey());
                }
            });
            Set<String> required = new HashSet<>();
            node.get("required").forEach(r -> required.add(r.asText()));
            assertThat(required).as("%s %s: the writer writes every field, null or not", file, pointer).isEqualTo(properties);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            // the names under properties and $defs are names, not keywords: walk their values
            walk(file, pointer + "/" + f.getKey(), f.getValue(), root);
        }
    }

    // ---- results beyond Samples -----------------------------------------------------------------

    /** Samples.trace() with the other enrichment outcomes: STUN failed, the local AS pending, the destination's not found. */
    static TraceResult enrichedOtherwise() {
        TraceResult t = Samples.trace();
        List<Hop> hops = new ArrayList<>(t.hops());
        Hop first = hops.get(0);
        hops.set(0, first.withEnrichment(List.of(first.responders().get(0).withLookups(Lookup.pending(), Lookup.off())),
                Segment.LAN));
        return t.withEnrichment(hops, new PathContext(Lookup.failed("no STUN answer"), Lookup.pending(), Lookup.notFound()));
    }

    /** IPv6 TCP, nothing answered: every probe timed out, was rate-limited, still pending or abandoned. */
    static TraceResult silentTrace() {
        List<Hop> hops = new ArrayList<>();
        for (int ttl = 1; ttl <= 3; ttl++) {
            hops.add(new Hop(ttl, List.of(Samples.status(ttl, 0, ProbeStatus.TIMEOUT, Optional.empty()),
                    Samples.status(ttl, 1, ProbeStatus.RATE_LIMITED, Optional.empty()),
                    Samples.status(ttl, 2, ttl == 3 ? ProbeStatus.ABANDONED : ProbeStatus.PENDING, Optional.empty())),
                    List.of(), new HopStatistics(3, 0, 1, ttl == 3 ? 1 : 0, Optional.empty())));
        }
        PublicAddress v6 = new PublicAddress(ip("2001:db8:1::2"), 0, new InetSocketAddress(ip("2001:db8::53"), 3478),
                ip("fe80::1%1"), false);
        return new TraceResult("2001:db8::10", Optional.of(ip("2001:db8::10")), ProbeProtocol.TCP, "linux-tcp-raw",
                TraceStatus.DEADLINE_EXCEEDED, hops, START, ms(3000), 0, Optional.empty(), FlowMode.PARIS, 2,
                new PathContext(Lookup.found(v6), Lookup.notFound(), Lookup.failed("timed out")));
    }

    /** A name that did not resolve: no destination, no hop. */
    static TraceResult emptyTrace() {
        return new TraceResult("no.such.name.lab.example", Optional.empty(), ProbeProtocol.UDP, "", TraceStatus.NO_ROUTE,
                List.of(), START, Duration.ZERO, 0, Optional.empty());
    }

    /** A UDP target on IPv6 that never answered (loss as given, NaN written null), enrichment pending and failed. */
    static PingResult unansweredPing(double loss) {
        List<PingProbe> probes = new ArrayList<>();
        for (int seq = 0; seq < 3; seq++) {
            probes.add(new PingProbe(seq, ms(seq * 1000.0), ProbeStatus.TIMEOUT, Optional.empty(), Optional.empty(),
                    Optional.empty(), OptionalInt.empty()));
        }
        PingTargetResult t = new PingTargetResult(0, "2001:db8::20", Optional.of(ip("2001:db8::20")), PingKind.UDP,
                "linux-udp-recverr", Optional.of("a note"), Optional.empty(),
                new PingStatistics(3, 0, 3, 0, 0, 1, 0, 0, loss, Optional.empty(), Optional.empty(), 0), probes,
                Lookup.pending(), Lookup.failed("timed out"), io.pathprobe.enrich.Lookup.off(), io.pathprobe.enrich.Lookup.off());
        PingTargetResult http = new PingTargetResult(1, "198.18.0.30", Optional.of(ip("198.18.0.30")), PingKind.HTTP, "http",
                Optional.empty(), Optional.of(new PingError(PingError.Type.UNREACHABLE, "connection refused", Optional.empty(),
                        Optional.empty())), PingStatistics.EMPTY, List.of(), Lookup.notFound(), Lookup.off(), io.pathprobe.enrich.Lookup.off(), io.pathprobe.enrich.Lookup.off());
        return new PingResult(List.of(t, http), PingStatus.DEADLINE_EXCEEDED, START, ms(3000.000001));
    }

    /** Samples.multipath() enriched: the nodes' names, ASes and segments, and the path's context. */
    static MultipathResult enriched(MultipathResult m) {
        List<MultipathNode> nodes = new ArrayList<>();
        for (MultipathNode n : m.nodes()) {
            nodes.add(n.address().isEmpty() ? n
                    : n.withEnrichment(n.ttl() == 1 ? Lookup.found("r1.lab.example") : Lookup.notFound(),
                            n.ttl() == 1 ? Lookup.found(ISP) : Lookup.found(AsnInfo.of(64510)),
                            n.destination() ? Segment.DESTINATION : Segment.ISP));
        }
        return m.withEnrichment(nodes, Samples.trace().context());
    }

    /** MDA over IPv6, cut short by the probe budget: a diamond that never converged, unexplored nodes, per-packet balancing. */
    static MultipathResult cutShort() {
        MultipathNode r1 = new MultipathNode(1, Optional.of(ip("2001:db8:1::1")), 4, List.of(0, 1, 2, 3), false,
                LoadBalancing.PER_PACKET, Optional.of(Samples.rtt(0.1, 0.15, 0.2)));
        MultipathNode a = new MultipathNode(2, Optional.of(ip("2001:db8:2::1")), 2, List.of(0, 2), false,
                LoadBalancing.PER_FLOW, Optional.empty());
        MultipathNode b = new MultipathNode(2, Optional.of(ip("2001:db8:3::1")), 2, List.of(1, 3), false,
                LoadBalancing.PER_FLOW, Optional.empty());
        List<MultipathPath> paths = List.of(new MultipathPath(List.of(new PathHop(1, r1.address(), Samples.stats(0, 0)),
                new PathHop(2, a.address(), Samples.stats(0, 0))), List.of(0, 2), Samples.stats(0, 0)));
        Diamond d = new Diamond(r1, Optional.empty(), List.of(2), true, LoadBalancing.PER_PACKET);
        return new MultipathResult(MultipathRequest.builder("2001:db8::10").algorithm(MultipathAlgorithm.MDA).build(),
                ip("2001:db8::10"), "linux-icmp-raw", ProbeProtocol.ICMP, MultipathStatus.PROBE_BUDGET, START, ms(10000),
                List.of(r1, a, b), List.of(), List.of(d), paths, 16, 16, 99.0, 50.0, false, List.of(a, b),
                List.of("per-packet load balancing at 2001:db8:1::1", "probe budget reached"));
    }

    /** Both directions measured, every sample kind and phase, an IPv6 server. */
    static BufferbloatResult bothDirections() {
        DirectionResult down = new DirectionResult(BufferbloatPhase.DOWNLOAD, ms(12.5), ms(20), 940.123e6, 16,
                Optional.of(7000.0), MeasurementConfidence.HIGH, MeasurementConfidence.HIGH);
        DirectionResult up = new DirectionResult(BufferbloatPhase.UPLOAD, ms(15), ms(25.0001), 40e6, 8, Optional.empty(),
                MeasurementConfidence.LOW, MeasurementConfidence.LOW);
        List<LatencySample> samples = new ArrayList<>();
        int i = 0;
        for (LatencySample.Kind kind : LatencySample.Kind.values()) {
            for (BufferbloatPhase phase : BufferbloatPhase.values()) {
                samples.add(new LatencySample(ms(i * 10.5), phase, kind, ms(1 + i)));
                i++;
            }
        }
        return new BufferbloatResult(Samples.bufferbloat().request(), URI.create("https://[2001:db8::1]:4043/.well-known/nq"),
                BufferbloatStatus.DEADLINE_EXCEEDED, START, Duration.ofSeconds(30), ms(10), Optional.of(down), Optional.of(up),
                ms(3.5), Optional.empty(), Optional.of(7000.0), Optional.of(RpmCategory.EXCELLENT),
                MeasurementConfidence.HIGH, samples, List.of());
    }

    /** A load connection failed before any direction was measured: no latency under load, no RPM, no sample. */
    static BufferbloatResult loadFailed() {
        return new BufferbloatResult(Samples.bufferbloat().request(), URI.create("https://127.0.0.1:4043/.well-known/nq"),
                BufferbloatStatus.LOAD_FAILED, START, ms(250), Duration.ZERO, Optional.empty(), Optional.empty(), Duration.ZERO,
                Optional.empty(), Optional.empty(), Optional.empty(), MeasurementConfidence.LOW, List.of(),
                List.of("download connection 1 failed: connection refused"));
    }
}
