package io.pathprobe.macos.internal;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.TransportCounters;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/** What the receive path read, delivered and dropped: every message read has one outcome. */
final class Counters {
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);

    void read() {
        read.incrementAndGet();
    }

    /** Counts the outcome of a message read: delivered (null) or dropped for {@code reason}. */
    void outcome(@Nullable DropReason reason) {
        if (reason == null) {
            delivered.incrementAndGet();
        } else {
            dropped.incrementAndGet(reason.ordinal());
        }
    }

    TransportCounters snapshot() {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            long n = dropped.get(r.ordinal());
            if (n != 0) {
                d.put(r, n);
            }
        }
        long delivered = this.delivered.get();
        return new TransportCounters(read.get(), delivered, d);
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
