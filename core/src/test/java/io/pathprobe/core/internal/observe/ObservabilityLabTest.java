package io.pathprobe.core.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.TracerStats;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.TransportCounters;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code PathTracer.stats()} and the JFR events with the real Linux transports through a 3-hop lab:
 * the counters add up and equal what the results report; a recording around a trace holds one
 * {@code io.pathprobe.ProbeSent} per probe of the result, one {@code ProbeAnswered} per answered probe
 * (with its responder) and the measurement's start and end.
 */
@LabTest
class ObservabilityLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(3).inCurrentNamespace());

    private static InetAddress dest() {
        return LAB.lab().destination();
    }

    private static int pathLength() {
        return LAB.lab().expectedPath().size();
    }

    private static List<ProbeResult> probes(TraceResult r) {
        return r.hops().stream().flatMap(h -> h.probes().stream()).toList();
    }

    private static long count(TraceResult r, ProbeStatus... statuses) {
        Set<ProbeStatus> s = Set.of(statuses);
        return probes(r).stream().filter(p -> s.contains(p.status())).count();
    }

    /** A trace whose probes all stay on the path (maxHops = its length), so every probe is in the result. */
    private static TraceRequest trace() {
        return TraceRequest.builder(dest()).protocol(ProbeProtocol.ICMP).maxTtl(pathLength()).probesPerTtl(3)
                .probeTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void afterATraceAndAPingTheStatsAddUpAndEqualTheResults() {
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            TraceResult t = tracer.trace(trace());
            assertThat(t.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            TracerStats s1 = tracer.stats();
            assertThat(s1.pending()).isZero();
            assertThat(s1.abandoned()).isZero();
            assertThat(s1.probesSent()).isEqualTo(s1.answersMatched() + s1.timeouts())
                    .isEqualTo(probes(t).size()).isEqualTo(3L * pathLength());
            // a timeout revised by an answer read late shows answered in the result (0 on an idle machine)
            long revised = s1.timeouts() - count(t, ProbeStatus.TIMEOUT);
            assertThat(revised).isNotNegative();
            assertThat(count(t, ProbeStatus.REPLY, ProbeStatus.UNREACHABLE)).isEqualTo(s1.answersMatched() + revised);
            assertThat(s1.unmatchedAnswers()).isEqualTo(t.unmatchedReplies());
            assertThat(s1.active(io.pathprobe.MeasurementType.TRACE)).isZero();
            assertThat(s1.transports()).containsKey(t.transport());

            PingResult p = tracer.measure(PingRequest.builder().target(dest()).kind(PingKind.ICMP).count(20)
                    .interval(Duration.ofMillis(10)).probeTimeout(Duration.ofSeconds(2)).build());
            PingStatistics ps = p.first().statistics();
            TracerStats s2 = tracer.stats();
            assertThat(s2.pending()).isZero();
            assertThat(s2.probesSent()).isEqualTo(s2.answersMatched() + s2.timeouts());
            assertThat(s2.probesSent() - s1.probesSent()).isEqualTo(ps.sent()).isEqualTo(20);
            assertThat(s2.answersMatched() - s1.answersMatched()).isEqualTo(ps.received() + ps.errors());
            assertThat(s2.timeouts() - s1.timeouts()).isEqualTo(ps.lost() - ps.errors());
            assertThat(s2.activeMeasurements()).isZero();
            // every answer a transport delivered was counted once by the engine
            long delivered = s2.transports().values().stream().mapToLong(TransportCounters::delivered).sum();
            assertThat(s2.answersDelivered()).isEqualTo(delivered);
            System.out.println("stats after a trace and a ping: " + s2);
        }
    }

    @Test
    void aJfrRecordingAroundATraceHoldsOneEventPerProbe() throws Exception {
        Path file = Files.createTempFile("pathprobe", ".jfr");
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build();
                Recording recording = new Recording()) {
            for (String e : List.of("ProbeSent", "ProbeAnswered", "ProbeTimedOut", "MeasurementStarted",
                    "MeasurementEnded")) {
                recording.enable("io.pathprobe." + e);
            }
            recording.start();
            TraceResult t = tracer.trace(trace());
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            Map<String, List<RecordedEvent>> byType = events.stream()
                    .filter(e -> e.getEventType().getName().startsWith("io.pathprobe."))
                    .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
            Function<String, List<RecordedEvent>> of = n -> byType.getOrDefault("io.pathprobe." + n, List.of());

            assertThat(t.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            assertThat(of.apply("ProbeSent")).hasSize(probes(t).size());
            long revised = of.apply("ProbeTimedOut").size() - count(t, ProbeStatus.TIMEOUT);
            assertThat(revised).isNotNegative();
            assertThat(of.apply("ProbeAnswered").size() + revised)
                    .isEqualTo(count(t, ProbeStatus.REPLY, ProbeStatus.UNREACHABLE));
            assertThat(of.apply("ProbeSent").size())
                    .isEqualTo(of.apply("ProbeAnswered").size() + of.apply("ProbeTimedOut").size());
            // the responders and TTLs of the answered events are the result's
            Set<String> responders = of.apply("ProbeAnswered").stream()
                    .map(e -> e.getInt("ttl") + " " + e.getString("responder")).collect(Collectors.toSet());
            Set<String> expected = t.hops().stream().filter(h -> h.address().isPresent())
                    .map(h -> h.ttl() + " " + h.address().get().getHostAddress()).collect(Collectors.toSet());
            assertThat(responders).isEqualTo(expected);
            for (RecordedEvent e : of.apply("ProbeAnswered")) {
                assertThat(e.getString("kind")).isEqualTo("trace");
                // an answer counts only within the request's 2 s probe timeout
                assertThat(e.getDuration("rtt")).isPositive().isLessThanOrEqualTo(trace().probeTimeout());
                assertThat(e.getString("response")).isIn("TIME_EXCEEDED", "ECHO_REPLY");
            }
            assertThat(of.apply("MeasurementStarted")).singleElement().satisfies(e -> {
                assertThat(e.getString("kind")).isEqualTo("trace");
                assertThat(e.getString("target")).isEqualTo(dest().getHostAddress());
                assertThat(e.getString("transport")).isEqualTo(t.transport());
            });
            assertThat(of.apply("MeasurementEnded")).singleElement().satisfies(e -> {
                assertThat(e.getString("status")).isEqualTo("DESTINATION_REACHED");
                assertThat(e.getLong("probes")).isEqualTo(probes(t).size());
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aRecordingThatDoesNotAskForTheProbeEventsHasOnlyTheMeasurementEvents() throws Exception {
        Path file = Files.createTempFile("pathprobe", ".jfr");
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build();
                Recording recording = new Recording()) {
            recording.start(); // the events' own defaults: measurement events on, per-probe events off
            TraceResult t = tracer.trace(trace());
            recording.stop();
            recording.dump(file);
            List<String> names = RecordingFile.readAllEvents(file).stream().map(e -> e.getEventType().getName())
                    .filter(n -> n.startsWith("io.pathprobe.")).toList();
            assertThat(names).containsExactly("io.pathprobe.MeasurementStarted", "io.pathprobe.MeasurementEnded");
            assertThat(t.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
