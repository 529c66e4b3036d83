package io.pathprobe.nativecommon;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.TransportCounters;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What a transport's receive path did with the messages it read: each is counted once as read and once by its
 * outcome, delivered or dropped for a {@link DropReason}, so {@code read == delivered + dropped} whenever no
 * message is between the two counts. {@link LongAdder}s: safe whichever thread counts. A transport that counts
 * more (failures, statuses) extends it and says so in its {@link #toString}.
 */
public class ReceiveCounters {
    private static final DropReason[] REASONS = DropReason.values();

    private final LongAdder read = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder[] dropped = new LongAdder[REASONS.length];

    /** All counts 0. */
    public ReceiveCounters() {
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    /** A message was read from the operating system; its outcome follows with {@link #outcome}. */
    public final void read() {
        read.increment();
    }

    /** The outcome of a message read: delivered ({@code null}) or dropped for {@code reason}. */
    public final void outcome(@Nullable DropReason reason) {
        if (reason == null) {
            delivered.increment();
        } else {
            dropped[reason.ordinal()].increment();
        }
    }

    /**
     * A snapshot. The outcomes are summed before the reads, so a message being handled right now may show as read
     * and not yet as delivered or dropped, never the other way round.
     */
    public final TransportCounters snapshot() {
        Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            long n = dropped[r.ordinal()].sum();
            if (n != 0) {
                byReason.put(r, n);
            }
        }
        long d = delivered.sum();
        return new TransportCounters(read.sum(), d, byReason);
    }

    /** The {@link #snapshot}'s text. */
    @Override
    public String toString() {
        return snapshot().toString();
    }
}
