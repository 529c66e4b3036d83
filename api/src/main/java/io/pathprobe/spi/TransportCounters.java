package io.pathprobe.spi;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a transport's receive path has seen since it was opened: every message read from the
 * operating system is either delivered to a session's listener or dropped for a reason, so
 * {@code read == delivered + sum(dropped)}. A snapshot; may be momentarily inconsistent by a message
 * in flight on the I/O thread.
 *
 * @param read messages (answers, errors, stray packets) read from the operating system
 * @param delivered handed to a session's listener as a {@link ProbeResponse}
 * @param dropped messages not delivered, by reason (reasons with no drops may be absent)
 */
public record TransportCounters(long read, long delivered, Map<DropReason, Long> dropped) {
    /**
     * Checks the components (see the record's description) and copies {@code dropped}.
     *
     * @param read messages (answers, errors, stray packets) read from the operating system
     * @param delivered handed to a session's listener as a {@link ProbeResponse}
     * @param dropped messages not delivered, by reason (reasons with no drops may be absent)
     * @throws NullPointerException if {@code dropped} is null or holds null
     */
    public TransportCounters {
        Objects.requireNonNull(dropped, "dropped");
        dropped = dropped.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(dropped));
    }

    /** {@return all drops, whatever the reason} */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * {@return the drops for this reason}
     *
     * @param reason the reason for the drop
     */
    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** {@code "read 120, delivered 118, dropped 2 (CHECKSUM 1, NOT_OURS 1)"}. */
    @Override
    public String toString() {
        return "read " + read + ", delivered " + delivered + ", dropped " + droppedTotal() + (dropped.isEmpty() ? ""
                : dropped.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(java.util.stream.Collectors.joining(", ", " (", ")")));
    }
}
