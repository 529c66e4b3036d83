package io.pathprobe.agent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.agent.AgentFixture;
import io.pathprobe.agent.AgentStatistics;
import io.pathprobe.agent.PathProbeAgent;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.agent.sink.SinkStatistics;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A whole agent, configured as a file would configure it (a {@code kafka} sink in Atlas JSON found through
 * {@link java.util.ServiceLoader}), writing to Apache Kafka's own broker: its measurements run on fake time against a
 * scripted path (a ping of four targets and a trace, one second of fake time each 50 ms of real time), beside a
 * sink that keeps every record the agent made. The records read back from the topic are records the agent made,
 * each one it counted written; with the broker stopped for 15 s the agent keeps measuring, and says how many
 * records the Kafka sink dropped.
 */
@Tag("kafka")
class AgentKafkaTest {
    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void recordsReachTheTopicAndAnOutageIsCountedWhileMeasuringGoesOn() throws Exception {
        String topic = "agent-atlas";
        BROKER.createTopic(topic, 1);
        FakeTime time = new FakeTime();
        ScriptedTransport path = ScriptedTransport.builder(time).hop(ScriptedHop.router("198.18.6.1"))
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(4)).loseEvery(5)).build();
        AgentFixture.Kept keep = new AgentFixture.Kept();
        String schedule = "sinks:\n"
                + "  - {type: kafka, name: kafka, format: atlas, bufferRecords: 40, bootstrap.servers: \""
                + BROKER.bootstrapServers() + "\", topic: " + topic + "}\n"
                + "jobs:\n"
                + "  - {name: ping, kind: ping, targets: [198.18.6.10, 198.18.6.11, 198.18.6.12, 198.18.6.13],"
                + " interval: 1s, count: 2, probeInterval: 100ms}\n"
                + "  - {name: trace, kind: trace, target: 198.18.6.20, interval: 2s}\n";
        try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build();
             PathProbeAgent agent = AgentFixture.builder(schedule, RecordFormat.ATLAS, keep).tracer(tracer)
                     .time(time, time).build()) {
            agent.start();
            run(time, 100); // 5 s real
            SinkStatistics before = kafka(agent);
            assertThat(before.written()).isPositive();

            BROKER.stop();
            long completedAtStop = agent.statistics().completed();
            run(time, 300); // 15 s real, the broker down (three times the sink's max.block.ms)
            AgentStatistics down = agent.statistics();
            assertThat(down.completed()).as("measuring goes on").isGreaterThan(completedAtStop + 100);
            BROKER.start();
            run(time, 160); // 8 s real
            AgentStatistics live = agent.statistics();
            SinkStatistics k = kafka(agent);
            System.out.println("agent with a Kafka sink, the broker down 15 s: " + live);
            assertThat(k.failures()).isPositive();
            assertThat(k.dropped()).as("its buffer of 40 overflowed while the broker was down").isPositive();
            agent.close();
            SinkStatistics end = kafka(agent);
            List<String> made = keep.lines();
            assertThat(end.written() + end.dropped()).as("every line the agent made is written or dropped, counted")
                    .isEqualTo(made.size());

            // at least once: every record counted written is in the topic (perhaps twice), and nothing else is; an
            // Atlas record has no id of its own (two runs in one second may print the same line), so by count
            List<String> all = readAll(topic);
            assertThat((long) all.size()).isGreaterThanOrEqualTo(end.written());
            Set<String> read = new HashSet<>(all);
            assertThat(new HashSet<>(made)).containsAll(read);
            assertThat(read).anySatisfy(r -> assertThat(r).contains("\"type\":\"ping\""))
                    .anySatisfy(r -> assertThat(r).contains("\"type\":\"traceroute\""));
        }
    }

    /** {@code steps} seconds of fake time, one each 50 ms of real time (the sink's writer runs in real time). */
    private static void run(FakeTime time, int steps) throws InterruptedException {
        for (int i = 0; i < steps; i++) {
            time.advance(Duration.ofSeconds(1));
            Thread.sleep(50);
        }
    }

    private static SinkStatistics kafka(PathProbeAgent agent) {
        return agent.statistics().sinks().stream().filter(s -> s.name().equals("kafka")).findFirst().orElseThrow();
    }

    private static List<String> readAll(String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition p = new TopicPartition(topic, 0);
            consumer.assign(List.of(p));
            consumer.seekToBeginning(List.of(p));
            long end = consumer.endOffsets(List.of(p), Duration.ofSeconds(30)).get(p);
            while (consumer.position(p) < end) { // the test's timeout bounds the wait
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
