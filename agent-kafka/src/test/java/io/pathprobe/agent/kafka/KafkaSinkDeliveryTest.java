package io.pathprobe.agent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sink's bookkeeping of acknowledgements, timeouts and failed records, step by step, over Kafka's own
 * MockProducer (the producer's callbacks completed by the test); KafkaSinkBrokerTest runs the same against a broker.
 */
class KafkaSinkDeliveryTest {
    private static final Duration WAIT = Duration.ofMillis(200);
    private final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
            new StringSerializer());

    private KafkaSink sink(String key, int maxPending) {
        return new KafkaSink(new KafkaSinkOptions("t", "atlas", key, maxPending, WAIT, Map.of()), producer);
    }

    @Test
    void aWriteReturnsAtOnceAndFlushWaitsForTheAcknowledgements() throws Exception {
        KafkaSink sink = sink("dst_addr", 10);
        sink.write(AtlasRecords.line(1));
        sink.write(AtlasRecords.line(2));
        assertThat(sink.pending()).isEqualTo(2);
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("198.18.0.11", "198.18.0.12");
        Thread acks = new Thread(() -> {
            sleep(50);
            producer.completeNext();
            producer.completeNext();
        });
        acks.start();
        sink.flush();
        acks.join();
        assertThat(sink.pending()).isZero();
        assertThat(sink.acknowledged()).isEqualTo(2);
        sink.close();
    }

    @Test
    void aFlushNotAcknowledgedInTimeFailsAndTheSinkTakesNothingNewUntilItIs() throws Exception {
        KafkaSink sink = sink(null, 10);
        sink.write("{\"a\":1}");
        long t0 = System.nanoTime();
        assertThatThrownBy(sink::flush).isInstanceOf(IOException.class)
                .hasMessage("kafka: 1 record(s) not acknowledged within 200 ms (max.block.ms)");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(WAIT);
        assertThatThrownBy(() -> sink.write("{\"a\":2}")).isInstanceOf(IOException.class);
        assertThat(producer.history()).hasSize(1);
        producer.completeNext();
        sink.write("{\"a\":2}");
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("{\"a\":1}", "{\"a\":2}");
        assertThat(producer.history().get(0).key()).isNull();
    }

    @Test
    void atMostMaxPendingRecordsAreHeldAndAfterATimeoutNothingNewUntilAllAreAcknowledged() throws Exception {
        KafkaSink sink = sink(null, 2);
        sink.write("1");
        sink.write("2");
        Thread ack = new Thread(() -> {
            sleep(50);
            producer.completeNext();
        });
        ack.start();
        sink.write("3"); // waits for room
        ack.join();
        assertThatThrownBy(() -> sink.write("4")).hasMessageContaining("2 record(s) not acknowledged");
        producer.completeNext();
        assertThatThrownBy(() -> sink.write("4")).hasMessageContaining("1 record(s) not acknowledged");
        producer.completeNext();
        sink.write("4");
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("1", "2", "3", "4");
    }

    @Test
    void aRecordTheProducerGaveUpOnIsSentAgainByTheNextWriteWhichReportsIt() throws Exception {
        KafkaSink sink = sink(null, 10);
        sink.write("1");
        sink.write("2");
        producer.completeNext();
        producer.errorNext(new TimeoutException("Expiring 1 record(s) for atlas-0: 30000 ms has passed"));
        assertThat(sink.pending()).isEqualTo(1);
        assertThatThrownBy(() -> sink.write("3")).isInstanceOf(IOException.class)
                .hasMessageContaining("1 record(s) not delivered (TimeoutException: Expiring 1 record(s)")
                .hasMessageEndingWith("sent again");
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("1", "2", "2");
        assertThat(sink.resent()).isEqualTo(1);
        producer.completeNext();
        sink.write("3");
        producer.completeNext();
        sink.flush();
        assertThat(sink.acknowledged()).isEqualTo(3);
        assertThat(sink.pending()).isZero();
    }

    @Test
    void aFlushReportsAndSendsAgainAFailedRecord() throws Exception {
        KafkaSink sink = sink(null, 10);
        sink.write("1");
        producer.errorNext(new TimeoutException("expired"));
        assertThatThrownBy(sink::flush).hasMessageContaining("sent again");
        assertThat(producer.history()).hasSize(2);
        producer.completeNext();
        sink.flush();
    }

    @Test
    void aRecordKafkaRefusesForItsSizeIsDroppedCountedAndNotSentAgain() throws Exception {
        KafkaSink sink = sink(null, 10);
        sink.write("1");
        producer.errorNext(new RecordTooLargeException("The message is 2000000 bytes"));
        assertThat(sink.rejected()).isEqualTo(1);
        assertThat(sink.pending()).isZero();
        sink.flush();
        sink.write("2");
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("1", "2");
    }

    @Test
    void aSendThatFailsAtOnceTakesNothing() {
        KafkaSink sink = sink(null, 10);
        producer.sendException = new TimeoutException("Topic atlas not present in metadata after 200 ms.");
        assertThatThrownBy(() -> sink.write("1")).isInstanceOf(IOException.class)
                .hasMessageContaining("Topic atlas not present");
        assertThat(sink.pending()).isZero();
    }

    @Test
    void closeReportsWhatWasNotAcknowledged() throws Exception {
        KafkaSink sink = sink(null, 10);
        sink.write("1");
        assertThatThrownBy(sink::close).isInstanceOf(IOException.class)
                .hasMessageStartingWith("kafka: 1 record(s) not acknowledged at close");
        assertThat(producer.closed()).isTrue();
        assertThatThrownBy(() -> sink.write("2")).hasMessage("kafka sink t is closed");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
