package io.pathprobe.agent.kafka;

import io.pathprobe.agent.sink.ResultSink;
import io.pathprobe.agent.sink.ResultSinkProvider;
import io.pathprobe.agent.sink.SinkSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka topic, each record one message (its JSON line, UTF-8), over Apache Kafka's own producer: the "kafka"
 * sink type ({@link Provider}; options in {@link KafkaSinkOptions}: {@code bootstrap.servers}, {@code topic},
 * {@code key}, {@code maxPending}, {@code kafka.*}).
 *
 * <p><b>Batched, acknowledged.</b> {@link #write} hands the record to the producer and returns: the producer
 * batches records and sends them from its own thread. The sink keeps each record until Kafka acknowledges it
 * (with {@code acks=all} by default), at most {@code maxPending} of them. {@link #flush} (which
 * {@link io.pathprobe.agent.sink.BufferedSink} calls whenever its buffer has emptied) waits until every record
 * written is acknowledged. So a record that a {@code BufferedSink} counts as written is acknowledged by Kafka
 * by the time its buffer next empties, or is still held here and sent again.
 *
 * <p><b>Down.</b> A write or flush waits for Kafka at most the producer's {@code max.block.ms} (5 s by default),
 * then throws {@link IOException}: the {@code BufferedSink} counts a failure, keeps the record and tries again
 * after its back-off while new records wait in its bounded buffer (and those beyond it are dropped and counted).
 * After a write or flush that timed out, the sink takes no new record until everything it holds is acknowledged. A
 * record the producer gave up on (not delivered within {@code delivery.timeout.ms}, 30 s by default) is sent again by
 * the next write or flush, which then throws {@link IOException} to report the failure. Delivery is therefore
 * at least once: a record sent again may reach the topic twice, and may land after records written later.
 * Records Kafka refuses for what they are (larger than {@code max.request.size}) are dropped and logged, never
 * sent again. Records still not acknowledged at {@link #close} (after {@code max.block.ms}) are reported by the
 * {@link IOException} it throws.
 *
 * <p><b>Memory.</b> At most {@code maxPending} records held (1000 by default), and the producer's
 * {@code buffer.memory} (8 MiB by default).
 */
public final class KafkaSink implements ResultSink {
    private static final System.Logger LOG = System.getLogger(KafkaSink.class.getName());

    private final KafkaSinkOptions options;
    private final Producer<String, String> producer;
    private final Object lock = new Object();
    // guarded by lock: every record taken and not yet acknowledged (or rejected), by sequence number; failed is
    // the part of it the producer gave up on, to be sent again
    private final TreeMap<Long, String> pending = new TreeMap<>();
    private final TreeMap<Long, String> failed = new TreeMap<>();
    private @Nullable Exception lastFailure;
    private long nextSequence;
    private long acknowledged;
    private long rejected;
    private long resent;
    private boolean stalled;
    private boolean closed;

    KafkaSink(KafkaSinkOptions options, Producer<String, String> producer) {
        this.options = Objects.requireNonNull(options, "options");
        this.producer = Objects.requireNonNull(producer, "producer");
    }

    /**
     * Opens a sink: checks its options and creates its producer, which connects only when it first sends (a
     * broker that is down does not stop the sink from opening).
     *
     * @param settings the sink's settings
     * @return the sink
     * @throws IllegalArgumentException if an option is missing, unknown or wrong (the message names it)
     * @throws IOException if the producer cannot be created
     */
    public static KafkaSink open(SinkSettings settings) throws IOException {
        KafkaSinkOptions options = KafkaSinkOptions.of(settings);
        KafkaLogging.quiet();
        try {
            return new KafkaSink(options,
                    new KafkaProducer<>(options.producer(), new StringSerializer(), new StringSerializer()));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigException) {
                    throw new IllegalArgumentException("sink " + settings.name() + " (kafka): " + t.getMessage(), e);
                }
            }
            throw new IOException("sink " + settings.name() + " (kafka): " + describe(e), e);
        }
    }

    /**
     * Hands the record to the producer; records that failed before are sent again first.
     *
     * @throws IOException if records the producer gave up on were just sent again (this record is not taken),
     *     or if Kafka has not acknowledged what the sink holds within {@code max.block.ms} (nor this record)
     */
    @Override
    public void write(String record) throws IOException {
        sendFailedAgain();
        long sequence;
        synchronized (lock) {
            if (closed) {
                throw new IOException("kafka sink " + options.name() + " is closed");
            }
            awaitWhile(true); // until the sink may take a record
            sequence = nextSequence++;
            pending.put(sequence, record);
        }
        Exception early = send(sequence, record, false);
        if (early != null) {
            throw new IOException("kafka: " + describe(early), early);
        }
    }

    /**
     * Waits until Kafka has acknowledged every record written.
     *
     * @throws IOException if it has not within {@code max.block.ms}, or if records had failed (they are sent
     *     again)
     */
    @Override
    public void flush() throws IOException {
        sendFailedAgain();
        synchronized (lock) {
            awaitWhile(false);
        }
    }

    /**
     * Sends again what had failed, waits for the rest (at most {@code max.block.ms}) and closes the producer.
     *
     * @throws IOException if records were still not acknowledged (the message has their count)
     */
    @Override
    public void close() throws IOException {
        List<Map.Entry<Long, String>> again;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            again = takeFailed();
        }
        for (Map.Entry<Long, String> e : again) {
            if (send(e.getKey(), e.getValue(), true) != null) {
                break;
            }
        }
        try {
            producer.close(options.ackWait());
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "sink " + options.name() + ": closing the producer: " + describe(e));
        }
        synchronized (lock) {
            if (!pending.isEmpty()) {
                throw new IOException("kafka: " + pending.size() + " record(s) not acknowledged at close "
                        + "(within " + options.ackWait().toMillis() + " ms): they may be lost"
                        + (lastFailure == null ? "" : " (" + describe(lastFailure) + ")"));
            }
        }
    }

    /** {@return records Kafka acknowledged} */
    public long acknowledged() {
        synchronized (lock) {
            return acknowledged;
        }
    }

    /** {@return records taken and not yet acknowledged (including those waiting to be sent again)} */
    public int pending() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** {@return records sent again after the producer gave up on them (each time counted)} */
    public long resent() {
        synchronized (lock) {
            return resent;
        }
    }

    /** {@return records Kafka refused for what they are (too large): dropped and logged} */
    public long rejected() {
        synchronized (lock) {
            return rejected;
        }
    }

    @Override
    public String toString() {
        return "kafka " + options.topic() + " at " + options.producer().get("bootstrap.servers");
    }

    /**
     * Holding lock: waits (at most {@code max.block.ms}) until no record is pending or, {@code room}, until the sink
     * may take a record (not stalled, fewer than the most pending).
     */
    private void awaitWhile(boolean room) throws IOException {
        long deadline = System.nanoTime() + options.ackWait().toNanos();
        while (room ? (stalled && !pending.isEmpty()) || pending.size() >= options.maxPending() : !pending.isEmpty()) {
            if (!failed.isEmpty()) {
                throw failure();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                stalled = true;
                throw notAcknowledged();
            }
            await(left);
        }
    }

    private void await(long nanos) throws InterruptedIOException {
        try {
            lock.wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("kafka sink " + options.name() + ": interrupted waiting for Kafka");
        }
    }

    private IOException notAcknowledged() {
        return new IOException("kafka: " + pending.size() + " record(s) not acknowledged within "
                + options.ackWait().toMillis() + " ms (max.block.ms)"
                + (lastFailure == null ? "" : "; last failure: " + describe(lastFailure)));
    }

    private IOException failure() {
        return new IOException("kafka: " + failed.size() + " record(s) not delivered ("
                + describe(lastFailure) + "): they are sent again");
    }

    private List<Map.Entry<Long, String>> takeFailed() {
        List<Map.Entry<Long, String>> again = new ArrayList<>(failed.entrySet());
        failed.clear();
        resent += again.size();
        return again;
    }

    private void sendFailedAgain() throws IOException {
        List<Map.Entry<Long, String>> again;
        Exception cause;
        synchronized (lock) {
            if (failed.isEmpty()) {
                return;
            }
            cause = lastFailure;
            again = takeFailed();
        }
        for (int i = 0; i < again.size(); i++) {
            Exception early = send(again.get(i).getKey(), again.get(i).getValue(), true);
            if (early != null) {
                synchronized (lock) {
                    for (Map.Entry<Long, String> e : again.subList(i + 1, again.size())) {
                        failed.put(e.getKey(), e.getValue());
                    }
                }
                cause = early;
                break;
            }
        }
        throw new IOException("kafka: " + again.size() + " record(s) not delivered (" + describe(cause)
                + "): sent again", cause);
    }

    /** Sends; {@return the failure if the producer failed the record before send returned, else null} */
    private @Nullable Exception send(long sequence, String record, boolean again) {
        Delivery d = new Delivery(sequence, record, again);
        String key = options.keyField() == null ? null : RecordKey.of(record, options.keyField());
        try {
            producer.send(new ProducerRecord<>(options.topic(), key, record), d);
        } catch (RuntimeException e) { // closed, interrupted, or a serializer's or interceptor's failure
            d.onCompletion(null, e);
        }
        synchronized (lock) {
            d.returned = true;
            return d.early;
        }
    }

    private static boolean recordError(Exception e) {
        return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidRecordException;
    }

    private static String describe(@Nullable Throwable e) {
        return e == null ? "unknown" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** One send of one record: the producer completes it once, from its I/O thread or within send. */
    private final class Delivery implements Callback {
        private final long sequence;
        private final String record;
        private final boolean again;
        private boolean returned; // guarded by lock
        private @Nullable Exception early; // guarded by lock

        Delivery(long sequence, String record, boolean again) {
            this.sequence = sequence;
            this.record = record;
            this.again = again;
        }

        @Override
        public void onCompletion(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
            synchronized (lock) {
                if (exception == null) {
                    pending.remove(sequence);
                    acknowledged++;
                } else if (recordError(exception)) {
                    pending.remove(sequence);
                    rejected++;
                    LOG.log(Level.WARNING, "sink " + options.name() + ": Kafka refused a record of "
                            + record.length() + " characters, dropped: " + describe(exception));
                } else if (!returned && !again) {
                    early = exception; // not taken: write throws, the caller keeps it
                    pending.remove(sequence);
                } else {
                    early = returned ? null : exception;
                    failed.put(sequence, record);
                    lastFailure = exception;
                }
                if (pending.isEmpty()) {
                    stalled = false;
                }
                lock.notifyAll();
            }
        }
    }

    /** The "kafka" sink type. */
    public static final class Provider implements ResultSinkProvider {
        @Override
        public String type() {
            return "kafka";
        }

        @Override
        public void check(SinkSettings settings) {
            KafkaSinkOptions.of(settings);
        }

        @Override
        public ResultSink open(SinkSettings settings) throws IOException {
            return KafkaSink.open(settings);
        }
    }
}
