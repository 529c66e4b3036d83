package io.pathprobe.core.internal;

import static io.pathprobe.testing.ScamperShapes.line;
import static io.pathprobe.testing.ScamperShapes.missing;
import static io.pathprobe.testing.ScamperShapes.parse;
import static io.pathprobe.testing.ScamperShapes.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.PathTracer;
import io.pathprobe.json.ScamperJson;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Scamper;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.testing.ScamperShapes;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 49: {@link ScamperJson} against scamper 20211212 on the same lab. scamper's {@code trace -P udp-paris},
 * {@code trace -P icmp-paris} and {@code tracelb -P udp-dport} run with {@code -O json}, pathprobe's trace and
 * multipath discovery beside them; then every key scamper's object has is in pathprobe's (recursively: per hop
 * of a trace at the same TTL, per node, per link and its probes and replies toward the same address), with the
 * same kind of value (an integer, a three-decimal number, a string, an array, an object), and the addresses
 * answering at each TTL are the same sets. Every lab is built in the test JVM's own namespace (a private one:
 * build/netns), one at a time; every probe stays in the lab.
 */
@LabTest
@Timeout(300)
class ScamperJsonLabTest {
    /** {@code scamper -O json -c COMMAND -i TARGET} in the lab's host namespace: its whole output. */
    private static String scamper(Lab lab, String command, InetAddress target) throws IOException, InterruptedException {
        File out = File.createTempFile("scamper", ".json");
        try {
            Process p = lab.command(List.of("scamper", "-O", "json", "-c", command, "-i", target.getHostAddress()))
                    .redirectOutput(out).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(Scamper.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("scamper " + command + " ran longer than " + Scamper.TIMEOUT);
            }
            String text = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            System.out.printf("scamper %s (exit %d):%n%s", command, p.exitValue(), text);
            return text;
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    private static Map<Integer, Set<String>> expected(Lab lab) {
        Map<Integer, Set<String>> out = new TreeMap<>();
        for (int ttl = 1; ttl <= lab.hops(); ttl++) {
            Set<String> here = new TreeSet<>();
            lab.expectedResponders(ttl).forEach(a -> here.add(a.getHostAddress()));
            out.put(ttl, here);
        }
        return out;
    }

    /** The objects at this key path, a {@code []} per array level to go into ("hops[]", "nodes[].links[][]"). */
    private static List<JsonNode> objects(JsonNode root, String path) {
        List<JsonNode> here = List.of(root);
        for (String step : path.split("\\.")) {
            String key = step.replace("[]", "");
            int depth = (step.length() - key.length()) / 2;
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : here) {
                List<JsonNode> level = List.of(n.path(key));
                for (int d = 0; d < depth; d++) {
                    List<JsonNode> inner = new ArrayList<>();
                    level.forEach(a -> a.forEach(inner::add));
                    level = inner;
                }
                next.addAll(level);
            }
            here = next;
        }
        return here;
    }

    /** Every key of each of scamper's objects is in ours of the same group (same TTL, same address), same kind. */
    private static void eachCovered(List<JsonNode> scamper, List<JsonNode> ours, String groupKey, String what) {
        for (JsonNode s : scamper) {
            List<JsonNode> same = ours.stream().filter(o -> o.path(groupKey).equals(s.path(groupKey))).toList();
            assertThat(same).as("%s %s=%s: pathprobe has one", what, groupKey, s.path(groupKey)).isNotEmpty();
            assertThat(missing(shape(s), shape(same))).as("%s %s against pathprobe's %s", what, s, same).isEmpty();
        }
    }

    // ---- trace: udp-paris and icmp-paris through a chain ------------------------------------------

    @Test
    void tracesHaveEveryKeyOfScampersTraceObjectAndTheSameHops() throws Exception {
        // The routers keep the kernel's ICMP rate limits: scamper's trace asks each router once (it stops at the
        // first answer), pathprobe's three times, so two protocols stay within a router's burst of 6
        try (Lab lab = Lab.chain(4).inCurrentNamespace().build();
                PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            for (ProbeProtocol protocol : List.of(ProbeProtocol.UDP, ProbeProtocol.ICMP)) {
                String method = protocol == ProbeProtocol.UDP ? "udp-paris" : "icmp-paris";
                JsonNode s = line(scamper(lab, "trace -P " + method, lab.destination()), "trace");
                TraceResult r = tracer.trace(TraceRequest.builder(lab.destination()).protocol(protocol)
                        .flowMode(FlowMode.PARIS).build());
                String written = ScamperJson.trace(r, lab.hostAddress());
                System.out.println("pathprobe: " + written);
                assertThat(r.status()).as("%s", r).isEqualTo(TraceStatus.DESTINATION_REACHED);
                assertThat(written).doesNotContain("\n");
                JsonNode o = parse(written);
                assertThat(missing(shape(s), shape(o))).as("%s: every key path of%n%s%nin%n%s", method, s, o).isEmpty();
                eachCovered(objects(s, "hops[]"), objects(o, "hops[]"), "probe_ttl", method + " hop");
                for (String key : List.of("type", "version", "method", "src", "dst", "stop_reason", "stop_data",
                        "hop_count", "firsthop", "tos")) {
                    assertThat(o.get(key)).as("%s %s", method, key).isEqualTo(s.get(key));
                }
                assertThat(ScamperShapes.traceAddresses(o)).as("%s: addresses by TTL", method)
                        .isEqualTo(ScamperShapes.traceAddresses(s)).isEqualTo(expected(lab));
            }
        }
    }

    // ---- tracelb: udp-dport through a diamond ------------------------------------------------------

    @Test
    void aDiscoveryHasEveryKeyOfScampersTracelbObjectAndTheSameNodes() throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).icmpUnlimited("compared with scamper's tracelb node for "
                + "node: with the kernel's limits what either tool sees depends on timing (as MultipathLabTest)")
                .inCurrentNamespace().build()) {
            Map<Integer, Set<String>> expected = expected(lab);
            // scamper at 99 % misses a branch of 2 in about 1 % of runs: then it is run again (at most 3 times)
            JsonNode s = null;
            for (int run = 0; run < 3 && (s == null || !ScamperShapes.tracelbAddresses(s).equals(expected)); run++) {
                s = line(scamper(lab, "tracelb -P udp-dport -c 99 -W " + Scamper.FASTEST_WAIT_PROBE,
                        lab.destination()), "tracelb");
            }
            assertThat(ScamperShapes.tracelbAddresses(s)).as("scamper found the lab").isEqualTo(expected);
            MultipathResult r;
            try (PathTracer tracer = PathTracer.builder().packetsPerSecond(0).offline().build()) {
                r = tracer.measure(MultipathRequest.builder(lab.destination()).maxTtl(12).confidence(99.99)
                        .pathProbes(0).build());
            }
            String written = ScamperJson.tracelb(r, lab.hostAddress());
            System.out.println("pathprobe: " + written);
            assertThat(written).doesNotContain("\n");
            JsonNode o = parse(written);
            assertThat(missing(shape(s), shape(o))).as("every key path of%n%s%nin%n%s", s, o).isEmpty();
            eachCovered(objects(s, "nodes[]"), objects(o, "nodes[]"), "addr", "node");
            eachCovered(objects(s, "nodes[].links[][]"), objects(o, "nodes[].links[][]"), "addr", "link");
            for (String key : List.of("type", "version", "method", "src", "dst", "firsthop", "attempts", "confidence",
                    "gaplimit", "tos")) {
                assertThat(o.get(key)).as(key).isEqualTo(s.get(key));
            }
            assertThat(ScamperShapes.tracelbAddresses(o)).as("addresses by TTL, read as scamper's are")
                    .isEqualTo(ScamperShapes.tracelbAddresses(s));
            // and the lab module's reader of scamper's JSON reads pathprobe's the same way
            assertThat(Scamper.parse(written, java.time.Duration.ZERO).nodesByTtl())
                    .isEqualTo(Scamper.parse(s.toString(), java.time.Duration.ZERO).nodesByTtl());
        }
    }
}
