package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.evidence.Masking;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.LocalHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every masked output (text, pathprobe documents, Atlas records, scamper objects) of the samples, under several
 * maskings, byte for byte as recorded in {@code src/test/resources/io/pathprobe/json/masked}: masking is a transform
 * of the result that the ordinary writers render, and it must not change a byte of what they print. Rewrite the
 * files with {@code -Dpathprobe.golden.update=true} only when an output changes deliberately.
 */
class MaskedOutputsGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/io/pathprobe/json/masked");

    private static final Map<String, Masking> MASKINGS = new LinkedHashMap<>();

    static {
        MASKINGS.put("none", Masking.NONE);
        MASKINGS.put("source", Masking.firstHops(0));
        MASKINGS.put("hop1", Masking.firstHops(1));
        MASKINGS.put("hops2", Masking.firstHops(2));
        MASKINGS.put("hops3", Masking.firstHops(3));
        MASKINGS.put("hops2-source-shown", new Masking(2, false, Set.of()));
    }

    /** Samples.trace() with TTL 1's router answering again at TTL 3, and named in the note. */
    static TraceResult revisited() {
        TraceResult t = Samples.trace();
        List<Hop> hops = new ArrayList<>(t.hops());
        Hop h1 = hops.get(0);
        hops.set(2, new Hop(3, h1.probes().stream().map(p -> new io.pathprobe.trace.ProbeResult(3, p.attempt(),
                p.status(), p.responder(), p.rtt(), p.icmp(), p.fromDestination(), p.failure(), p.replyTtl(),
                p.mplsLabels())).toList(), h1.responders(), h1.statistics(), false, h1.segment()));
        return new TraceResult(t.target(), t.destination(), t.protocol(), t.transport(), t.status(), hops,
                t.startedAt(), t.duration(), t.unmatchedReplies(), Optional.of("192.168.1.1 seen twice"),
                t.flowMode(), t.flows(), t.context(), t.request(), t.tcpMode());
    }

    /** Each output by name, for one masking. */
    static Map<String, Function<Masking, String>> outputs() {
        Map<String, Function<Masking, String>> o = new LinkedHashMap<>();
        PingRequest ping = PingRequest.builder().targets("198.18.0.10").build();
        MonitorRound round = new MonitorRound(7, Samples.trace(), Samples.monitor().path(), List.of(
                new io.pathprobe.monitor.MonitorEvent.HopChanged(7, 1, Set.of(Samples.ip("198.18.1.2")),
                        Set.of(Samples.ip("192.168.1.1")))));
        var multipath = PathProbeJsonSchemaTest.enriched(Samples.multipath());
        for (var e : Map.of("trace", Samples.trace(), "trace6", Samples.trace6(), "revisited", revisited(),
                "enrichedOtherwise", PathProbeJsonSchemaTest.enrichedOtherwise()).entrySet()) {
            TraceResult t = e.getValue();
            o.put(e.getKey() + ".txt", m -> m.apply(t).toString());
            o.put(e.getKey() + ".json", m -> TraceJson.write(m.apply(t)));
            o.put(e.getKey() + ".atlas.json", m -> AtlasJson.traceroute(m.apply(t)));
            o.put(e.getKey() + ".scamper.json", m -> ScamperJson.trace(m.apply(t), m.source() ? null : Samples.ip("192.168.1.10")));
            o.put(e.getKey() + ".hops.txt", m -> String.join("\n", m.apply(t).hops().stream().map(Hop::toString)
                    .toList()));
        }
        o.put("multipath.txt", m -> m.apply(multipath).toText(100));
        o.put("multipath.json", m -> MultipathJson.write(m.apply(multipath)));
        o.put("multipath.atlas.json", m -> AtlasJson.multipath(m.apply(multipath)));
        o.put("multipath.scamper.json", m -> ScamperJson.tracelb(m.apply(multipath), Samples.ip("198.18.0.100")));
        o.put("monitor.txt", m -> m.apply(Samples.monitor()).toString());
        o.put("monitor.json", m -> MonitorJson.write(m.apply(Samples.monitor())));
        o.put("monitor.line.json", m -> MonitorJson.line(m.apply(Samples.monitor())));
        o.put("round.txt", m -> m.apply(round).toString());
        o.put("round.json", m -> MonitorJson.line(m.apply(round)));
        o.put("mtu.txt", m -> m.apply(Samples.mtu()).toString());
        o.put("mtu.json", m -> MtuJson.write(m.apply(Samples.mtu())));
        o.put("compare.txt", m -> m.apply(CompareJsonSchemaTest.twoProtocols()).toString());
        o.put("compare.json", m -> CompareJson.write(m.apply(CompareJsonSchemaTest.twoProtocols())));
        o.put("remarked.txt", m -> m.apply(CompareJsonSchemaTest.remarked()).toString());
        o.put("remarked.json", m -> CompareJson.write(m.apply(CompareJsonSchemaTest.remarked())));
        o.put("ping.txt", m -> m.apply(Samples.ping()).toString());
        o.put("ping.json", m -> PingJson.write(m.apply(Samples.ping()), ping));
        o.put("ping.atlas.json", m -> AtlasJson.ping(m.apply(Samples.ping()), ping));
        return o;
    }

    @Test
    void everyMaskedOutputIsAsRecorded() throws IOException {
        boolean update = Boolean.getBoolean("pathprobe.golden.update");
        List<String> differ = new ArrayList<>();
        for (var out : outputs().entrySet()) {
            StringBuilder all = new StringBuilder();
            for (var m : MASKINGS.entrySet()) {
                String text = out.getValue().apply(m.getValue()).replace(LocalHost.name(), "<this host>")
                        .replace(System.lineSeparator(), "\n");
                all.append("=== ").append(m.getKey()).append('\n').append(text).append('\n');
            }
            Path file = DIR.resolve(out.getKey());
            if (update) {
                Files.createDirectories(DIR);
                Files.writeString(file, all, StandardCharsets.UTF_8);
            } else if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(all.toString())) {
                differ.add(out.getKey() + ":\n" + all);
            }
        }
        assertThat(differ).as("masked outputs that differ from the recorded ones").isEmpty();
    }
}
