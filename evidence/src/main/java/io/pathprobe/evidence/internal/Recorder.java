package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.RecordingException;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.core.internal.record.spi.Launcher;
import io.pathprobe.core.internal.record.spi.Recording;
import io.pathprobe.core.internal.runtime.Ended;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.WallClock;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.evidence.RecordingOptions;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Records a tracer: wraps what the engine takes from outside (its loop, clock, wall clock, pools, transports,
 * lookups and name resolution) so that each thing is written to the {@link Journal} as the engine gets it,
 * named by its cause ({@link Causality}); writes each measurement's request and result. See the package.
 */
public final class Recorder implements Recording {
    final Journal journal;
    final Causality causality = new Causality();
    final AtomicInteger answers = new AtomicInteger();
    final AtomicInteger pends = new AtomicInteger();
    final AtomicInteger sessions = new AtomicInteger();
    /** Held while a lookup ends, an enrichment job runs or loop work runs: one at a time, in the order written. */
    final Object order = new Object();
    /** The place of each lookup's end and enrichment job in that order (under {@link #order}). */
    volatile int serial;
    /** The piece of loop work running now, until its act line is written: a launch made meanwhile names it. */
    private volatile @Nullable String actUnderWay;
    private final AtomicLong measurements = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicInteger> ordinals = new ConcurrentHashMap<>();
    /** Each recorded measurement's number, by its lifecycle (what an application's cancel names). */
    private final Map<Object, Long> ids = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    final RecordingMask mask;

    private Recorder(Journal journal, RecordingMask mask) {
        this.journal = journal;
        this.mask = mask;
    }

    /**
     * Opens the recording and writes its header and the tracer's settings.
     *
     * @throws RecordingException if the file cannot be created (a missing jackson-databind is found before this class
     *     loads: {@link JacksonRequired})
     */
    public static Recorder open(RecordingOptions options, TracerSettings settings, String library) {
        ObjectNode h = Codec.NODES.objectNode();
        h.put("type", "recording");
        h.put("format", io.pathprobe.evidence.ReplayResult.FORMAT);
        h.put("library", "pathprobe " + library);
        h.put("recordedAt", Instant.now().toString());
        h.put("java", System.getProperty("java.version"));
        if (!options.application().isEmpty()) {
            h.put("application", options.application());
        }
        RecordingMask mask = new RecordingMask(options.masking());
        if (mask.active()) {
            h.set("mask", mask.statement());
        }
        Recorder r = new Recorder(new Journal(options, h), mask);
        ObjectNode t = Codec.NODES.objectNode();
        t.put("type", "tracer");
        t.put("packetsPerSecond", settings.packetsPerSecond());
        t.put("burst", settings.burst());
        if (settings.budget().keyed()) { // the per-destination, router and prefix budgets, when set
            t.put("perDestination", settings.budget().perDestination());
            t.put("perRouter", settings.budget().perRouter());
            t.put("perPrefix", settings.budget().perPrefix());
        }
        if (settings.preferredTransport() != null) {
            t.put("preferredTransport", settings.preferredTransport());
        }
        t.put("userTransport", settings.transport() != null);
        t.put("givenLoop", settings.scheduler() != null);
        r.journal.head("tracer", t);
        return r;
    }

    /** The n-th use of {@code key} (0 first): how a replay tells repeated lookups and sessions apart. */
    int ordinal(String key) {
        return ordinals.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
    }

    // ---- the loop, the clocks, the pools --------------------------------------------------------

    /** The engine's loop, each task and timer named and written when it has run, with its clock readings. */
    @Override
    public Scheduler scheduler(Scheduler loop) {
        return new Scheduler() {
            @Override
            public boolean execute(Runnable task) {
                return loop.execute(act(task));
            }

            @Override
            public boolean offer(Runnable task) {
                return loop.offer(act(task));
            }

            @Override
            public Timer schedule(Runnable task, long delayNanos) {
                return loop.schedule(act(task), delayNanos);
            }

            @Override
            public boolean inLoop() {
                return loop.inLoop();
            }

            @Override
            public boolean runQueued() {
                return loop.runQueued();
            }

            @Override
            public boolean runUntil(BooleanSupplier condition) {
                return loop.runUntil(condition);
            }
        };
    }

    private Runnable act(Runnable task) {
        String key = causality.next();
        String via = causality.root();
        Long cancels = task instanceof Ended.Cancel c ? ids.get(c.of()) : null;
        return () -> {
            // under the lookups' order: no lookup ends and no enrichment job runs while loop work does, so what
            // the work sees of them is exactly what had ended before it began. Without it, work that read a lookup
            // that ended half-way through it (Lifecycle.finish asking whether the lookups are done) left a
            // recording whose replay waited for work the recording never ran
            synchronized (order) {
                actInOrder(key, via, cancels, task);
            }
        };
    }

    private void actInOrder(String key, @Nullable String via, @Nullable Long cancels, Runnable task) {
        int before = serial; // the lookup ends and enrichment jobs it could see: a replay fires them first
        Causality.Context c = new Causality.Context(key, true, null);
        actUnderWay = key;
        try {
            causality.runIn(c, task);
        } finally {
            ObjectNode n = Codec.NODES.objectNode();
            n.put("type", "act");
            n.put("k", key);
            if (via != null) {
                n.put("via", via);
            }
            if (cancels != null) {
                n.put("cancel", cancels);
            }
            if (before > 0) {
                n.put("s", before);
            }
            if (!c.reads.isEmpty()) {
                ArrayNode t = n.putArray("t");
                c.reads.forEach(t::add);
            }
            journal.line(n);
            actUnderWay = null;
        }
    }

    /** The engine's clock: a reading in loop work goes with its act; elsewhere it is a line of its own. */
    @Override
    public Ticker ticker(Ticker ticker) {
        return () -> {
            long v = ticker.read();
            Causality.Context c = causality.current();
            if (c != null && c.loop) {
                c.reads.add(v);
            } else {
                ObjectNode n = Codec.NODES.objectNode();
                n.put("type", "tick");
                n.put("c", c == null ? "-" : c.name);
                n.put("v", v);
                journal.line(n);
            }
            return v;
        };
    }

    /** The wall clock measurements take their start times from. */
    @Override
    public WallClock wallClock(WallClock clock) {
        return () -> {
            Instant v = clock.now();
            Causality.Context c = causality.current();
            ObjectNode n = Codec.NODES.objectNode();
            n.put("type", "wall");
            n.put("c", c == null ? "-" : c.name);
            n.put("v", v.toString());
            journal.line(n);
            return v;
        };
    }

    /**
     * A pool of the engine's (set-up, callbacks, enrichment): each job named, its own root (a replay runs it when
     * the loop first needs what it gave), and written with the event it was given in, if any. With {@code serial},
     * its jobs run one at a time with the lookups' ends (the enrichment pool's: short jobs that settle what several
     * lookups found; the last one to run sees the others', and a replay runs them in the order written).
     */
    @Override
    public Executor executor(Executor pool, boolean serial) {
        return job -> {
            Causality.Context giver = causality.current();
            if (giver != null) {
                giver.pooled++;
            }
            String key = causality.next();
            String from = causality.root();
            if (from != null) {
                ObjectNode n = Codec.NODES.objectNode();
                n.put("type", "job");
                n.put("k", key);
                n.put("from", from);
                journal.line(n);
            }
            pool.execute(() -> {
                if (serial) {
                    synchronized (order) {
                        run(key, job, this.serial++);
                    }
                } else {
                    run(key, job, -1);
                }
            });
        };
    }

    /**
     * The pool the application's code runs on (listeners, the futures the application waits on). What it runs is
     * not the engine's: a listener's events (how many, how they are batched on the pool, whether there is a listener
     * at all) depend on the application and on its threads' timing, and nothing the engine does depends on them. So
     * its jobs take no name from the work that queued them (an engine's piece of work is named by how many it queued
     * before, {@link Causality}: a listener's events counted there renamed every later piece, and a replay, which
     * queues them differently, did not find the recorded names: a trace whose answer queued a hop event before its
     * refill timer left the record when that timer ran) and they run outside every named piece, as the application's
     * own threads do: what a listener asks of the engine is an application's call.
     */
    @Override
    public Executor callbacks(Executor pool) {
        return job -> pool.execute(() -> causality.outside(job));
    }

    private void run(String key, Runnable job, int seq) {
        try {
            causality.runIn(new Causality.Context(key, false, key), job);
        } finally {
            ObjectNode n = Codec.NODES.objectNode();
            n.put("type", "ran");
            n.put("k", key); // the order jobs ended in: what the last of two jobs saw, a replay shows
            if (seq >= 0) {
                n.put("seq", seq);
            }
            journal.line(n);
        }
    }

    // ---- transports, lookups, names -------------------------------------------------------------

    /** The discovered transports, each recorded when asked whether it is available and when opened. */
    @Override
    public ProbeTransportProvider provider(ProbeTransportProvider p) {
        return RecordingTransports.provider(this, p);
    }

    /** A transport the application gave the builder. */
    @Override
    public ProbeTransport transport(ProbeTransport t) {
        return RecordingTransports.userTransport(this, t);
    }

    /** The tracer's lookups: each answer written as it comes. */
    @Override
    public HostLookups lookups(HostLookups lookups) {
        return new RecordingLookups(this, lookups);
    }

    /** How target names become addresses: each answer written. */
    @Override
    public HostResolver resolver(HostResolver resolver) {
        return host -> {
            ObjectNode n = Codec.NODES.objectNode();
            n.put("type", "resolve");
            n.put("name", host);
            n.put("n", ordinal("resolve " + host));
            try {
                List<InetAddress> found = resolver.resolve(host);
                ArrayNode a = n.putArray("addresses");
                found.forEach(x -> a.add(Codec.text(x)));
                journal.line(n);
                return found;
            } catch (UnknownHostException | RuntimeException e) {
                n.put("error", String.valueOf(e.getMessage()));
                n.put("unknownHost", e instanceof UnknownHostException);
                journal.line(n);
                throw e;
            }
        };
    }

    // ---- measurements ---------------------------------------------------------------------------

    /**
     * Writes the request, then launches the measurement as the piece {@code M<n>} ({@link Launcher}, n its number in
     * the recording): the work the launch gives the engine is named after it, whatever else the application called.
     */
    @Override
    public void launch(Object request, Ended handle) {
        // a piece of loop work under way as the application launches (its act line is written when it ends): the
        // launch came after it began, maybe because of it (the application waited for the result it made), so a
        // replay runs that piece before the launch, not after, whatever the order of their lines
        String during = actUnderWay;
        long id = started(request, handle);
        Causality.Context c = new Causality.Context(Causality.measurement(id), false, null);
        causality.runIn(c, handle::launch);
        // whether the launch set the measurement up on a pool (its transport not yet open: a set-up job opens it)
        // or began it on the loop at once (the transport another measurement's set-up had opened): a race between
        // the application's thread and that job, which the replay settles as it was settled here
        ObjectNode n = Codec.NODES.objectNode();
        n.put("type", "launched");
        n.put("m", id);
        n.put("pooled", c.pooled > 0);
        if (during != null) {
            n.put("during", during);
        }
        journal.line(n);
    }

    /** Writes a measurement's request now and its result when it ends (on the loop); returns its number. */
    long started(Object request, Ended handle) {
        long id = measurements.incrementAndGet();
        ids.put(handle.lifecycle(), id);
        String kind = RequestCodec.kind(request);
        ObjectNode n = Codec.NODES.objectNode();
        n.put("type", "request");
        n.put("m", id);
        n.put("measurement", kind);
        n.set("request", RequestCodec.write(request));
        journal.head("m" + id, n);
        handle.whenEnded((r, e) -> {
            journal.dropHead("m" + id);
            ObjectNode x = Codec.NODES.objectNode();
            x.put("type", "result");
            x.put("m", id);
            x.put("measurement", kind);
            if (r != null) {
                x.set("result", Documents.tree(kind, request, r, mask.masking));
            } else {
                x.put("failure", String.valueOf(e));
            }
            journal.lineAndFlush(x);
        });
        return id;
    }

    /** {@return whether a request of this type is recorded} */
    public static boolean recordable(Object request) {
        try {
            RequestCodec.kind(request);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        journal.close();
    }

    static @Nullable String message(Throwable e) {
        return e.getMessage();
    }
}
