package io.pathprobe;

import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Segment;
import io.pathprobe.enrich.ServerAddress;
import io.pathprobe.internal.EnrichmentSettings;
import io.pathprobe.internal.TracerFactory;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.options.ProbeBudget;
import io.pathprobe.spi.AsnResolver;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.time.Scheduler;
import io.pathprobe.time.Ticker;
import io.pathprobe.util.Text;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
/**
 * Builds a {@link PathTracer} ({@link PathTracer#builder()}). Each option may be set once; a second
 * call fails, so a configuration mistake shows at once.
 *
 * <p>The one API class that finds the engine: {@link #build()} looks up pathprobe-core's
 * {@code TracerFactory} through {@link ServiceLoader}. {@link PathTracer} itself does not know the
 * engine seam, so the API and its internal package do not refer to each other through it.
 */
public final class PathTracerBuilder {
    /**
     * A well-known public STUN server (Google's), for callers who want the public address on the
     * Internet: {@code builder().stunServer(PathTracerBuilder.PUBLIC_STUN_SERVER)}. Unresolved; never
     * used unless passed explicitly: by default no STUN server is asked.
     */
    public static final InetSocketAddress PUBLIC_STUN_SERVER =
            InetSocketAddress.createUnresolved("stun.l.google.com", 19302);
    /** The DNS port, for {@link #dnsServer(String)} without a port. */
    public static final int DNS_PORT = 53;
    /** The STUN port (RFC 8489), for {@link #stunServer(String)} without a port. */
    public static final int STUN_PORT = 3478;

    private @Nullable ProbeTransport transport;
    private @Nullable String preferredTransport;
    /** The probing budget; {@link #packetsPerSecond} and {@link #burst} set its overall rate and burst. */
    private @Nullable ProbeBudget budget;
    private boolean rateSet;
    private boolean burstSet;
    private int senderThreads = -1;
    private @Nullable HostResolver hostResolver;
    private @Nullable Executor executor;
    private @Nullable InetSocketAddress dnsServer;
    private @Nullable InetSocketAddress stunServer;
    private @Nullable AsnResolver asnResolver;
    private @Nullable Duration lookupTimeout;
    private @Nullable Duration lookupFailureTtl;
    private boolean offline;
    private boolean teamCymru;
    private final List<Path> geoDatabases = new ArrayList<>();
    private final List<Path> peeringDbDumps = new ArrayList<>();
    private @Nullable Ticker ticker;
    private @Nullable Scheduler scheduler;
    private io.pathprobe.evidence.@Nullable RecordingOptions recording;

    PathTracerBuilder() {}

    /**
     * Use this transport for every probe instead of the ones found through
     * {@link java.util.ServiceLoader}. The tracer does not close it.
     *
     * @param transport the transport for every probe
     * @return this builder
     */
    public PathTracerBuilder transport(ProbeTransport transport) {
        requireUnset(this.transport == null && preferredTransport == null, "transport");
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    /**
     * Use the discovered transport of this name (e.g. "linux-udp-recverr"); fails at build if unusable.
     *
     * @param name the transport's name
     * @return this builder
     */
    public PathTracerBuilder preferredTransport(String name) {
        requireUnset(this.transport == null && preferredTransport == null, "preferredTransport");
        this.preferredTransport = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * The most probes per second this tracer sends, all traces together (default 1000);
     * 0 means unlimited. Once set, the rate holds from the first probe unless {@link #burst(int)} allows a
     * burst.
     *
     * @param packetsPerSecond the most probes per second, 0 for unlimited
     * @return this builder
     */
    public PathTracerBuilder packetsPerSecond(int packetsPerSecond) {
        requireUnset(!rateSet, "packetsPerSecond");
        if (packetsPerSecond < 0) {
            throw new IllegalArgumentException("packetsPerSecond must be 0 (unlimited) or more, was "
                    + packetsPerSecond);
        }
        ProbeBudget b = budget == null ? ProbeBudget.DEFAULT : budget;
        budget = new ProbeBudget(packetsPerSecond, b.perDestination(), b.perRouter(), b.perPrefix(),
                burstSet ? b.burst() : 1);
        rateSet = true;
        return this;
    }

    /**
     * How many probes may leave at once before the rate applies. Default: 128 at the default rate (a
     * default trace goes out in one burst); 1 once {@link #packetsPerSecond(int)} is set, so that the rate
     * asked for holds from the first probe. Set it to allow a burst at a rate of one's own.
     *
     * @param burst how many probes may leave at once, at least 1
     * @return this builder
     */
    public PathTracerBuilder burst(int burst) {
        requireUnset(!burstSet, "burst");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, was " + burst);
        }
        ProbeBudget b = budget == null ? ProbeBudget.DEFAULT : budget;
        budget = new ProbeBudget(b.overall(), b.perDestination(), b.perRouter(), b.perPrefix(), burst);
        burstSet = true;
        return this;
    }

    /**
     * The tracer's probing budget: probes a second overall (what {@link #packetsPerSecond(int)} sets), per
     * destination, per /24 or /48 prefix, and answers a second asked of one router (docs/trace.md, "A probing
     * budget"). Every probe of every measurement waits until all the budgets it falls under have room.
     *
     * @param budget the budget
     * @return this builder
     * @throws IllegalStateException if the budget, {@link #packetsPerSecond(int)} or {@link #burst(int)} was set
     */
    public PathTracerBuilder budget(ProbeBudget budget) {
        requireUnset(!rateSet && !burstSet, "budget");
        this.budget = Objects.requireNonNull(budget, "budget");
        rateSet = true;
        burstSet = true;
        return this;
    }

    /**
     * How many threads besides the engine's may send probes (default: one per core beyond the first, at most 3;
     * 0 keeps every send on the engine's thread). A measurement that runs alone always sends on the engine's
     * thread. While several run (a batch of traces), each one's probes go out on one of these threads or the
     * engine's, round robin, for its whole life: the system calls, and on a host that forwards the probes itself
     * the kernel's routing of them, spread over that many cores. Each probe's send time is still the one its
     * transport took when it left, and the engine's one thread still owns every measurement's state. The threads
     * start when first needed and stay until {@code close()}: their number is constant whatever the load. A
     * tracer on a {@linkplain #scheduler given scheduler}, or one that {@linkplain #record records}, sends on
     * its loop only.
     *
     * @param senderThreads 0 to 16
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public PathTracerBuilder senderThreads(int senderThreads) {
        requireUnset(this.senderThreads < 0, "senderThreads");
        if (senderThreads < 0 || senderThreads > TracerSettings.MAX_SENDER_THREADS) {
            throw new IllegalArgumentException("senderThreads must be 0.." + TracerSettings.MAX_SENDER_THREADS
                    + ", was " + senderThreads);
        }
        this.senderThreads = senderThreads;
        return this;
    }

    /**
     * How target names become addresses (default: the system resolver).
     *
     * @param hostResolver the resolver of target names
     * @return this builder
     */
    public PathTracerBuilder hostResolver(HostResolver hostResolver) {
        this.hostResolver = once(this.hostResolver, hostResolver, "hostResolver");
        return this;
    }

    /**
     * Where listeners and the continuations of returned futures run (default: a small pool of
     * daemon threads of the tracer's own, ended by {@link PathTracer#close()}). User code never
     * runs on the tracer's engine thread; each trace's listener events run one at a time, in
     * order, whatever the executor. The tracer does not shut down an executor given here.
     *
     * @param executor where listeners and future continuations run
     * @return this builder
     */
    public PathTracerBuilder executor(Executor executor) {
        this.executor = once(this.executor, executor, "executor");
        return this;
    }

    /**
     * The DNS server for reverse lookups (PTR) and, when asked for, Team Cymru's AS lookups
     * ({@link #teamCymruAsnLookups()}), e.g. {@code new InetSocketAddress("192.0.2.53", 53)} (default: the system's
     * resolver, as /etc/resolv.conf or the OS names it). The target's own name is still resolved
     * by the {@link #hostResolver(HostResolver) host resolver}.
     *
     * @param server the DNS server's address and port
     * @return this builder
     * @throws ServerAddress.InvalidServerAddressException if the address is unresolved or the port is 0
     */
    public PathTracerBuilder dnsServer(InetSocketAddress server) {
        requireUnset(this.dnsServer == null, "dnsServer");
        requireNotOffline("dnsServer");
        Objects.requireNonNull(server, "server");
        if (server.isUnresolved()) {
            throw new ServerAddress.InvalidServerAddressException("invalid DNS server " + server
                    + ": give an address, not a name (names would need a DNS server themselves)");
        }
        this.dnsServer = checkPort(server, "DNS server");
        return this;
    }

    /**
     * The DNS server as text: {@code ADDR}, {@code ADDR:PORT}, {@code [IPV6]:PORT} (port 53 when
     * none is given); literal addresses only.
     *
     * @param server the DNS server's address, with or without a port
     * @return this builder
     * @throws ServerAddress.InvalidServerAddressException if malformed or the port is out of range
     */
    public PathTracerBuilder dnsServer(String server) {
        return dnsServer(ServerAddress.parse(server, DNS_PORT, "DNS server"));
    }

    /**
     * The STUN server that tells this host its public address (RFC 8489 Binding request, over UDP)
     * (default: none, so {@link PathContext#publicAddress()} is {@link LookupStatus#OFF} and
     * segments rely on CGNAT space and AS numbers). An unresolved address (such as
     * {@link #PUBLIC_STUN_SERVER}) is resolved by the system resolver when the tracer is built.
     *
     * @param server the STUN server's address and port
     * @return this builder
     * @throws ServerAddress.InvalidServerAddressException if the port is 0
     */
    public PathTracerBuilder stunServer(InetSocketAddress server) {
        requireUnset(this.stunServer == null, "stunServer");
        requireNotOffline("stunServer");
        this.stunServer = checkPort(Objects.requireNonNull(server, "server"), "STUN server");
        return this;
    }

    /**
     * The STUN server as text: {@code ADDR}, {@code ADDR:PORT}, {@code [IPV6]:PORT} (port 3478 when
     * none is given); literal addresses only.
     *
     * @param server the STUN server's address, with or without a port
     * @return this builder
     * @throws ServerAddress.InvalidServerAddressException if malformed or the port is out of range
     */
    public PathTracerBuilder stunServer(String server) {
        return stunServer(ServerAddress.parse(server, STUN_PORT, "STUN server"));
    }

    /**
     * Who maps addresses to AS numbers (default: nobody, AS lookups are {@link LookupStatus#OFF}; see
     * {@link #teamCymruAsnLookups()}). The tracer caches its answers by their TTL and never calls it
     * on its engine thread.
     *
     * @param resolver the resolver of AS numbers
     * @return this builder
     */
    public PathTracerBuilder asnResolver(AsnResolver resolver) {
        requireUnset(this.asnResolver == null, "asnResolver");
        requireNotOffline("asnResolver");
        if (teamCymru) {
            throw new IllegalStateException("asnResolver and teamCymruAsnLookups exclude each other");
        }
        this.asnResolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /**
     * How long one lookup (a PTR, an AS, the STUN exchange) may take before it is FAILED, and the
     * longest an {@link EnrichMode#AWAIT} result waits for lookups after probing (default 2 s; the
     * wait adds 100 ms so that a lookup that runs into this timeout is reported FAILED, not PENDING).
     *
     * @param timeout how long one lookup may take, positive and at most 5 minutes
     * @return this builder
     */
    public PathTracerBuilder lookupTimeout(Duration timeout) {
        requireUnset(this.lookupTimeout == null, "lookupTimeout");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("lookupTimeout must be positive and at most 5 minutes, was "
                    + Text.duration(timeout));
        }
        this.lookupTimeout = timeout;
        return this;
    }

    /**
     * How long a failed lookup (no answer within {@link #lookupTimeout}, SERVFAIL, REFUSED, an
     * unreachable server) is kept before the same name is asked again (default 30 s; at most
     * 5 minutes, as RFC 9520 bounds the caching of resolution failures; {@link Duration#ZERO}: never
     * kept). Within it, every hop and trace that needs that name gets the failure at once and nothing
     * is sent; the failure is logged once ({@code io.pathprobe.enrichment}, DEBUG). Not-found answers
     * (NXDOMAIN, no record) are kept for their negative TTL, found ones for their TTL.
     *
     * @param ttl how long a failed lookup is kept, 0 to 5 minutes
     * @return this builder
     */
    public PathTracerBuilder lookupFailureTtl(Duration ttl) {
        requireUnset(this.lookupFailureTtl == null, "lookupFailureTtl");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("lookupFailureTtl must be 0 to 5 minutes, was " + ttl);
        }
        this.lookupFailureTtl = ttl;
        return this;
    }

    /**
     * AS numbers from Team Cymru's IP-to-ASN service: TXT queries for each hop's address in its public
     * DNS zone ({@code origin.asn.cymru.com}), through the {@link #dnsServer DNS server}. Every hop's
     * address then goes to a third party, so it is asked for, as {@code traceroute -A} and
     * {@code mtr -z} ask; without it (or an {@link #asnResolver}) AS lookups are
     * {@link LookupStatus#OFF}, while host names (reverse DNS, as traceroute and mtr do) are looked up
     * by default.
     *
     * @return this builder
     */
    public PathTracerBuilder teamCymruAsnLookups() {
        requireUnset(!teamCymru, "teamCymruAsnLookups");
        requireNotOffline("teamCymruAsnLookups");
        if (asnResolver != null) {
            throw new IllegalStateException("asnResolver and teamCymruAsnLookups exclude each other");
        }
        this.teamCymru = true;
        return this;
    }

    /**
     * No lookups at all: no DNS, no AS, no STUN; every lookup is {@link LookupStatus#OFF} and every
     * segment {@link Segment#UNKNOWN}, whatever a request's {@link EnrichMode}. Excludes
     * {@link #dnsServer}, {@link #stunServer} and {@link #asnResolver}. Local files ({@link #geoDatabase},
     * {@link #peeringDbDump}) are still read: they send nothing.
     *
     * @return this builder
     */
    public PathTracerBuilder offline() {
        requireUnset(!offline, "offline");
        if (dnsServer != null || stunServer != null || asnResolver != null || teamCymru) {
            throw new IllegalStateException("offline() excludes dnsServer, stunServer, asnResolver "
                    + "and teamCymruAsnLookups");
        }
        this.offline = true;
        return this;
    }

    /**
     * A GeoIP database to place each hop with, read locally (nothing is asked of anyone): a MaxMind DB (mmdb)
     * file such as GeoLite2/GeoIP2 City or Country, GeoLite2/GeoIP2 ASN, or IPinfo's lite, country, ASN or
     * location databases. Each hop's {@link io.pathprobe.enrich.Responder#location()} gets the country, city,
     * coordinates and accuracy radius the databases have (several may be given, e.g. a City and an ASN
     * database: their fields are merged, the first given first). A database with AS numbers fills
     * {@link io.pathprobe.enrich.Responder#asn()} when neither {@link #asnResolver} nor
     * {@link #teamCymruAsnLookups()} is set (those take precedence). Off by default; allowed on an
     * {@link #offline()} tracer (it sends nothing). Read with MaxMind's reader (memory-mapped); answers are
     * kept in the tracer's enrichment caches.
     *
     * @param mmdb the database file
     * @return this builder
     * @throws EnrichmentDataException from {@link #build()} if the file is missing, unreadable, not an mmdb file,
     *     corrupt or truncated
     */
    public PathTracerBuilder geoDatabase(Path mmdb) {
        geoDatabases.add(Objects.requireNonNull(mmdb, "mmdb"));
        return this;
    }

    /**
     * A PeeringDB dump to name the Internet exchanges the path crosses, read locally (nothing is asked of
     * anyone): a JSON file with PeeringDB's {@code ix}, {@code ixlan}, {@code ixpfx} and {@code netixlan} (and
     * optionally {@code net}) objects, each {@code {"data": [...]}}, as CAIDA's PeeringDB archive keeps them. A
     * hop in an exchange's peering LAN prefix (longest match, IPv4 and IPv6) gets
     * {@link io.pathprobe.enrich.Responder#exchange()}, with the member network the dump gives that address
     * to. Several dumps may be given. Off by default; allowed on an {@link #offline()} tracer. Needs
     * jackson-databind on the class path.
     *
     * @param dump the dump file
     * @return this builder
     * @throws EnrichmentDataException from {@link #build()} if the file is missing, unreadable, not a PeeringDB
     *     dump, truncated, or jackson-databind is not on the class path
     */
    public PathTracerBuilder peeringDbDump(Path dump) {
        peeringDbDumps.add(Objects.requireNonNull(dump, "dump"));
        return this;
    }

    /**
     * The clock the engine reads every time from (probe timeouts, pacing, monitor rounds, deadlines,
     * round-trip times), instead of {@link Ticker#systemTicker()}. Given with {@link #scheduler(Scheduler)},
     * whose timers fall due on it: {@link #build()} fails if only one of the two is set. For tests on fake
     * time: the {@code pathprobe-testing} artifact's {@code FakeTime} is both, and its
     * {@code ScriptedTransport} stamps probes and answers with it (see docs/testing.md).
     *
     * @param ticker the engine's clock
     * @return this builder
     */
    public PathTracerBuilder ticker(Ticker ticker) {
        this.ticker = once(this.ticker, ticker, "ticker");
        return this;
    }

    /**
     * The loop the engine runs on (every state change and timer of every measurement), instead of an
     * engine thread of the tracer's own. Given with {@link #ticker(Ticker)}: {@link #build()} fails if only
     * one of the two is set. With a scheduler of one's own, the tracer's set-up work (name resolution,
     * opening a transport) runs in the thread that starts a measurement, and, unless an
     * {@link #executor(Executor) executor} is given, listeners and the completion of returned futures run
     * on the loop, right after the engine's step: on fake time, everything happens in the thread that
     * drives the loop, and a blocking call ({@link PathTracer#trace}) drives it
     * ({@link Scheduler#runUntil}) until the measurement ends.
     *
     * @param scheduler the engine's loop
     * @return this builder
     */
    public PathTracerBuilder scheduler(Scheduler scheduler) {
        this.scheduler = once(this.scheduler, scheduler, "scheduler");
        return this;
    }

    /**
     * Records every measurement this tracer runs to a file: the request, the transports chosen and every probe's
     * send time, every answer as it came, each lookup's answer, the clock's readings and the order the engine
     * ran its work in, and the result; {@link io.pathprobe.PathTracer#replay(java.nio.file.Path)} replays it with
     * no probe and no lookup to the same result (docs/evidence.md). Trace, traceAll, monitor, multipath, MTU and
     * ping measurements are recorded; a bufferbloat test or a compare on a recording tracer is refused
     * ({@link UnsupportedOperationException}). The file is opened by {@link #build()} (which throws
     * {@link io.pathprobe.RecordingException} if it cannot be created, or, before anything is opened, naming the
     * artifact to add if {@code io.pathprobe:pathprobe-evidence}, the recorder, is not on the class path or module
     * path) and closed with the tracer.
     *
     * @param options the file and its rotation
     * @return this builder
     */
    public PathTracerBuilder record(io.pathprobe.evidence.RecordingOptions options) {
        requireUnset(this.recording == null, "record");
        this.recording = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Records every measurement this tracer runs to {@code file}, rotated at 256 MiB with 4 files kept: the same as
     * {@code record(RecordingOptions.to(file))}.
     *
     * @param file the recording (created or replaced)
     * @return this builder
     */
    public PathTracerBuilder record(java.nio.file.Path file) {
        return record(io.pathprobe.evidence.RecordingOptions.to(file));
    }

    private void requireNotOffline(String option) {
        if (offline) {
            throw new IllegalStateException(option + " cannot be set on an offline() tracer");
        }
    }

    private static InetSocketAddress checkPort(InetSocketAddress server, String what) {
        if (server.getPort() == 0) {
            throw new ServerAddress.InvalidServerAddressException("invalid " + what + " " + server
                    + ": port 0 is out of range 1..65535");
        }
        return server;
    }

    /**
     * {@return the tracer}
     *
     * @throws NoTransportAvailableException if a preferred transport was named and cannot be used
     * @throws IllegalStateException if only one of {@link #ticker(Ticker)} and {@link #scheduler(Scheduler)}
     *         was set
     * @throws EnrichmentDataException if a {@link #geoDatabase} or {@link #peeringDbDump} file cannot be used
     *         (missing, unreadable, corrupt, truncated; the message names the file and the cause)
     * @throws PathProbeException if no pathprobe engine (pathprobe-core) is on the class path, or if the
     *         Netty on it is older than the 4.2 pathprobe-core needs (the message names the modules found
     *         and the fix: align Netty with {@code pathprobe-bom} or {@code netty-bom} 4.2)
     */
    public PathTracer build() {
        if ((ticker == null) != (scheduler == null)) {
            throw new IllegalStateException(
                    "ticker and scheduler go together: set both (a FakeTime is both) or neither");
        }
        TracerSettings settings = new TracerSettings(
                transport,
                preferredTransport,
                budget == null ? ProbeBudget.DEFAULT : budget,
                hostResolver == null ? HostResolver.SYSTEM : hostResolver,
                executor,
                new EnrichmentSettings(dnsServer, stunServer, asnResolver,
                        lookupTimeout == null ? EnrichmentSettings.DEFAULT_LOOKUP_TIMEOUT : lookupTimeout, offline,
                        lookupFailureTtl == null ? EnrichmentSettings.DEFAULT_FAILURE_TTL : lookupFailureTtl,
                        teamCymru, geoDatabases, peeringDbDumps),
                ticker, scheduler, recording, senderThreads);
        return (PathTracer) findFactory().create(settings);
    }

    /** The engine on the class path (pathprobe-core's), found through {@link ServiceLoader}. */
    static TracerFactory findFactory() {
        for (ClassLoader loader : new ClassLoader[] {
            PathTracerBuilder.class.getClassLoader(), Thread.currentThread().getContextClassLoader()}) {
            if (loader == null) {
                continue;
            }
            Iterator<TracerFactory> it = ServiceLoader.load(TracerFactory.class, loader).iterator();
            if (it.hasNext()) {
                return it.next();
            }
        }
        throw new PathProbeException(
                "no pathprobe engine on the class path: depend on io.pathprobe:pathprobe-core");
    }

    /**
     * {@return {@code value}, an option that may be given once}
     *
     * @throws IllegalStateException if it was already given ({@code current} is not null)
     * @throws NullPointerException if {@code value} is null (the message: {@code option})
     */
    private static <T> T once(@Nullable T current, T value, String option) {
        requireUnset(current == null, option);
        return Objects.requireNonNull(value, option);
    }

    private static void requireUnset(boolean unset, String option) {
        if (!unset) {
            throw new IllegalStateException(option + " was already set");
        }
    }
}
