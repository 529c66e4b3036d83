package io.pathprobe.agent.sink;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One sink of the configuration.
 *
 * @param name its name in metrics and messages (default: its type, with its index when several share it)
 * @param type which provider opens it ("file", "stdout", "kafka")
 * @param format the record format written
 * @param bufferRecords the most records waiting for it before new ones are dropped
 * @param options the provider's own options, as strings ("path", "bootstrap.servers", "topic")
 */
public record SinkSettings(String name, String type, RecordFormat format, int bufferRecords,
        Map<String, String> options) {
    /** The default {@link #bufferRecords}. */
    public static final int DEFAULT_BUFFER_RECORDS = 10_000;

    /** Checks and copies. */
    public SinkSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(format, "format");
        if (bufferRecords < 1) {
            throw new IllegalArgumentException("bufferRecords must be at least 1, was " + bufferRecords);
        }
        options = Map.copyOf(options);
    }

    /** {@return the option, if given} */
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /**
     * {@return the option}
     *
     * @throws IllegalArgumentException if it was not given
     */
    public String required(String key) {
        return option(key).orElseThrow(() -> new IllegalArgumentException(
                "sink " + name + " (" + type + ") needs the option '" + key + "'"));
    }

    /**
     * Refuses an option not in {@code known} (a misspelt key is never ignored).
     *
     * @param known the sink type's option keys
     * @throws IllegalArgumentException naming the first unknown key and the known ones
     */
    public void onlyKnown(java.util.Set<String> known) {
        for (String k : new java.util.TreeSet<>(options.keySet())) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("sink " + name + " (" + type + "): unknown key '" + k + "' (known: "
                        + (known.isEmpty() ? "none besides type, format, name and bufferRecords"
                                : String.join(", ", new java.util.TreeSet<>(known))) + ")");
            }
        }
    }
}
