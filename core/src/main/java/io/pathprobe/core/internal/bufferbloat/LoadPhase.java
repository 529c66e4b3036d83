package io.pathprobe.core.internal.bufferbloat;

import io.pathprobe.BufferbloatPhase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One load phase of a {@link BufferbloatStrategy}: its connections and what they delivered, its
 * per-interval goodput and responsiveness, the delivery curve, and the ramp-up rule. Pure data with
 * the small decisions that read only it; on the strategy's thread. Times are engine ticks.
 */
final class LoadPhase {
    /** One load connection of the phase. */
    static final class Conn {
        final int id;
        final boolean upload;
        boolean open;
        boolean h2;
        boolean closing;
        long bytes;
        long progressAt;

        Conn(int id, boolean upload, long now) {
            this.id = id;
            this.upload = upload;
            this.progressAt = now;
        }
    }

    final BufferbloatPhase phase;
    final long start;
    final long end;
    final DeliveryCurve curve;
    final List<Double> goodput = new ArrayList<>();
    final List<Double> responsiveness = new ArrayList<>();
    private final Map<Integer, Conn> conns = new LinkedHashMap<>();
    long last;
    long lastBytes;
    boolean tputStable;
    /** Connections added to this phase that could not be opened while others carried its load. */
    int openFailures;
    boolean rpmStable;
    int perDirection = 1;
    int flows;
    int opened;
    private int nextSelf;

    LoadPhase(BufferbloatPhase phase, long start, long end, long curvePeriod) {
        this.phase = phase;
        this.start = start;
        this.end = end;
        this.last = start;
        this.curve = new DeliveryCurve(start, Math.max(1, curvePeriod));
    }

    boolean downloads() {
        return phase != BufferbloatPhase.UPLOAD;
    }

    boolean uploads() {
        return phase != BufferbloatPhase.DOWNLOAD;
    }

    Conn add(int id, boolean upload, long now) {
        Conn c = new Conn(id, upload, now);
        conns.put(id, c);
        opened++;
        return c;
    }

    @Nullable Conn get(int id) {
        return conns.get(id);
    }

    /** Bytes the phase's connections delivered, those closed included (the count never goes back). */
    long counted() {
        long sum = 0;
        for (Conn c : conns.values()) {
            sum += c.bytes;
        }
        return sum;
    }

    /** The open connections not being closed. */
    List<Conn> live() {
        return conns.values().stream().filter(c -> c.open && !c.closing).toList();
    }

    /** The open connections that delivered nothing for {@code stallNanos}. */
    List<Conn> stalled(long now, long stallNanos) {
        return live().stream().filter(c -> now - c.progressAt >= stallNanos).toList();
    }

    /** Every connection counts as closing: whatever they report from now on is no failure. */
    void closing() {
        conns.values().forEach(c -> c.closing = true);
    }

    /** A self probe's load connection: the open HTTP/2 ones in turn; -1 when none. */
    int selfTarget() {
        List<Conn> open = live().stream().filter(c -> c.h2).toList();
        return open.isEmpty() ? -1 : open.get(Math.floorMod(nextSelf++, open.size())).id;
    }

    /**
     * The ramp (draft-09 INC, with a fast start): the connections per direction after an interval of
     * goodput {@code g} following one of {@code prev}: doubled while it grew by at least 10 %, else one
     * more, at most {@code max}.
     */
    static int rampTo(double g, double prev, int perDirection, int max) {
        return g >= prev * 1.10 && prev > 0 ? Math.min(max, perDirection * 2) : Math.min(max, perDirection + 1);
    }
}
