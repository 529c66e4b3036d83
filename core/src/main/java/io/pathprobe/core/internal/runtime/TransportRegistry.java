package io.pathprobe.core.internal.runtime;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.NoTransportAvailableException.Reason;
import io.pathprobe.NoTransportAvailableException.Rejection;
import io.pathprobe.TransportInfo;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Chooses and opens the transports of one tracer: the user's own, or the best usable provider for
 * each protocol and address family. Thread-safe. Availability checks and {@code open()} may take
 * long (native libraries, an I/O thread): callers off the engine loop ask with {@link Mode#OPEN};
 * the engine loop only with {@link Mode#CACHED}. Transports are closed with the registry; a
 * user-supplied one never is.
 */
public final class TransportRegistry implements AutoCloseable {
    /** How far {@link #choose} may go. */
    public enum Mode {
        /** Only what is known already: returns null where it would have to check or open a transport. */
        CACHED,
        /** Check availability but open nothing (the choice's transport is null). */
        PEEK,
        /** Check and open (may block). */
        OPEN
    }

    /**
     * A usable transport for a measurement.
     *
     * @param transport null only for {@link Mode#PEEK}
     * @param note why the first protocol was not used, for automatic protocols
     */
    public record Choice(ProbeProtocol protocol, String name, @Nullable ProbeTransport transport,
            FlowPolicy flowPolicy, Optional<String> note) {}

    private final @Nullable ProbeTransport userTransport;
    private final List<ProbeTransportProvider> providers;
    private final List<Rejection> notPreferred;
    // Concurrent maps and a lock per provider: a slow availability check or open() of one provider
    // holds up only the measurements that wait for that provider.
    private final Map<String, Availability> availability = new ConcurrentHashMap<>();
    private final Map<String, ProbeTransport> opened = new ConcurrentHashMap<>();
    private final Map<String, String> openFailures = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final List<Rejection> loadFailures = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** The last counts of the transports closed with the registry (stats stay monotonic after close). */
    private final Map<String, io.pathprobe.spi.TransportCounters> closedCounters = new ConcurrentHashMap<>();
    /** Fallback notes already logged at INFO (each once per tracer). */
    private final Set<String> loggedFallbacks = ConcurrentHashMap.newKeySet();
    /** The choices' logger, made at the first choice: getting it starts the platform's logging (java.util.logging's
     *  LogManager), which a tracer's build need not wait for. */
    private static final class Log {
        static final System.Logger CHOICE = System.getLogger("io.pathprobe.transport");
    }

    private TransportRegistry(@Nullable ProbeTransport userTransport, List<ProbeTransportProvider> providers,
            List<Rejection> notPreferred) {
        this.userTransport = userTransport;
        this.providers = providers;
        this.notPreferred = notPreferred;
    }

    public static TransportRegistry of(ProbeTransport transport) {
        return new TransportRegistry(transport, List.of(), List.of());
    }

    /** These providers, best first (tests). */
    public static TransportRegistry of(List<ProbeTransportProvider> providers) {
        return new TransportRegistry(null, sorted(providers), List.of());
    }

    /** Discovers providers; with a preferred name, only that one (which must be usable). */
    public static TransportRegistry discover(@Nullable String preferred, ClassLoader loader) {
        return discover(preferred, loader, null); // not UnaryOperator.identity(), a lambda linked at build()
    }

    /** The same, each provider found passed through {@code wrap} (a recording's), if given. */
    public static TransportRegistry discover(@Nullable String preferred, ClassLoader loader,
            java.util.function.@Nullable UnaryOperator<ProbeTransportProvider> wrap) {
        List<ProbeTransportProvider> found = new ArrayList<>();
        List<Rejection> failures = new ArrayList<>();
        var it = ServiceLoader.load(ProbeTransportProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                ProbeTransportProvider p = it.next();
                found.add(wrap == null ? p : wrap.apply(p));
            } catch (ServiceConfigurationError | LinkageError e) {
                failures.add(new Rejection("provider " + failures.size(), Reason.FAILED,
                        "could not be loaded: " + e.getMessage()));
            }
        }
        return withPreferred(preferred, found, failures);
    }

    /** As {@link #discover}, over these providers. */
    public static TransportRegistry withPreferred(@Nullable String preferred, List<ProbeTransportProvider> all,
            List<Rejection> loadFailures) {
        List<ProbeTransportProvider> found = sorted(all);
        TransportRegistry registry;
        if (preferred != null) {
            ProbeTransportProvider chosen = found.stream().filter(p -> p.name().equals(preferred)).findFirst()
                    .orElse(null);
            if (chosen == null) {
                List<Rejection> rejections = new ArrayList<>();
                rejections.add(new Rejection(preferred, Reason.NOT_FOUND, "no such transport on the class path"));
                found.forEach(p -> rejections.add(new Rejection(p.name(), Reason.NOT_PREFERRED,
                        "not the preferred transport")));
                rejections.addAll(loadFailures);
                String known = found.stream().map(ProbeTransportProvider::name).collect(Collectors.joining(", "));
                TransportRegistry every = new TransportRegistry(null, found, List.of()); // names only the usable
                String usable = found.stream().filter(p -> every.availabilityOf(p).isAvailable())
                        .map(ProbeTransportProvider::name).collect(Collectors.joining(", "));
                throw new NoTransportAvailableException("preferred transport '" + preferred + "' not found",
                        rejections, found.isEmpty() ? null : "known transports: " + known, null,
                        "unknown transport '" + preferred + "'" + (usable.isEmpty() ? "" : "; usable here: " + usable));
            }
            List<Rejection> others = found.stream().filter(p -> p != chosen)
                    .map(p -> new Rejection(p.name(), Reason.NOT_PREFERRED, "not the preferred transport")).toList();
            registry = new TransportRegistry(null, List.of(chosen), others);
            Availability a = registry.availabilityOf(chosen);
            if (!a.isAvailable()) {
                List<Rejection> rejections = new ArrayList<>();
                rejections.add(new Rejection(preferred, Reason.UNAVAILABLE, a.reason()));
                rejections.addAll(others);
                throw new NoTransportAvailableException("preferred transport '" + preferred + "' is unavailable",
                        rejections, null, null, "transport " + preferred + " is unavailable: " + (a.remedy().isPresent()
                                ? "it needs " + a.remedy().get() : a.reason()));
            }
        } else {
            registry = new TransportRegistry(null, found, List.of());
        }
        registry.loadFailures.addAll(loadFailures);
        return registry;
    }

    private static List<ProbeTransportProvider> sorted(List<ProbeTransportProvider> all) {
        List<ProbeTransportProvider> found = new ArrayList<>(all);
        found.sort(PREFERRED_FIRST);
        return List.copyOf(found);
    }

    /**
     * Highest priority first, then by name. A class of its own rather than {@code Comparator.comparingInt(...)
     * .reversed().thenComparing(...)}: that chain links five lambdas, 4-9 ms of a fresh JVM's {@code build()}.
     */
    private static final Comparator<ProbeTransportProvider> PREFERRED_FIRST = new Comparator<>() {
        @Override
        public int compare(ProbeTransportProvider a, ProbeTransportProvider b) {
            int byPriority = Integer.compare(b.priority(), a.priority());
            return byPriority != 0 ? byPriority : a.name().compareTo(b.name());
        }
    };

    /**
     * {@return the capabilities a measurement marked so needs of its transport: none for unmarked probes,
     * {@link TransportCapability#TRAFFIC_CLASS} else}
     *
     * @param marking the DSCP and ECN the measurement's probes carry
     */
    public static Set<TransportCapability> marked(io.pathprobe.probe.TrafficClass marking) {
        return marking.equals(io.pathprobe.probe.TrafficClass.DEFAULT) ? Set.of()
                : Set.of(TransportCapability.TRAFFIC_CLASS);
    }

    /**
     * The transport for the first of {@code protocols} that a usable transport sends to this address
     * family; with {@link Mode#CACHED}, null when finding out would block.
     *
     * @param automatic whether the caller let the tracer choose (affects the error's wording and hint)
     * @throws NoTransportAvailableException when none can, every transport considered listed in order
     */
    public @Nullable Choice choose(List<ProbeProtocol> protocols, boolean automatic, boolean ipv6,
            Mode mode) {
        return choose(protocols, automatic, ipv6, FlowPolicy.FIXED, false, mode);
    }

    /**
     * As {@link #choose(List, boolean, boolean, Mode)}, for sessions of flow policy {@code flow}.
     *
     * @param strictFlow whether only that policy will do; if not, and {@code flow} is FIXED, a
     *     protocol none of whose usable transports holds a fixed flow falls back to PER_PROBE, and the
     *     choice's note says so
     */
    public @Nullable Choice choose(List<ProbeProtocol> protocols, boolean automatic, boolean ipv6, FlowPolicy flow,
            boolean strictFlow, Mode mode) {
        return choose(protocols, automatic, ipv6, flow, strictFlow, mode, Set.of());
    }

    /**
     * As {@link #choose(List, boolean, boolean, FlowPolicy, boolean, Mode)}, among the transports that also have
     * every capability in {@code required} (e.g. {@link TransportCapability#PATH_MTU}); the others are
     * rejected as missing it.
     */
    public @Nullable Choice choose(List<ProbeProtocol> protocols, boolean automatic, boolean ipv6, FlowPolicy flow,
            boolean strictFlow, Mode mode, Set<TransportCapability> required) {
        if (closed) {
            throw new IllegalStateException("tracer is closed");
        }
        List<Rejection> rejected = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> briefs = new ArrayList<>();
        List<FlowPolicy> policies = !strictFlow && flow == FlowPolicy.FIXED
                ? List.of(FlowPolicy.FIXED, FlowPolicy.PER_PROBE) : List.of(flow);
        for (ProbeProtocol protocol : protocols) {
            List<Rejection> here = null;
            for (FlowPolicy policy : policies) {
                List<Rejection> pass = new ArrayList<>();
                Choice c = choose(protocol, ipv6, policy, mode, pass, required);
                if (c == NOT_CACHED) {
                    return null;
                }
                if (c != null) {
                    if (policy != flow && here != null) {
                        notes.add(protocol + " probes use classic flows, no usable transport holds a Paris flow: "
                                + here.stream().filter(r -> r.reason() != Reason.MISSING_CAPABILITY
                                                || r.detail().startsWith("cannot hold"))
                                        .map(r -> r.transport() + ": " + r.detail())
                                        .collect(Collectors.joining("; ")));
                    }
                    Optional<String> note = notes.isEmpty() ? Optional.empty()
                            : Optional.of(String.join("; ", notes));
                    Choice chosen = new Choice(c.protocol(), c.name(), c.transport(), c.flowPolicy(), note);
                    logChoice(chosen, ipv6, pass, mode);
                    return chosen;
                }
                if (here == null) {
                    here = pass; // the reasons for the policy asked for
                }
            }
            List<Rejection> rejections = here != null ? here : List.of(); // null: no policy was tried
            notes.add(protocol + " not usable: " + TransportNotes.briefly(rejections, availability::get, false));
            briefs.add((protocols.size() == 1 ? "" : protocol + ": ")
                    + TransportNotes.briefly(rejections, availability::get, true));
            for (Rejection r : rejections) {
                rejected.add(protocols.size() == 1 ? r
                        : new Rejection(r.transport(), r.reason(), protocol + ": " + r.detail()));
            }
        }
        rejected.addAll(notPreferred);
        rejected.addAll(loadFailures);
        String hint = null;
        ProbeProtocol usable = null;
        if (!automatic) {
            for (ProbeProtocol other : ProbeProtocol.values()) {
                if (!protocols.contains(other) && usable(other, ipv6)) {
                    hint = other + " probes are usable here: TraceRequest.Builder.protocol(ProbeProtocol." + other
                            + "), or leave the protocol to the tracer (the default)";
                    usable = other;
                    break;
                }
            }
        }
        String what = "no usable transport for "
                + protocols.stream().map(String::valueOf).collect(Collectors.joining(" or ")) + " probes to "
                + (ipv6 ? "IPv6" : "IPv4") + " destinations";
        throw new NoTransportAvailableException(what, rejected, hint, usable, what + ": " + String.join("; ", briefs));
    }


    /**
     * Logs a choice: at DEBUG which transport and why the better-ranked ones were passed over; a
     * fallback (another protocol, classic flows) at DEBUG, once per tracer for each distinct note (the
     * result's protocol note says it to the caller; a default logging set-up prints nothing).
     * Nothing for {@link Mode#PEEK} (a question, not a measurement).
     */
    private void logChoice(Choice chosen, boolean ipv6, List<Rejection> passedOver, Mode mode) {
        if (mode == Mode.PEEK) {
            return;
        }
        String note = chosen.note().orElse(null);
        if (note != null && Log.CHOICE.isLoggable(System.Logger.Level.DEBUG) && loggedFallbacks.size() < 64
                && loggedFallbacks.add(note)) {
            Log.CHOICE.log(System.Logger.Level.DEBUG, "fallback: " + chosen.protocol() + " probes to "
                    + (ipv6 ? "IPv6" : "IPv4") + " through " + chosen.name() + " ("
                    + FlowPolicies.text(chosen.flowPolicy()) + " flows), because " + note);
        }
        if (Log.CHOICE.isLoggable(System.Logger.Level.DEBUG)) {
            Log.CHOICE.log(System.Logger.Level.DEBUG, "transport " + chosen.name() + " chosen for "
                    + chosen.protocol() + " probes to " + (ipv6 ? "IPv6" : "IPv4") + " destinations, "
                    + FlowPolicies.text(chosen.flowPolicy()) + " flows"
                    + (passedOver.isEmpty() ? " (the best ranked)" : "; passed over: " + passedOver.stream()
                            .map(r -> r.transport() + " (" + r.detail() + ")").collect(Collectors.joining(", ")))
                    + (note == null ? "" : "; " + note));
        }
    }

    /**
     * Checks and opens, ahead of any measurement, the transport a trace with the defaults would choose
     * (ICMP, else UDP; Paris flows; IPv4), so that the first trace does not wait for the transport's
     * native bindings and I/O thread (about 400 ms of class loading in a fresh JVM). The tracer
     * runs it once on its set-up pool when it is built; a measurement that needs the same transport in the
     * meantime waits for this opening instead of doing it twice. What fails here is recorded as the
     * measurement itself would have recorded it (and reported by the first measurement that asks); nothing
     * is thrown. Nothing for a user-supplied transport, or once the registry is closed.
     */
    public void prepare() {
        if (userTransport != null || closed) {
            return;
        }
        try {
            choose(List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP), true, false, FlowPolicy.FIXED, false, Mode.OPEN);
        } catch (RuntimeException | LinkageError e) {
            System.getLogger(TransportRegistry.class.getName()).log(System.Logger.Level.DEBUG,
                    "no transport prepared for default traces: " + e.getMessage());
        }
    }

    /** {@link TransportOpening#openTransports()}: every usable transport opened now, but TCP in-connection's. */
    public List<String> openUsable() {
        List<String> open = new ArrayList<>();
        for (Candidate c : candidates()) {
            ProbeTransportProvider p = c.provider();
            if (p == null || !c.capabilities().contains(TransportCapability.TCP_IN_CONNECTION)
                    && availabilityOf(p).isAvailable() && open(p) != null) {
                open.add(c.name()); // a user's own transport (no provider) is open already
            }
        }
        return open;
    }

    /** Marks "finding out would block" in {@link Mode#CACHED}. */
    private static final Choice NOT_CACHED = new Choice(ProbeProtocol.ICMP, "", null,
            FlowPolicy.FIXED, Optional.empty());

    /** The best usable transport for one protocol and flow policy, or null with the rejections in {@code here}. */
    private @Nullable Choice choose(ProbeProtocol protocol, boolean ipv6, FlowPolicy policy, Mode mode,
            List<Rejection> here, Set<TransportCapability> required) {
        for (Candidate c : candidates()) {
            String missing = missingCapability(c.capabilities(), protocol, ipv6);
            if (missing == null) {
                for (TransportCapability r : required) {
                    if (!c.capabilities().contains(r)) {
                        missing = "has no " + r + " capability";
                        break;
                    }
                }
            }
            if (missing == null && c.capabilities().contains(TransportCapability.TCP_IN_CONNECTION)
                    && !required.contains(TransportCapability.TCP_IN_CONNECTION)) {
                // its sessions connect first: only for a trace that asks for it (TcpMode.IN_CONNECTION)
                missing = "sends TCP probes only inside a connection (TcpMode.IN_CONNECTION)";
            }
            if (missing != null) {
                here.add(new Rejection(c.name(), Reason.MISSING_CAPABILITY, missing));
                continue;
            }
            ProbeTransportProvider provider = c.provider(); // null: the user's own transport
            if (provider != null && mode == Mode.CACHED && !availability.containsKey(c.name())) {
                return NOT_CACHED; // not yet known
            }
            Availability a = provider == null ? Availability.available() : availabilityOf(provider);
            if (!a.isAvailable()) {
                here.add(new Rejection(c.name(), Reason.UNAVAILABLE, a.reason()));
                continue;
            }
            String failure = openFailures.get(c.name());
            if (failure != null) {
                here.add(new Rejection(c.name(), Reason.FAILED, failure));
                continue;
            }
            if (!FlowPolicies.holds(c.capabilities(), policy)) { // after availability: "needs CAP_NET_RAW" says more
                here.add(new Rejection(c.name(), Reason.MISSING_CAPABILITY,
                        "cannot hold " + FlowPolicies.text(policy) + " flows"));
                continue;
            }
            ProbeTransport transport = provider == null ? userTransport : opened.get(c.name());
            if (transport == null && provider != null && mode != Mode.PEEK) {
                if (mode == Mode.CACHED) {
                    return NOT_CACHED;
                }
                transport = open(provider);
                if (transport == null) {
                    here.add(new Rejection(c.name(), Reason.FAILED, String.valueOf(openFailures.get(c.name()))));
                    continue;
                }
            }
            return new Choice(protocol, c.name(), transport, policy, Optional.empty());
        }
        return null;
    }

    /** Opens the provider's transport once; null (and the reason recorded) if it fails. */
    private @Nullable ProbeTransport open(ProbeTransportProvider p) {
        synchronized (lockFor(p.name())) {
            ProbeTransport t = opened.get(p.name());
            if (t != null || openFailures.containsKey(p.name())) {
                return t;
            }
            try {
                t = p.open();
            } catch (RuntimeException | LinkageError e) {
                openFailures.put(p.name(),
                        "could not be opened: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return null;
            }
            synchronized (this) {
                if (closed) {
                    t.close();
                    throw new IllegalStateException("tracer is closed");
                }
                opened.put(p.name(), t);
            }
            return t;
        }
    }

    /** A transport's lock: a class, not a lambda, made in a fresh JVM's first build() (docs/startup.md). */
    private static final java.util.function.Function<String, Object> NEW_LOCK = new java.util.function.Function<>() {
        @Override
        public Object apply(String name) {
            return new Object();
        }
    };

    private Object lockFor(String name) {
        return locks.computeIfAbsent(name, NEW_LOCK);
    }

    private boolean usable(ProbeProtocol protocol, boolean ipv6) {
        for (Candidate c : candidates()) {
            if (missingCapability(c.capabilities(), protocol, ipv6) == null
                    && !c.capabilities().contains(TransportCapability.TCP_IN_CONNECTION)
                    && (c.provider() == null || availabilityOf(c.provider()).isAvailable())
                    && !openFailures.containsKey(c.name())) {
                return true;
            }
        }
        return false;
    }

    private record Candidate(String name, Set<TransportCapability> capabilities,
            @Nullable ProbeTransportProvider provider) {}

    private List<Candidate> candidates() {
        if (userTransport != null) {
            return List.of(new Candidate(userTransport.name(), userTransport.capabilities(), null));
        }
        List<Candidate> out = new ArrayList<>(providers.size());
        for (ProbeTransportProvider p : providers) {
            out.add(new Candidate(p.name(), p.capabilities(), p));
        }
        return out;
    }

    /**
     * On a new background (load) thread: lets every provider lower its priority
     * ({@link ProbeTransportProvider#configureBackgroundThread()}); what one throws is logged (debug) and ignored.
     */
    public void configureBackgroundThread() {
        configureThread(false);
    }

    /**
     * On a new engine thread: lets every provider tune it ({@link ProbeTransportProvider#configureEngineThread()}),
     * available or not; what one throws is logged (debug) and ignored. A user-supplied transport has no
     * provider: nothing is tuned.
     */
    public void configureEngineThread() {
        configureThread(true);
    }

    /** Lets every provider configure this engine ({@code engine}) or background thread; logs what one throws. */
    private void configureThread(boolean engine) {
        for (ProbeTransportProvider p : providers) {
            try {
                if (engine) {
                    p.configureEngineThread();
                } else {
                    p.configureBackgroundThread();
                }
            } catch (RuntimeException | LinkageError e) {
                System.getLogger(TransportRegistry.class.getName()).log(System.Logger.Level.DEBUG, "transport "
                        + p.name() + " could not configure " + (engine ? "the engine thread" : "a background thread"),
                        e);
            }
        }
    }

    /**
     * The receive-path counters of every transport this registry opened, by name (the last counts of
     * those closed with it); a transport that does not count is absent. Never checks or opens anything.
     */
    public Map<String, io.pathprobe.spi.TransportCounters> counters() {
        Map<String, io.pathprobe.spi.TransportCounters> out = new java.util.TreeMap<>(closedCounters);
        if (userTransport != null) {
            counters(userTransport).ifPresent(c -> out.put(userTransport.name(), c));
        }
        for (Map.Entry<String, ProbeTransport> e : opened.entrySet()) {
            counters(e.getValue()).ifPresent(c -> out.put(e.getKey(), c));
        }
        return out;
    }

    public List<TransportInfo> transports() {
        if (userTransport != null) {
            return List.of(new TransportInfo(userTransport.name(), 0, userTransport.capabilities(), true,
                    "available", counters(userTransport)));
        }
        List<TransportInfo> out = new ArrayList<>();
        for (ProbeTransportProvider p : providers) {
            Availability a = availabilityOf(p);
            ProbeTransport t = opened.get(p.name());
            String failure = openFailures.get(p.name());
            boolean ok = a.isAvailable() && failure == null;
            out.add(new TransportInfo(p.name(), p.priority(), p.capabilities(), ok,
                    !a.isAvailable() ? a.reason() : failure != null ? failure : "available",
                    t == null ? Optional.empty() : counters(t)));
        }
        return List.copyOf(out);
    }

    private static Optional<io.pathprobe.spi.TransportCounters> counters(ProbeTransport t) {
        try {
            return t.counters();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Availability availabilityOf(ProbeTransportProvider p) {
        Availability known = availability.get(p.name());
        if (known != null) {
            return known;
        }
        synchronized (lockFor(p.name())) {
            known = availability.get(p.name());
            if (known == null) {
                try {
                    known = p.availability();
                } catch (RuntimeException | LinkageError e) {
                    known = Availability.unavailable("availability check failed: " + e, e);
                }
                availability.put(p.name(), known);
            }
            return known;
        }
    }

    /** Why a transport with these capabilities cannot send this protocol to this family, or null. */
    static @Nullable String missingCapability(Set<TransportCapability> caps, ProbeProtocol protocol, boolean v6) {
        if (!caps.contains(TransportCapability.of(protocol))) {
            return "does not send " + protocol + " probes";
        }
        if (!caps.contains(v6 ? TransportCapability.IPV6 : TransportCapability.IPV4)) {
            return "does not probe " + (v6 ? "IPv6" : "IPv4") + " destinations";
        }
        return null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        RuntimeException failure = null;
        for (Map.Entry<String, ProbeTransport> entry : List.copyOf(opened.entrySet())) {
            ProbeTransport t = entry.getValue();
            counters(t).ifPresent(c -> closedCounters.put(entry.getKey(), c));
            try {
                t.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
