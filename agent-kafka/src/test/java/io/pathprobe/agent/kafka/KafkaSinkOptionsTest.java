package io.pathprobe.agent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.agent.sink.ResultSink;
import io.pathprobe.agent.sink.ResultSinkProvider;
import io.pathprobe.agent.sink.SinkSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The options and the provider, without a broker (nothing is sent). */
class KafkaSinkOptionsTest {
    private static SinkSettings settings(String... keyValues) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return new SinkSettings("results", "kafka", RecordFormat.ATLAS, 100, options);
    }

    @Test
    void theDefaultsBoundBlockingDeliveryAndMemory() {
        KafkaSinkOptions o = KafkaSinkOptions.of(settings("bootstrap.servers", " 127.0.0.1:9092 ", "topic", "atlas"));
        assertThat(o.topic()).isEqualTo("atlas");
        assertThat(o.keyField()).isNull();
        assertThat(o.maxPending()).isEqualTo(1000);
        assertThat(o.ackWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.producer()).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("max.block.ms", "5000").containsEntry("request.timeout.ms", "10000")
                .containsEntry("delivery.timeout.ms", "30000").containsEntry("buffer.memory", "8388608")
                .containsEntry("client.id", "pathprobe-agent-results");
    }

    @Test
    void kafkaOptionsGoToTheProducerWithoutTheirPrefix() {
        KafkaSinkOptions o = KafkaSinkOptions.of(settings("bootstrap.servers", "127.0.0.1:9092", "topic", "atlas",
                "key", "dst_addr", "maxPending", "50", "kafka.acks", "1", "kafka.enable.idempotence", "false",
                "kafka.compression.type", "zstd", "kafka.max.block.ms", "2000"));
        assertThat(o.keyField()).isEqualTo("dst_addr");
        assertThat(o.maxPending()).isEqualTo(50);
        assertThat(o.ackWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.producer()).containsEntry("acks", "1").containsEntry("compression.type", "zstd")
                .containsEntry("max.block.ms", "2000").doesNotContainKey("kafka.acks");
    }

    @Test
    void aMissingUnknownOrWrongOptionIsNamed() {
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings("topic", "atlas")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bootstrap.servers'");
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings("bootstrap.servers", "127.0.0.1:9092")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'topic'");
        String[] base = {"bootstrap.servers", "127.0.0.1:9092", "topic", "atlas"};
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings(with(base, "topic", "a b"))))
                .hasMessageContaining("'topic'").hasMessageContaining("not a Kafka topic name");
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings(with(base, "topc", "x"))))
                .hasMessageContaining("'topc' is not an option of the kafka sink");
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings(with(base, "kafka.ack", "all"))))
                .hasMessageContaining("'kafka.ack'").hasMessageContaining("not a setting of Kafka's producer");
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings(with(base, "kafka.value.serializer", "x"))))
                .hasMessageContaining("'kafka.value.serializer' is set by the sink");
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings(with(base, "kafka.bootstrap.servers", "x"))))
                .hasMessageContaining("use bootstrap.servers");
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings(with(base, "maxPending", "0"))))
                .hasMessageContaining("'maxPending'");
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings(with(base, "kafka.max.block.ms", "soon"))))
                .hasMessageContaining("'kafka.max.block.ms'");
        assertThatThrownBy(() -> KafkaSinkOptions.of(settings(with(base, "kafka.max.block.ms", "0"))))
                .hasMessageContaining("'kafka.max.block.ms' must be at least 100 ms");
    }

    @Test
    void theProducerChecksTheValuesAndTheMessageNamesTheSink() {
        assertThatThrownBy(() -> KafkaSink.open(settings("bootstrap.servers", "127.0.0.1:9092", "topic", "atlas",
                "kafka.acks", "some")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("sink results (kafka): ")
                .hasMessageContaining("acks");
        // delivery.timeout.ms must cover linger.ms + request.timeout.ms
        assertThatThrownBy(() -> KafkaSink.open(settings("bootstrap.servers", "127.0.0.1:9092", "topic", "atlas",
                "kafka.request.timeout.ms", "60000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delivery.timeout.ms");
    }

    @Test
    void checkingTheSettingsRefusesWhatOpeningWouldWithTheSameLineAndOpensNothing() {
        String[][] bad = {{"kafka.acks", "some"}, {"kafka.acks", "0"}, {"kafka.request.timeout.ms", "60000"},
            {"kafka.compression.type", "rar"}, {"kafka.linger.ms", "soon"}, {"topic", "a b"}, {"maxPending", "-1"}};
        ResultSinkProvider kafka = new KafkaSink.Provider();
        for (String[] kv : bad) {
            SinkSettings s = settings(with(new String[] {"bootstrap.servers", "127.0.0.1:9092", "topic", "atlas"},
                    kv[0], kv[1]));
            Throwable atCheck = org.assertj.core.api.Assertions.catchThrowable(() -> kafka.check(s));
            Throwable atOpen = org.assertj.core.api.Assertions.catchThrowable(() -> kafka.open(s).close());
            assertThat(atCheck).as(kv[0]).isInstanceOf(IllegalArgumentException.class);
            assertThat(atOpen).as(kv[0]).isInstanceOf(IllegalArgumentException.class);
            assertThat(atCheck.getMessage()).as(kv[0]).startsWith("sink results (kafka): ")
                    .isEqualTo(atOpen.getMessage());
        }
        // the producer's own rule: acks other than all only without idempotence (which the sink turns on)
        assertThatThrownBy(() -> kafka.check(settings("bootstrap.servers", "127.0.0.1:9092", "topic", "atlas",
                "kafka.acks", "1"))).hasMessageContaining("idempotence");
        kafka.check(settings("bootstrap.servers", "127.0.0.1:9092", "topic", "atlas", "kafka.acks", "1",
                "kafka.enable.idempotence", "false"));
    }

    @Test
    @Timeout(10)
    void theProviderIsFoundByTypeOpensWithoutABrokerAndQuietsKafkaLogging() throws Exception {
        ResultSinkProvider kafka = null;
        for (ResultSinkProvider p : ServiceLoader.load(ResultSinkProvider.class)) {
            if (p.type().equals("kafka")) {
                kafka = p;
            }
        }
        assertThat(kafka).isInstanceOf(KafkaSink.Provider.class);
        // no broker listens on port 1 of loopback: opening does not connect, and closing with nothing written does
        // not wait for one (the test's timeout of 10 s is the liveness bound)
        try (ResultSink sink = kafka.open(settings("bootstrap.servers", "127.0.0.1:1", "topic", "atlas"))) {
            assertThat(sink).isInstanceOf(KafkaSink.class).hasToString("kafka atlas at 127.0.0.1:1");
            assertThat(((KafkaSink) sink).pending()).isZero();
        }
        // the tests' SLF4J provider is java.util.logging's (as the command line's), with no level for Kafka
        Logger quieted = KafkaLogging.quieted();
        assertThat(quieted).isNotNull();
        assertThat(quieted.getName()).isEqualTo("org.apache.kafka");
        assertThat(quieted.getLevel()).isEqualTo(Level.SEVERE);
        assertThat(Logger.getLogger("org.apache.kafka.clients.producer.ProducerConfig").isLoggable(Level.WARNING))
                .isFalse();
    }

    private static String[] with(String[] base, String key, String value) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < base.length; i += 2) {
            m.put(base[i], base[i + 1]);
        }
        m.put(key, value);
        return m.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
    }
}
