package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.bufferbloat.BufferbloatPhase;
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
        /** The load it belongs to: 0 the ramp's, 1 the flows opened together after it. */
        final int generation;
        /** The congestion control its sender runs, where it was told. */
        @Nullable String congestionControl;

        Conn(int id, boolean upload, long now, int generation) {
            this.id = id;
            this.upload = upload;
            this.progressAt = now;
            this.generation = generation;
        }
    }

    final BufferbloatPhase phase;
    final long start;
    final long end;
    private final long curvePeriod;
    DeliveryCurve curve;
    final List<Double> goodput = new ArrayList<>();
    final List<Double> responsiveness = new ArrayList<>();
    /** 0 while the ramp runs; 1 once its flows were closed and as many opened together. */
    int generation;
    /** The ramp's connections were closed at this tick and the queue drains; -1 when not draining. */
    long drainFrom = -1;
    /** The start of the load that is measured: the phase's start, or when the flows were opened together. */
    long measureStart;
    /** The ramp ends at its first interval end from this tick on (or once the goodput is stable). */
    long rampUntil;
    /** Whether the load that is measured runs: the ramp ended (its flows closed and reopened together, or kept). */
    boolean measured;
    /**
     * The ramp's goodput with its final flows (bit/s, off its delivery curve), once its flows were closed; else NaN.
     */
    double rampGoodput = Double.NaN;
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
        this.measureStart = start;
        this.curvePeriod = Math.max(1, curvePeriod);
        this.curve = new DeliveryCurve(start, this.curvePeriod);
    }

    /** Whether the phase is waiting for the queue to drain between the ramp and the load that is measured. */
    boolean draining() {
        return drainFrom >= 0;
    }

    /**
     * The ramp ended at {@code now}: its connections count as closing (the caller closes them), and
     * the measured load starts afresh: its goodput, responsiveness and delivery curve. Returns the
     * connections to close.
     */
    List<Conn> endRamp(long now) {
        List<Conn> closing = live();
        conns.values().forEach(c -> c.closing = true);
        flows = 0;
        generation = 1;
        drainFrom = now;
        return closing;
    }

    /** The flows opened together start the measured load at {@code now}. */
    void startMeasured(long now) {
        drainFrom = -1;
        measured = true;
        measureStart = now;
        last = now;
        lastBytes = 0;
        goodput.clear();
        responsiveness.clear();
        tputStable = false;
        rpmStable = false;
        curve = new DeliveryCurve(now, curvePeriod);
    }

    boolean downloads() {
        return phase != BufferbloatPhase.UPLOAD;
    }

    boolean uploads() {
        return phase != BufferbloatPhase.DOWNLOAD;
    }

    Conn add(int id, boolean upload, long now) {
        Conn c = new Conn(id, upload, now, generation);
        conns.put(id, c);
        opened++;
        return c;
    }

    @Nullable Conn get(int id) {
        return conns.get(id);
    }

    /**
     * Bytes the current load's connections delivered (the ramp's, or once its flows were opened
     * together, theirs), those closed included: the count never goes back within a load.
     */
    long counted() {
        long sum = 0;
        for (Conn c : conns.values()) {
            if (c.generation == generation) {
                sum += c.bytes;
            }
        }
        return sum;
    }

    /**
     * The congestion control the current load's senders ran, as they said it: per direction the names
     * heard (sorted, joined by {@code ","} in the rare case they differ), download then upload joined by
     * {@code "/"} when a concurrent load's two differ; null when no sender said.
     */
    @Nullable String congestionControl() {
        java.util.TreeSet<String> down = new java.util.TreeSet<>();
        java.util.TreeSet<String> up = new java.util.TreeSet<>();
        for (Conn c : conns.values()) {
            if (c.generation == generation && c.congestionControl != null) {
                (c.upload ? up : down).add(c.congestionControl);
            }
        }
        String d = String.join(",", down);
        String u = String.join(",", up);
        if (d.isEmpty() || u.isEmpty()) {
            return d.isEmpty() && u.isEmpty() ? null : d + u;
        }
        return d.equals(u) ? d : d + "/" + u;
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
