package io.pathprobe.agent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.agent.sink.BufferedSink;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.agent.sink.ResultSink;
import io.pathprobe.agent.sink.ResultSinkProvider;
import io.pathprobe.agent.sink.SinkSettings;
import io.pathprobe.agent.sink.SinkStatistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink as the agent uses it (found through ServiceLoader, behind a {@link BufferedSink}), against Apache
 * Kafka's own broker in a child JVM on 127.0.0.1 ({@link KafkaBroker}); a {@link KafkaConsumer} reads the topic
 * back. Part of the plain {@code mvn test}: no lab, no root, loopback only.
 */
@Tag("kafka")
class KafkaSinkBrokerTest {
    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    private static KafkaSink open(String name, int bufferRecords, Map<String, String> options) throws Exception {
        Map<String, String> all = new HashMap<>(options);
        all.put("bootstrap.servers", BROKER.bootstrapServers());
        SinkSettings s = new SinkSettings(name, "kafka", RecordFormat.ATLAS, bufferRecords, all);
        for (ResultSinkProvider p : ServiceLoader.load(ResultSinkProvider.class)) {
            if (p.type().equals("kafka")) {
                ResultSink sink = p.open(s);
                return (KafkaSink) sink;
            }
        }
        throw new AssertionError("no kafka sink provider");
    }

    private static SinkSettings settingsOf(String name, int bufferRecords) {
        return new SinkSettings(name, "kafka", RecordFormat.ATLAS, bufferRecords, Map.of());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyRecordArrivesOnceInOrderPerPartitionKeyedByDestination() throws Exception {
        int n = 20_000;
        String topic = "atlas-ping";
        BROKER.createTopic(topic, 3);
        List<String> lines = new ArrayList<>(2 * n);
        for (int i = 0; i < 2 * n; i++) {
            lines.add(AtlasRecords.line(i));
        }
        System.out.printf("kafka sink: Atlas records of %d bytes on average%n",
                lines.stream().mapToLong(String::length).sum() / lines.size());
        // twice, each through a sink of its own: the first in JVMs just started, the second warm
        pass(topic, lines.subList(0, n), "cold");
        pass(topic, lines.subList(n, 2 * n), "warm");

        List<ConsumerRecord<String, String>> read = readAll(topic);
        assertThat(read).hasSize(2 * n);
        List<String> values = new ArrayList<>(read.stream().map(ConsumerRecord::value).toList());
        List<String> sorted = new ArrayList<>(lines);
        Collections.sort(values);
        Collections.sort(sorted);
        assertThat(values).as("the same records").isEqualTo(sorted);
        Map<Integer, List<String>> byPartition = new HashMap<>();
        Map<String, Set<Integer>> partitionsOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : read) {
            byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.value());
            partitionsOfKey.computeIfAbsent(r.key(), k -> new HashSet<>()).add(r.partition());
            assertThat(r.key()).isEqualTo(RecordKey.of(r.value(), "dst_addr"));
        }
        assertThat(partitionsOfKey.keySet()).containsExactlyInAnyOrder("198.18.0.10", "198.18.0.11", "198.18.0.12",
                "198.18.0.13");
        assertThat(partitionsOfKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
        for (Map.Entry<Integer, List<String>> e : byPartition.entrySet()) {
            List<String> expected = lines.stream()
                    .filter(l -> partitionsOfKey.get(RecordKey.of(l, "dst_addr")).contains(e.getKey())).toList();
            assertThat(e.getValue()).as("partition %d in the order written", e.getKey()).isEqualTo(expected);
        }
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void aBrokerDown15sNeitherBlocksTheAgentNorLosesARecordCountedWritten() throws Exception {
        String topic = "atlas-outage";
        BROKER.createTopic(topic, 1);
        // delivery.timeout.ms 10 s, within the outage: records the producer gives up on are sent again
        KafkaSink kafka = open("kafka-b", 50, Map.of("topic", topic, "kafka.delivery.timeout.ms", "10000",
                "kafka.request.timeout.ms", "5000"));
        BufferedSink sink = new BufferedSink(settingsOf("kafka-b", 50), kafka);
        AtomicInteger offered = new AtomicInteger();
        AtomicLong slowestOffer = new AtomicLong();
        ScheduledExecutorService agent = Executors.newSingleThreadScheduledExecutor();
        Map<String, Long> timeline = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try {
            // the agent: a record every 100 ms
            agent.scheduleAtFixedRate(() -> {
                List<String> lines = RecordFormat.ATLAS.lines(AtlasRecords.record(offered.get()));
                long s = System.nanoTime();
                sink.offer(lines);
                slowestOffer.accumulateAndGet(System.nanoTime() - s, Math::max);
                offered.incrementAndGet();
            }, 0, 100, TimeUnit.MILLISECONDS);
            Thread.sleep(5_000);
            SinkStatistics before = sink.statistics();
            assertThat(before.written()).isPositive();
            assertThat(before.failures()).isZero();

            BROKER.stop();
            long stopped = System.nanoTime();
            timeline.put("broker stopped", stopped);
            Thread.sleep(15_000); // three times the sink's max.block.ms: failures, an overflow
            SinkStatistics down = sink.statistics();
            int firstAfterRestart = offered.get();
            timeline.put("broker restarting", System.nanoTime());
            BROKER.start();
            timeline.put("broker up", System.nanoTime());
            Thread.sleep(8_000);
            agent.shutdown();
            assertThat(agent.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            timeline.put("offers stopped", System.nanoTime());

            SinkStatistics live = sink.statistics();
            assertThat(live.written() + live.dropped() + live.queued()).as("%s", live).isEqualTo(offered.get());
            sink.close(Duration.ofSeconds(30));
            timeline.put("closed", System.nanoTime());
            SinkStatistics end = sink.statistics();
            List<ConsumerRecord<String, String>> read = readAll(topic);
            Set<String> distinct = new HashSet<>();
            for (ConsumerRecord<String, String> r : read) {
                distinct.add(r.value());
            }
            int newest = distinct.stream().mapToInt(AtlasRecords::index).max().orElse(-1);
            StringBuilder times = new StringBuilder();
            timeline.forEach((k, v) -> times.append(k).append(" at ").append((v - t0) / 1_000_000).append(" ms, "));
            System.out.printf("kafka outage: %d records offered, one every 100 ms; %s; before the stop: %s; after "
                    + "15 s down: %s; at the end: %s; the sink re-sent %d; the consumer read %d (%d distinct, %d "
                    + "duplicates), newest record %d (first offered after the restart: %d); slowest offer %.3f ms%n",
                    offered.get(), times, before, down, end, kafka.resent(), read.size(), distinct.size(),
                    read.size() - distinct.size(), newest, firstAfterRestart, slowestOffer.get() / 1e6);

            assertThat(Duration.ofNanos(slowestOffer.get())).as("offer never blocks").isLessThan(Duration.ofSeconds(1));
            assertThat(down.failures()).as("%s", down).isPositive();
            assertThat(down.up()).isFalse();
            assertThat(end.failures()).isPositive();
            assertThat(end.dropped()).as("the buffer of 50 overflowed in 15 s").isPositive();
            assertThat(end.queued()).isZero();
            assertThat(end.written() + end.dropped()).isEqualTo(offered.get());
            assertThat(end.up()).isTrue();
            assertThat(kafka.pending()).isZero();
            // at least once: everything counted as written is in the topic, perhaps more than once; nothing else is
            assertThat(distinct).hasSize((int) end.written());
            Set<String> all = new HashSet<>();
            for (int i = 0; i < offered.get(); i++) {
                all.add(AtlasRecords.line(i));
            }
            assertThat(all).containsAll(distinct);
            assertThat(newest).as("records offered after the restart arrive").isGreaterThanOrEqualTo(firstAfterRestart);
        } finally {
            agent.shutdownNow();
            sink.close(Duration.ZERO);
        }
    }

    /**
     * Offers the lines (made ahead: the sink's throughput, not the JSON writer's) as the agent does, one record at a
     * time, closes the sink (all acknowledged), logs the throughput.
     */
    private static void pass(String topic, List<String> lines, String what) throws Exception {
        int n = lines.size();
        KafkaSink kafka = open("kafka-a", n, Map.of("topic", topic, "key", "dst_addr", "kafka.acks", "all",
                "kafka.compression.type", "zstd"));
        BufferedSink sink = new BufferedSink(settingsOf("kafka-a", n), kafka);
        long t0 = System.nanoTime();
        for (String line : lines) {
            sink.offer(List.of(line));
        }
        long offered = System.nanoTime();
        sink.close(Duration.ofSeconds(60));
        long acknowledged = System.nanoTime();
        SinkStatistics stats = sink.statistics();
        System.out.printf("kafka sink (%s): %d records offered in %d ms, all acknowledged after %d ms: %.0f records/s "
                + "(acks=all, zstd, 3 partitions, keyed, through BufferedSink); %s%n", what, n,
                (offered - t0) / 1_000_000, (acknowledged - t0) / 1_000_000, n / ((acknowledged - t0) / 1e9), stats);
        assertThat(stats.written()).isEqualTo(n);
        assertThat(stats.dropped()).isZero();
        assertThat(stats.failures()).isZero();
        assertThat(kafka.acknowledged()).isEqualTo(n);
        assertThat(kafka.pending()).isZero();
    }

    /** Every record of the topic, each partition in its order, partition after partition. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<Integer, List<ConsumerRecord<String, String>>> read = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the topic was not read to its end within 60 s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    read.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
                }
            }
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            new java.util.TreeMap<>(read).values().forEach(all::addAll);
            return Collections.unmodifiableList(all);
        }
    }
}
