package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * traceAll on real kernel routers that keep Linux's default ICMP limits (6 back to back, then one a
 * second, per source): 300 addresses of one host behind a 10-router stem. Every destination is reached
 * at TTL 11 through the lab's routers, no stem hop is left silent (no router was made to refuse), the
 * stem is not probed per target, and the paths agree with scamper's Paris traces of a few of the same
 * targets in the same lab (same responder at every TTL). Probe counts and time are printed, not compared.
 */
@LabTest
@Timeout(600)
class TraceAllLabTest {
    private static final int STEM = 10;
    private static final int TARGETS = 300;

    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(STEM + 1).destinationAliases(TARGETS).inCurrentNamespace());

    private static List<String> targets() {
        return LAB.lab().destinationAliases().stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void everyTargetIsReachedThroughTheLabsRoutersWithoutTrippingTheirLimits() throws Exception {
        Lab lab = LAB.lab();
        TraceAllResult r;
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            r = tracer.measure(TraceAllRequest.builder(targets()).trace(TraceRequest.builder(targets().get(0)).protocol(ProbeProtocol.ICMP).build()).build());
        }
        System.out.println(r.summary());
        assertThat(r.traces()).hasSize(TARGETS);
        for (TraceResult t : r.traces()) {
            assertThat(t.status()).as("%s", t).isEqualTo(TraceStatus.DESTINATION_REACHED);
            assertThat(t.destinationHop().orElseThrow().ttl()).as("%s", t).isEqualTo(STEM + 1);
            for (int ttl = 1; ttl <= STEM; ttl++) {
                Hop h = t.hop(ttl).orElseThrow();
                assertThat(h.silent()).as("TTL %d silent in%n%s", ttl, t).isFalse();
                assertThat(h.address()).as("TTL %d of%n%s", ttl, t).isEqualTo(lab.expectedResponder(ttl));
                assertThat(h.statistics().lost() + h.statistics().rateLimited()).as("TTL %d of%n%s", ttl, t).isZero();
            }
        }
        // the stem was not probed per target: far fewer probes than one per stem hop per target
        assertThat(r.probesSent()).as(r.summary()).isLessThan((long) TARGETS * STEM);
        assertThat(r.hopsFromStopSet()).isPositive();

        // scamper's Paris traces of a few of the same targets, after the routers' buckets refilled
        Thread.sleep(7_000);
        List<String> some = List.of(targets().get(0), targets().get(TARGETS / 2), targets().get(TARGETS - 1));
        Map<String, Map<Integer, String>> scamper = scamperTraces(some);
        for (String target : some) {
            TraceResult mine = r.traces().get(targets().indexOf(target));
            Map<Integer, String> theirs = scamper.get(target);
            assertThat(theirs).as("scamper traced %s", target).isNotNull();
            for (Map.Entry<Integer, String> e : theirs.entrySet()) {
                assertThat(mine.hop(e.getKey()).flatMap(Hop::address).map(InetAddress::getHostAddress))
                        .as("%s TTL %d: scamper %s", target, e.getKey(), e.getValue()).contains(e.getValue());
            }
            assertThat(theirs).as("scamper's hops of %s", target).containsKey(STEM + 1);
        }
    }

    /** scamper {@code trace -P icmp-paris} of {@code targets}, here: per target, TTL → the address that answered. */
    static Map<String, Map<Integer, String>> scamperTraces(List<String> targets) throws Exception {
        assertThat(Lab.inRootNetworkNamespace()).isFalse();
        List<String> cmd = new ArrayList<>(List.of("scamper", "-O", "json", "-c", "trace -P icmp-paris -w 1", "-i"));
        cmd.addAll(targets);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Map<String, Map<Integer, String>> traces = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : out.split("\\R")) {
            if (!line.contains("\"type\":\"trace\"")) {
                continue;
            }
            JsonNode t = json.readTree(line);
            Map<Integer, String> hops = new HashMap<>();
            for (JsonNode h : t.path("hops")) {
                hops.putIfAbsent(h.get("probe_ttl").asInt(), h.get("addr").asText());
            }
            traces.put(t.get("dst").asText(), hops);
            System.out.printf(Locale.ROOT, "scamper %s: %s%n", t.get("dst").asText(), hops);
        }
        return traces;
    }
}
