package io.pathprobe.agent.kafka;

import io.pathprobe.agent.sink.SinkSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka sink's options, checked, and the producer configuration they make.
 *
 * <p>The sink's own: {@code bootstrap.servers} and {@code topic} (required), {@code key} (the top-level field of
 * the record's JSON to key messages by; none by default) and {@code maxPending} (the most records sent and not
 * yet acknowledged, default {@value #DEFAULT_MAX_PENDING}). Each option {@code kafka.NAME} is the producer's
 * {@code NAME} ({@code kafka.acks=all}, {@code kafka.compression.type=zstd}, {@code kafka.security.protocol=SSL});
 * it overrides the sink's defaults ({@link #DEFAULTS}). Names the producer does not know are refused, and so
 * are its serializers (a record is a string) and {@code kafka.bootstrap.servers} (use {@code bootstrap.servers}).
 *
 * @param name the sink's name
 * @param topic where its records go
 * @param keyField the top-level field whose value keys a record, or null for no key
 * @param maxPending the most records sent and not yet acknowledged
 * @param ackWait the longest one write or flush waits for Kafka: the producer's {@code max.block.ms}
 * @param producer the producer's configuration
 */
record KafkaSinkOptions(String name, String topic, @Nullable String keyField, int maxPending, Duration ackWait,
        Map<String, Object> producer) {
    /** The default {@link #maxPending}. */
    static final int DEFAULT_MAX_PENDING = 1000;
    /** The least {@code max.block.ms}: a write or flush waits that long for acknowledgements. */
    static final long MIN_BLOCK_MS = 100;
    /** The prefix of the options passed to the producer. */
    static final String PREFIX = "kafka.";

    /**
     * The producer settings the sink sets unless a {@code kafka.} option says otherwise: every record
     * acknowledged by all in-sync replicas, without duplicates from the producer's own retries (idempotence);
     * a send blocks at most 5 s (no metadata for the topic yet, the buffer full), a request waits 10 s for its
     * answer, and a record the producer could not deliver within 30 s fails (the sink then sends it again);
     * 8 MiB of buffer. The client id is {@code pathprobe-agent-NAME}.
     */
    static final Map<String, String> DEFAULTS = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
            ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(8L << 20));

    private static final Set<String> OWN = Set.of("bootstrap.servers", "topic", "key", "maxPending");
    private static final Set<String> REFUSED = Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** Copies the producer configuration. */
    KafkaSinkOptions {
        producer = Map.copyOf(producer);
    }

    /**
     * Reads and checks a sink's options.
     *
     * @param s the sink's settings
     * @return its options
     * @throws IllegalArgumentException if one is missing, unknown or wrong (the message names it)
     */
    static KafkaSinkOptions of(SinkSettings s) {
        String servers = s.required("bootstrap.servers").strip();
        if (servers.isEmpty()) {
            throw bad(s, "bootstrap.servers", "is empty");
        }
        String topic = s.required("topic").strip();
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw bad(s, "topic", "'" + topic + "' is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)");
        }
        String key = s.option("key").map(String::strip).filter(k -> !k.isEmpty()).orElse(null);
        int maxPending;
        try {
            maxPending = Integer.parseInt(s.option("maxPending").orElse("" + DEFAULT_MAX_PENDING).strip());
        } catch (NumberFormatException e) {
            maxPending = 0;
        }
        if (maxPending < 1) {
            throw bad(s, "maxPending", "must be a count of records, 1 or more, was '"
                    + s.option("maxPending").orElse("") + "'");
        }
        Map<String, Object> producer = new LinkedHashMap<>(DEFAULTS);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "pathprobe-agent-" + s.name());
        Set<String> known = ProducerConfig.configNames();
        for (Map.Entry<String, String> e : s.options().entrySet()) {
            String option = e.getKey();
            if (!option.startsWith(PREFIX)) {
                if (!OWN.contains(option)) {
                    throw bad(s, option, "is not an option of the kafka sink (bootstrap.servers, topic, key, "
                            + "maxPending, kafka.PRODUCER_SETTING)");
                }
                continue;
            }
            String name = option.substring(PREFIX.length());
            if (REFUSED.contains(name)) {
                throw bad(s, option, "is set by the sink" + (name.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                        ? ": use bootstrap.servers" : " (records are strings)"));
            }
            if (!known.contains(name)) {
                throw bad(s, option, "'" + name + "' is not a setting of Kafka's producer");
            }
            producer.put(name, e.getValue().strip());
        }
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        long blockMs;
        try {
            blockMs = Long.parseLong(String.valueOf(producer.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)));
        } catch (NumberFormatException e) {
            blockMs = -1;
        }
        if (blockMs < MIN_BLOCK_MS) {
            throw bad(s, PREFIX + ProducerConfig.MAX_BLOCK_MS_CONFIG, "must be at least " + MIN_BLOCK_MS
                    + " ms (the sink waits that long for acknowledgements), was '"
                    + producer.get(ProducerConfig.MAX_BLOCK_MS_CONFIG) + "'");
        }
        producerChecks(s, producer);
        return new KafkaSinkOptions(s.name(), topic, key, maxPending, Duration.ofMillis(blockMs), producer);
    }

    /**
     * The producer's own checks of its values, without creating it (nothing connects, no name is resolved), so that
     * {@code agent --check} refuses what creating it at start would: each value as {@link ProducerConfig} parses it,
     * and the one rule across settings the producer adds when it is created ({@code delivery.timeout.ms} at least
     * {@code linger.ms} + {@code request.timeout.ms}; the sink always sets {@code delivery.timeout.ms}).
     */
    private static void producerChecks(SinkSettings s, Map<String, Object> producer) {
        KafkaLogging.quiet();
        Map<String, Object> probe = new LinkedHashMap<>(producer);
        probe.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        probe.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try {
            ProducerConfig c = new ProducerConfig(probe);
            long linger = Math.min(c.getLong(ProducerConfig.LINGER_MS_CONFIG), Integer.MAX_VALUE);
            long lingerAndRequest = linger + c.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
            int delivery = c.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
            if (delivery < Math.min(lingerAndRequest, Integer.MAX_VALUE)) {
                throw new ConfigException(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG + " should be equal to or larger "
                        + "than " + ProducerConfig.LINGER_MS_CONFIG + " + " + ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG
                        + " (" + lingerAndRequest + " ms), was " + delivery);
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException("sink " + s.name() + " (kafka): " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException bad(SinkSettings s, String option, String why) {
        return new IllegalArgumentException("sink " + s.name() + " (kafka): option '" + option + "' " + why);
    }
}
