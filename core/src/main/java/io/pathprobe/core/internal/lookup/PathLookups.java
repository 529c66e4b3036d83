package io.pathprobe.core.internal.lookup;

import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The lookups of one measurement: the context (public address and its AS, the destination's AS)
 * from the start, and a host name and AS for each address as soon as it first answers. Calls from the
 * engine thread only record the address and hand the work to the enrichment executor: no lookup is
 * started, and nothing waits, on the engine thread. Results are kept here as data; the measurement
 * reads what is known at any time ({@link #hostname}, {@link #asn}, {@link #context}) and hears when
 * an address's lookups ({@code settled}) or the context's ({@code contextSettled}) have all ended, on
 * the enrichment executor, just before {@link #allDone} can see them done. Thread-safe. Bounded: one
 * entry per distinct responder of the measurement.
 */
public final class PathLookups {
    /** A measurement without lookups. */
    public static final PathLookups OFF = new PathLookups();

    private final boolean on;
    private final @Nullable HostLookups lookups;
    private final @Nullable Executor executor;
    private final Consumer<InetAddress> settled;
    private final Runnable contextSettled;
    private final Map<InetAddress, Entry> entries = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> contextDone = new CompletableFuture<>();
    private volatile Lookup<PublicAddress> publicAddress = Lookup.off();
    private volatile Lookup<AsnInfo> localAsn = Lookup.off();
    private volatile Lookup<AsnInfo> destinationAsn = Lookup.off();
    private volatile boolean started;

    private PathLookups() {
        this.on = false;
        this.lookups = null;
        this.executor = null;
        // classes: a lambda is generated at its first use, and OFF is made in every fresh JVM (docs/startup.md)
        this.settled = new Consumer<>() {
            @Override
            public void accept(InetAddress a) {
            }
        };
        this.contextSettled = new Runnable() {
            @Override
            public void run() {
            }
        };
        contextDone.complete(null);
    }

    /**
     * @param lookups the tracer's lookups
     * @param executor where lookups are started and their results handled (never the engine thread)
     * @param settled told, on {@code executor}, when both lookups of an address have ended
     * @param contextSettled told, on {@code executor}, when the context's lookups have all ended
     */
    public PathLookups(HostLookups lookups, Executor executor, Consumer<InetAddress> settled, Runnable contextSettled) {
        this.on = lookups.enabled();
        this.lookups = lookups;
        this.executor = executor;
        this.settled = settled;
        this.contextSettled = contextSettled;
        if (!on) {
            contextDone.complete(null);
        }
    }

    /** Whether lookups are made. */
    public boolean on() {
        return on;
    }

    private static final class Entry {
        volatile Lookup<String> hostname = Lookup.pending();
        volatile Lookup<AsnInfo> asn = Lookup.pending();
        volatile Lookup<GeoLocation> location = Lookup.pending();
        volatile Lookup<Exchange> exchange = Lookup.pending();
        final CompletableFuture<Void> done = new CompletableFuture<>();
    }

    /**
     * The destination is known: its AS and this host's public address (then the public address's AS)
     * are looked up. Once per measurement; any thread (the engine's included: only hands over).
     */
    public void start(InetAddress destination) {
        HostLookups l = lookups; // set exactly when on
        if (!on || started || l == null) {
            return;
        }
        started = true;
        publicAddress = Lookup.pending();
        localAsn = Lookup.pending();
        destinationAsn = Lookup.pending();
        submit(() -> {
            CompletableFuture<Void> dest = l.asn(destination).thenAccept(r -> destinationAsn = r);
            CompletableFuture<Void> local = l.publicAddress(destination instanceof Inet6Address)
                    .thenCompose(p -> {
                        publicAddress = p;
                        if (p.value().isEmpty()) {
                            localAsn = p.status() == LookupStatus.FAILED ? Lookup.failed("no public address: "
                                    + p.failure().orElse("")) : p.status() == LookupStatus.OFF ? Lookup.off()
                                    : Lookup.notFound();
                            return CompletableFuture.completedFuture(null);
                        }
                        return l.asn(p.value().get().address()).thenAccept(r -> localAsn = r);
                    });
            CompletableFuture.allOf(dest, local).whenCompleteAsync((v, e) -> {
                if (e != null) {
                    failContext(e);
                }
                // told before it is done: what it tells is handed to the loop ahead of what waits for allDone
                contextSettled.run();
                contextDone.complete(null);
            }, this::runOrNow);
        }, () -> {
            failContext(new IllegalStateException("tracer closed"));
            contextDone.complete(null);
        });
    }

    private void failContext(Throwable e) {
        String why = String.valueOf(e.getMessage());
        if (!publicAddress.done() && publicAddress.status() != LookupStatus.OFF) {
            publicAddress = Lookup.failed(why);
        }
        if (!localAsn.done() && localAsn.status() != LookupStatus.OFF) {
            localAsn = Lookup.failed(why);
        }
        if (!destinationAsn.done()) {
            destinationAsn = Lookup.failed(why);
        }
    }

    /**
     * An address answered: its host name and AS are looked up, once per measurement. Cheap and
     * non-blocking: called on the engine thread.
     */
    public void seen(InetAddress address) {
        HostLookups l = lookups; // set exactly when on
        if (!on || l == null || entries.containsKey(address)) {
            return;
        }
        Entry e = new Entry();
        if (entries.putIfAbsent(address, e) != null) {
            return;
        }
        submit(() -> {
            CompletableFuture<Void> h = l.hostname(address).thenAccept(r -> e.hostname = r);
            CompletableFuture<Void> a = l.asn(address).thenAccept(r -> e.asn = r);
            // local files (GeoIP, PeeringDB): read here, on the enrichment executor, never on the engine thread
            CompletableFuture<Void> g = l.location(address).thenAccept(r -> e.location = r);
            CompletableFuture<Void> x = l.exchange(address).thenAccept(r -> e.exchange = r);
            CompletableFuture.allOf(h, a, g, x).whenCompleteAsync((v, t) -> settle(address, e, t), this::runOrNow);
        }, () -> settle(address, e, new IllegalStateException("tracer closed")));
    }

    private void settle(InetAddress address, Entry e, @Nullable Throwable t) {
        if (t != null) {
            String why = String.valueOf(t.getMessage());
            if (!e.hostname.done()) {
                e.hostname = Lookup.failed(why);
            }
            if (!e.asn.done()) {
                e.asn = Lookup.failed(why);
            }
            if (!e.location.done() && e.location.status() != LookupStatus.OFF) {
                e.location = Lookup.failed(why);
            }
            if (!e.exchange.done() && e.exchange.status() != LookupStatus.OFF) {
                e.exchange = Lookup.failed(why);
            }
        }
        // told before it is done: what it tells is handed to the loop ahead of what waits for allDone (a trace's
        // hopEnriched before its result, EnrichMode.AWAIT)
        settled.accept(address);
        e.done.complete(null);
    }

    private void submit(Runnable task, Runnable rejected) {
        Executor x = executor; // set exactly when on (the only case that submits)
        if (x == null || !Scheduler.tryExecute(x, () -> {
            try {
                task.run();
            } catch (RuntimeException ex) {
                rejected.run();
            }
        })) {
            rejected.run();
        }
    }

    private void runOrNow(Runnable r) {
        Executor x = executor; // set exactly when on (the only case that submits)
        if (x == null || !Scheduler.tryExecute(x, r)) {
            r.run();
        }
    }

    /** The address's entry; null without lookups or before its lookups start (then {@link #unknown()}). */
    private @Nullable Entry entry(InetAddress address) {
        return on ? entries.get(address) : null;
    }

    /** A lookup of an address without an entry: OFF without lookups, else PENDING. */
    private <T> Lookup<T> unknown() {
        return on ? Lookup.pending() : Lookup.off();
    }

    /** The host name of an address as known now: OFF without lookups, PENDING while it runs. */
    public Lookup<String> hostname(InetAddress address) {
        Entry e = entry(address);
        return e == null ? unknown() : e.hostname;
    }

    /** The AS of an address as known now. */
    public Lookup<AsnInfo> asn(InetAddress address) {
        Entry e = entry(address);
        return e == null ? unknown() : e.asn;
    }

    /** Where an address is by the GeoIP databases, as known now. */
    public Lookup<GeoLocation> location(InetAddress address) {
        Entry e = entry(address);
        return e == null ? unknown() : e.location;
    }

    /** The exchange of an address by the PeeringDB dumps, as known now. */
    public Lookup<Exchange> exchange(InetAddress address) {
        Entry e = entry(address);
        return e == null ? unknown() : e.exchange;
    }

    /** Whether every lookup of the address has ended (true without lookups). */
    public boolean settled(InetAddress address) {
        if (!on) {
            return true;
        }
        Entry e = entries.get(address);
        return e != null && e.done.isDone();
    }

    /** The context as known now. */
    public PathContext context() {
        if (!on) {
            return PathContext.OFF;
        }
        return new PathContext(publicAddress, localAsn, destinationAsn);
    }

    /** Whether the context's lookups have ended. */
    public boolean contextSettled() {
        return contextDone.isDone();
    }

    /** Completes when every lookup started so far (the context's included) has ended. */
    public CompletableFuture<Void> allDone() {
        if (!on) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        if (started) {
            all.add(contextDone);
        }
        for (Entry e : entries.values()) {
            all.add(e.done);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }
}
