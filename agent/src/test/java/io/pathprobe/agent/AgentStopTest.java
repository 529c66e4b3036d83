package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's stop, on fake time against a scripted path (so a measurement is running, its end minutes of fake time
 * away, whenever the test closes the agent): the ping the stop cancels hands its partial result (status
 * {@code CANCELLED}, the probes it sent) to every sink and observer before the close returns, beside the trace that
 * had ended; no run starts after the stop, and no sink is written to after the close returned.
 */
@Timeout(60)
class AgentStopTest {
    private static final String SCHEDULE = "defaults: {enrich: off, probeTimeout: 1s}\n"
            + "jobs:\n"
            + "  - {name: path, kind: trace, target: 198.18.6.20, interval: 1h}\n"
            + "  - {name: long, kind: ping, target: 198.18.6.20, interval: 1h, count: 100, probeInterval: 1s}\n";

    @Test
    void aRunTheStopCancelsReachesEverySinkAndObserverWithItsPartialResult() throws Exception {
        FakeTime time = new FakeTime();
        ScriptedTransport path = ScriptedTransport.builder(time).hop(ScriptedHop.router("198.18.6.1"))
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(4))).build();
        AgentFixture.Kept kept = new AgentFixture.Kept();
        List<AgentRecord> observed = new CopyOnWriteArrayList<>();
        try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build();
             PathProbeAgent agent = AgentFixture.builder(SCHEDULE, RecordFormat.PATHPROBE, kept).tracer(tracer)
                     .time(time, time).observer(observed::add).build()) {
            agent.start();
            for (int i = 0; i < 100 && kept.lines().isEmpty(); i++) { // the trace ends within a second of fake time
                time.advance(Duration.ofMillis(100));
                Thread.sleep(20); // the sink's writer runs in real time
            }
            time.advance(Duration.ofSeconds(10)); // the ping: 10 of its 100 probes sent
            assertThat(agent.statistics().running()).as("the ping runs").isEqualTo(1);

            agent.close();

            List<String> lines = kept.lines();
            assertThat(lines).as("the trace that ended, and the ping the stop cancelled").hasSize(2);
            String ping = lines.stream().filter(l -> l.contains("\"job\":\"long\"")).findFirst().orElseThrow();
            assertThat(ping).contains("\"status\":\"CANCELLED\"");
            assertThat(observed).extracting(AgentRecord::job).containsExactlyInAnyOrder("path", "long");
            assertThat(kept.closed()).isTrue();
            assertThat(agent.statistics().records()).isEqualTo(2);
            assertThat(agent.statistics().sinks().get(0).written()).isEqualTo(2);

            time.advance(Duration.ofHours(2)); // two more occurrences of each job, had it not stopped
            Thread.sleep(100);
            assertThat(kept.lines()).as("nothing after the close").hasSize(2);
            assertThat(kept.afterClose()).isZero();
            assertThat(observed).hasSize(2);
        }
    }
}
