package io.pathprobe.core.internal.lookup;

import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.trace.Hop;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Enrichment as one stage of a measurement, the same for every kind (trace, multipath, ping, monitor): it hands
 * the responders and the destination to the lookups ({@link PathLookups}, which run off the engine loop), labels
 * what the measurement found with what they know, and, for a measurement with a listener, tells a hop again once
 * its lookups have settled ({@link Listener#hopEnriched}) and the path's context once ({@link
 * Listener#contextEnriched}).
 *
 * <p>Its state is the engine loop's alone: a lookup's end is handed back to the loop (a task on its {@link
 * Scheduler}) before it touches the stage, so nothing is locked, and once the loop has stopped (the tracer
 * closed) a late end is dropped. It keeps one entry per reported TTL, changed in place as hops are reported and
 * their lookups end: a hop is labelled once when reported and once when its lookups settle, never again. A hop's
 * segment is a function of the whole path reported so far (the enrichment's {@code SegmentClassifier}: whether
 * the path left the LAN, which AS is the ISP's and whether it was passed all depend on every hop before it, the
 * sandwich rule on the next hop with evidence after it), so each segment told is classified from the kept path,
 * one evidence point per reported TTL: one pass over at most 255 points per event, no hop copied or labelled
 * again.
 *
 * @see io.pathprobe.core.internal.enrich.SegmentClassifier
 */
public final class EnrichmentStage {
    /** What the stage tells a measurement's listener, on the engine loop. */
    public interface Listener {
        /** The lookups of a hop told by {@link #reported} while they were still pending have all ended. */
        void hopEnriched(Hop hop);

        /** The context's lookups have all ended (once). */
        void contextEnriched(PathContext context);
    }

    /** A reported hop: as the strategy made it, its evidence for the segments, whether its lookups are awaited. */
    private static final class Slot {
        final Hop raw;
        Segments.Point point;
        boolean pending;

        Slot(Hop raw, Segments.Point point) {
            this.raw = raw;
            this.point = point;
        }
    }

    private final PathLookups lookups;
    private final Scheduler loop;
    private final @Nullable Listener listener;
    private final TreeMap<Integer, Slot> reported = new TreeMap<>();
    /** The reported hops still awaited, by each of their responders (an address's end looks at its own hops). */
    private final Map<InetAddress, List<Slot>> waiting = new HashMap<>();
    /**
     * The addresses whose end the loop has been handed: a hop is told enriched from these, not from the lookups'
     * own state, which another thread changes while the loop runs.
     */
    private final Set<InetAddress> ended = new HashSet<>();
    /** Set on the loop when the measurement begins; read by results made on other threads too. */
    private volatile @Nullable InetAddress destination;
    private boolean contextTold;
    /** Responders labelled for the listener's events so far (tests: linear in the hops). */
    private long labelled;

    /**
     * @param enrichment the tracer's lookups and their executor
     * @param wanted whether the measurement asks for lookups (its request's enrich mode is not OFF)
     * @param loop the engine loop the stage's state belongs to
     * @param listener told on the loop of hops enriched and the context, or null: nothing is told
     */
    public EnrichmentStage(Enrichment enrichment, boolean wanted, Scheduler loop, @Nullable Listener listener) {
        this.loop = loop;
        this.listener = listener;
        // the callbacks only where they are heard: each method reference is a class generated at its first use
        this.lookups = listener == null ? enrichment.forMeasurement(wanted, NOTHING, NO_CONTEXT)
                : enrichment.forMeasurement(wanted, this::addressSettled, this::contextSettled);
    }

    private static final Consumer<InetAddress> NOTHING = new Consumer<>() { // a class: no lambda at start-up
        @Override
        public void accept(InetAddress a) {
        }
    };
    private static final Runnable NO_CONTEXT = new Runnable() {
        @Override
        public void run() {
        }
    };

    /** Whether lookups are made. */
    public boolean on() {
        return lookups.on();
    }

    /** On the loop: the destination is known; its AS and this host's public address are looked up (hands over). */
    public void start(InetAddress destination) {
        this.destination = destination;
        lookups.start(destination);
    }

    /** An address answered: its lookups start (once per measurement). On the loop; only hands over. */
    public void seen(InetAddress address) {
        lookups.seen(address);
    }

    /** The host name of an address as known now. */
    public Lookup<String> hostname(InetAddress address) {
        return lookups.hostname(address);
    }

    /** The AS of an address as known now. */
    public Lookup<AsnInfo> asn(InetAddress address) {
        return lookups.asn(address);
    }

    /** Where an address is, as known now. */
    public Lookup<GeoLocation> location(InetAddress address) {
        return lookups.location(address);
    }

    /** The exchange of an address, as known now. */
    public Lookup<Exchange> exchange(InetAddress address) {
        return lookups.exchange(address);
    }

    /** The context as known now. */
    public PathContext context() {
        return lookups.context();
    }

    /** Completes when every lookup started so far has ended. */
    public CompletableFuture<Void> allDone() {
        return lookups.allDone();
    }

    /** What takes an address's lookups: a responder of any kind of result. */
    public interface Labels<T> {
        T withLookups(Lookup<String> hostname, Lookup<AsnInfo> asn, Lookup<GeoLocation> location,
                Lookup<Exchange> exchange);
    }

    /** What {@code to} makes of the lookups of {@code address} as known now. */
    public <T> T label(InetAddress address, Labels<T> to) {
        return to.withLookups(lookups.hostname(address), lookups.asn(address), lookups.location(address),
                lookups.exchange(address));
    }

    /** {@code r} with its lookups as known now. */
    public Responder label(Responder r) {
        return label(r.address(), r::withLookups);
    }

    /** The evidence of one hop for its segment: its first responder and that one's AS as known now. */
    public Segments.Point point(@Nullable InetAddress first) {
        return first == null ? new Segments.Point(null, Lookup.off()) : new Segments.Point(first, lookups.asn(first));
    }

    /** The segment of each point of a path (TTL order), with the context as known now. */
    public List<Segment> segments(List<Segments.Point> path) {
        return segments(path, lookups.context());
    }

    /** The segment of each point of a path (TTL order), with {@code context}. */
    public List<Segment> segments(List<Segments.Point> path, PathContext context) {
        return Segments.classify(path, context, destination);
    }

    /** A result's hops (all of them, in TTL order) with their lookups as known now and their segments. */
    public List<Hop> hops(List<Hop> hops) {
        List<Segments.Point> points = new ArrayList<>(hops.size());
        List<List<Responder>> responders = new ArrayList<>(hops.size());
        for (Hop h : hops) {
            List<Responder> rs = labelled(h);
            responders.add(rs);
            points.add(point(rs.isEmpty() ? null : rs.get(0).address()));
        }
        List<Segment> segments = segments(points);
        List<Hop> out = new ArrayList<>(hops.size());
        for (int i = 0; i < hops.size(); i++) {
            out.add(hops.get(i).withEnrichment(responders.get(i), segments.get(i)));
        }
        return out;
    }

    private List<Responder> labelled(Hop h) {
        List<Responder> rs = new ArrayList<>(h.responders().size());
        for (Responder r : h.responders()) {
            rs.add(label(r));
        }
        return rs;
    }

    /**
     * On the loop: a hop completed. When some of its lookups are still pending, {@link Listener#hopEnriched}
     * follows once they have all ended.
     *
     * @return the hop as the listener's hopCompleted tells it: labelled with what is known now, its segment from the
     *     hops reported so far; as is without lookups or a listener
     */
    public Hop reported(Hop raw) {
        if (listener == null || !lookups.on()) {
            return raw;
        }
        List<Responder> rs = labelled(raw);
        labelled += rs.size();
        Slot slot = new Slot(raw, point(rs.isEmpty() ? null : rs.get(0).address()));
        Slot before = reported.put(raw.ttl(), slot);
        if (before != null) {
            before.pending = false; // told again: the later one is the hop
        }
        Hop told = raw.withEnrichment(rs, segmentOf(raw.ttl()));
        if (!told.lookupsSettled()) {
            slot.pending = true;
            for (Responder r : raw.responders()) {
                waiting.computeIfAbsent(r.address(), a -> new ArrayList<>(1)).add(slot);
            }
        }
        return told;
    }

    /** The segment of the reported hop at {@code ttl} in the path reported so far (one pass over it). */
    private Segment segmentOf(int ttl) {
        List<Segments.Point> path = new ArrayList<>(reported.size());
        int at = 0;
        for (Slot s : reported.values()) {
            if (s.raw.ttl() == ttl) {
                at = path.size();
            }
            path.add(s.point);
        }
        return segments(path).get(at);
    }

    /** On the enrichment executor: an address's lookups ended. Handed to the loop; dropped once it has stopped. */
    private void addressSettled(InetAddress address) {
        loop.execute(() -> settledOnLoop(address));
    }

    /** On the enrichment executor: the context's lookups ended. Handed to the loop; dropped once it has stopped. */
    private void contextSettled() {
        loop.execute(this::contextOnLoop);
    }

    private void settledOnLoop(InetAddress address) {
        Listener l = listener;
        ended.add(address);
        List<Slot> slots = waiting.remove(address);
        if (l == null || slots == null) {
            return;
        }
        for (Slot s : slots) {
            if (!s.pending) {
                continue;
            }
            List<Responder> first = s.raw.responders();
            if (first.get(0).address().equals(address)) {
                s.point = point(address); // its AS, as the other hops' segments will see it from now on
            }
            if (first.stream().allMatch(r -> ended.contains(r.address()))) {
                s.pending = false;
                List<Responder> rs = labelled(s.raw);
                labelled += rs.size();
                l.hopEnriched(s.raw.withEnrichment(rs, segmentOf(s.raw.ttl())));
            }
        }
    }

    private void contextOnLoop() {
        Listener l = listener;
        if (l != null && !contextTold) {
            contextTold = true;
            l.contextEnriched(lookups.context());
        }
    }

    /** Responders labelled for the listener so far: at most twice each reported hop's (tests). */
    public long labelled() {
        return labelled;
    }
}
