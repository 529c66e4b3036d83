package io.pathprobe.cli;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.evidence.Masking;
import io.pathprobe.graph.PathGraph;
import io.pathprobe.json.AtlasJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.json.ScamperJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.report.HtmlReport;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
/**
 * {@code pathprobe trace}: one target traced with a live hop table (or one JSON document, a RIPE Atlas record, or
 * scamper's JSON lines), several in one traceAll.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Trace the path to TARGET. Exit code 0 when the destination answered, 3 when it did not, 2 "
                + "for bad input, no usable transport, or when no probe can leave this host (no route, no source "
                + "address of the target's family). Several targets are traced in one call (traceAll): the hops they "
                + "share are probed once (Doubletree's stop set) unless --no-stop-set; exit 0 when every destination "
                + "answered.",
        footer = {"", "traceroute's options: -n -I -T -U -q N -w MAX[,HERE,NEAR] -m N -f N -p PORT -N N -z SENDWAIT "
                + "-e -A;",
            "where they differ from traceroute: docs/trace.md, section 'traceroute's options'. An option given twice "
                + "takes its last value."})
final class TraceCommand implements Callable<Integer>, PathProbeCli.ApiWords {
    /** The checks' words that no one option stands for ({@link PathProbeCli.ApiWords}). */
    private static final java.util.Map<String, String> API_WORDS = java.util.Map.ofEntries(
            java.util.Map.entry("FlowMode.PARIS", "--flow paris"),
            java.util.Map.entry("FlowMode.CLASSIC", "--flow classic"),
            java.util.Map.entry("tcpMode(IN_CONNECTION)", "--tcp-mode in-connection"),
            java.util.Map.entry("protocol(ProbeProtocol.TCP)", "-T"));

    @Override
    public java.util.Map<String, String> apiWords() {
        return API_WORDS;
    }

    @Parameters(arity = "1..*", paramLabel = "TARGET", description = "Host names or addresses.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--no-stop-set", description = "Several targets: trace each on its own, sharing nothing.")
    boolean noStopSet;

    @ApiWord("concurrency")
    @Option(names = "--concurrency", converter = Counts.AtLeastOne.class,
            description = "Several targets: how many are traced at once (default ${DEFAULT-VALUE}).")
    int concurrency = 32;

    @Option(names = {"-P", "--protocol"},
            description = "icmp, udp or tcp, and nothing else (default: icmp where this process may send it, else "
                    + "udp).")
    @Nullable ProbeProtocol protocol;

    @Option(names = "-I", description = "ICMP echo probes, as traceroute -I (--protocol icmp).")
    void icmp(boolean on) {
        if (on) {
            protocol = ProbeProtocol.ICMP;
        }
    }

    @Option(names = "-T", description = "TCP SYN probes, as traceroute -T (--protocol tcp; port 80 unless -p).")
    void tcp(boolean on) {
        if (on) {
            protocol = ProbeProtocol.TCP;
        }
    }

    @Option(names = "-U", description = "UDP probes to one port, as traceroute -U (--protocol udp; port 33434 "
            + "unless -p, where traceroute -U takes 53).")
    void udp(boolean on) {
        if (on) {
            protocol = ProbeProtocol.UDP;
        }
    }

    @Option(names = "--flow", description = "paris (default: one flow, so one path through load balancers) or "
            + "classic (the flow changes per probe, as traceroute's).")
    @Nullable FlowMode flow;

    @Option(names = "--tcp-mode", paramLabel = "syn|in-connection", converter = PathProbeCli.TcpModeConverter.class,
            description = "TCP probes (implies --protocol tcp): syn (default: half-open SYNs, as traceroute -T) or "
                    + "in-connection (connect to --port first, then probe inside the connection, so that a firewall "
                    + "limiting new connections but passing established traffic passes them; needs CAP_NET_RAW and a "
                    + "service that accepts; falls back to syn and says why). One target.")
    @Nullable TcpMode tcpMode;

    @ApiWord("flows")
    @Option(names = "--flows", converter = Counts.AtLeastOne.class, description = "Trace N Paris flows, each at every "
            + "TTL (Dublin-style; the queries per hop are rounded up to a multiple of N), 1 to 256 "
            + "(default ${DEFAULT-VALUE}).")
    int flows = 1;

    @CommandLine.Mixin
    MeasureOptions shared = new MeasureOptions(new OutputOptions.WithAtlasAndScamper());

    @CommandLine.Mixin
    TtlOptions.MaxFirst ttl = new TtlOptions.MaxFirst();

    @Option(names = {"-t", "--tos"}, paramLabel = "TOS", converter = Marking.class, description = Marking.HELP)
    io.pathprobe.probe.@Nullable TrafficClass tos;

    @ApiWord("probesPerTtl")
    @Option(names = {"-q", "--queries"}, converter = Counts.AtLeastOne.class,
            description = "Probes per hop (default ${DEFAULT-VALUE}).")
    int queries = 3;

    /** The longest wait for one probe ({@code -w}). */
    Duration wait = Duration.ofSeconds(1);

    /** traceroute's {@code -w MAX,0,0}: HERE and NEAR both 0, so every silent probe waits the whole MAX. */
    boolean waitFixedByFactors;

    @ApiWord("probeTimeout")
    @Option(names = {"-w", "--wait"}, paramLabel = "MAX[,HERE,NEAR]", converter = WaitConverter.class,
            description = "Longest wait for one probe: seconds (1.5, as traceroute -w) or 500ms, 2s (default 1s). "
                    + "traceroute's HERE and NEAR factors are taken: both 0 (-w 5,0,0) is --fixed-wait; other values "
                    + "leave pathprobe's own adaptive wait, which learns from the replies as they do.")
    void wait(Wait w) {
        wait = w.max();
        waitFixedByFactors = w.fixed();
    }

    @ApiWord("deadline")
    @Option(names = "--deadline", description = "Longest the whole trace of one target may take (default "
            + "${DEFAULT-VALUE}; several targets: each trace ends on its own, bounded by its probes' waits).",
            converter = PathProbeCli.DurationConverter.class, defaultValue = "30s")
    Duration deadline = Duration.ofSeconds(30);

    @ApiWord("maxInFlight")
    @Option(names = {"-N", "--max-in-flight"}, converter = Counts.AtLeastOne.class,
            description = "Probes outstanding at once, as traceroute -N (default ${DEFAULT-VALUE}).")
    int maxInFlight = 64;

    @Option(names = "--sequential", description = "One TTL at a time, like classic traceroute.")
    boolean sequential;

    @Option(names = "--fixed-wait", description = "Always wait the full --wait for silent probes.")
    boolean fixedWait;

    @Option(names = "--no-refill-retry", description = "Do not probe again, a rate limiter's refill (1.05 s) "
            + "later, the routers that did not answer while later hops did (saves up to 2.1 s; no loss is "
            + "claimed for them either way).")
    boolean noRefillRetry;

    @CommandLine.Mixin
    TcpConfirmOption tcpConfirm = new TcpConfirmOption();

    @ApiWord("destinationPort")
    @Option(names = {"-p", "--port"}, description = "UDP and TCP destination port, 1 to 65535 (default: 33434 "
            + "for UDP, 80 for TCP; one port for every probe, where traceroute's UDP probes count up from it).")
    @Nullable Integer port;

    @Option(names = "--transport", description = "Use this transport (see 'pathprobe transports').")
    @Nullable String transport;

    /** Probes per second, all targets together; 0 is unlimited; null: the tracer's default (1000, bursts of 128). */
    @Nullable Integer pps;

    /** Probes that may leave at once before the rate applies; null: the tracer's default. */
    @Nullable Integer burst;

    @ApiWord("packetsPerSecond")
    @Option(names = "--pps", paramLabel = "N",
            description = "Probe rate limit per second, 0 = unlimited (default 1000, in bursts of 128); once given it "
                    + "holds from the first probe.")
    void pps(int perSecond) {
        if (perSecond < 0) {
            throw shared.output.usage("--pps: '" + perSecond + "' is not a rate: give 0 (unlimited) or more");
        }
        pps = perSecond;
    }

    @ApiWord("burst")
    @Option(names = "--burst", paramLabel = "N",
            description = "Probes that may leave at once before the rate applies (default 128 at the default rate, "
                    + "1 with --pps or -z).")
    void burst(int atOnce) {
        if (atOnce < 1) {
            throw shared.output.usage("--burst: '" + atOnce + "' is not a count: give 1 or more");
        }
        burst = atOnce;
    }

    @Option(names = "-z", paramLabel = "SENDWAIT", converter = SendWaitConverter.class,
            description = "Least time between two probes, as traceroute -z: up to 10 it is seconds (0.05), above "
                    + "10 milliseconds (50); at most 1 s; 0 is the default pacing (--pps). Holds from the first probe.")
    void sendWait(Duration gap) {
        if (gap.isZero()) {
            pps = null;
        } else {
            pps = (int) Math.max(1, 1_000_000_000L / gap.toNanos()); // rounded down: no two probes closer than gap
        }
    }

    @Option(names = "--verbose", description = "Under a note that a protocol could not be used: every transport "
            + "not usable here and why, as 'pathprobe transports' lists them.")
    boolean verbose;

    @Option(names = "-e", description = "Accepted for traceroute -e: ICMP extensions (MPLS labels) are always shown; "
            + "it changes nothing.")
    boolean extensions;

    @CommandLine.Mixin
    EnrichOptions enrich = new EnrichOptions();

    @CommandLine.Mixin
    RecordOptions record = new RecordOptions();

    @CommandLine.Mixin
    UserOption user = new UserOption();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        OutputOptions.Format format = shared.output.format();
        if (tcpMode == TcpMode.IN_CONNECTION && user.given()) { // each connection's raw socket opens when it does
            throw shared.output.usage("--tcp-mode in-connection opens a raw socket per connection, which --user leaves "
                    + "none to open: leave one out");
        }
        PathTracerBuilder tb = tracer();
        if (targets.size() > 1) {
            return traceAll(out, format, tb, traceAllRequest());
        }
        TraceRequest.Builder rb = request(targets.get(0));
        HopTable table = format != OutputOptions.Format.TEXT ? null
                : new HopTable(out, ttl.first.firstTtl, ttl.maxHops, enrich.enabled(), enrich.asColumn(),
                        enrich.namesShown());
        Masking m = shared.mask.masking();
        if (table != null) {
            table.mask(m);
            rb.listener(table);
        }
        TraceRequest request = rb.build();
        try (PathTracer tracer = user.opened(enrich.build(tb, this::tracer), record.file)) {
            return UntilInterrupted.measure(tracer, request, measured -> {
                TraceResult r = m.apply(measured); // what --mask hides, hidden in the result every writer renders
                shared.html.write(() -> HtmlReport.of(r, m));
                if (format == OutputOptions.Format.JSON) {
                    out.println(TraceJson.write(r));
                } else if (format == OutputOptions.Format.ATLAS) {
                    out.println(AtlasJson.traceroute(r));
                } else if (format == OutputOptions.Format.SCAMPER) {
                    out.println(ScamperLines.lines(r.startedAt(), r.startedAt().plus(r.duration()),
                            List.of(ScamperJson.trace(r, m.source() ? null : ScamperLines.source(r.destination()))),
                            m));
                } else if (format == OutputOptions.Format.DOT) {
                    out.print(PathGraph.of(r).toDot());
                } else if (table != null && cannotSend(r)) {
                    // an error, as every other: one line on stderr naming the command; stdout stays empty
                    PathProbeCli.error(shared.output.spec, summary(r));
                } else if (table != null) {
                    table.finish(measured);
                    out.println(summary(r));
                    notes(r, tracer).forEach(out::println);
                }
                out.flush();
                return cannotSend(r) ? 2 : r.destinationReached() ? 0 : 3;
            });
        }
    }

    /** The tracer these options ask for: pacing, enrichment (bad server addresses fail here, before any probe). */
    PathTracerBuilder tracer() {
        PathTracerBuilder tb = PathTracer.builder();
        if (pps != null) {
            // the rate then holds from the first probe (burst 1) unless --burst says otherwise
            tb.packetsPerSecond(pps);
        }
        if (burst != null) {
            tb.burst(burst);
        }
        enrich.apply(tb);
        if (transport != null) {
            tb.preferredTransport(transport);
        }
        return record.apply(tb, shared.mask.masking());
    }

    /** One target's request, as the options ask for it (no listener yet). */
    TraceRequest.Builder request(String target) {
        if (tcpMode != null) {
            if (protocol != null && protocol != ProbeProtocol.TCP) {
                throw shared.output.usage("--tcp-mode is how TCP probes travel: not with --protocol "
                        + protocol.name().toLowerCase(Locale.ROOT));
            }
            protocol = ProbeProtocol.TCP;
        }
        shared.family.version(); // -4 with -6 is refused before the builder's checks
        TraceRequest.Builder rb = builder(target, b -> b.maxInFlight(maxInFlight).sequential(sequential)
                .adaptiveWait(!fixedWait && !waitFixedByFactors).refillRetry(!noRefillRetry)
                .tcpConfirmation(tcpConfirm.tcpConfirm).flows(flows));
        if (tcpMode != null) {
            rb.tcpMode(tcpMode);
        }
        return rb.enrich(enrich.mode());
    }

    /**
     * A trace's request with the options one target's and several targets' traces share, {@code own}'s between the
     * hops, waits and deadline and the port, protocol, flow, marking and family (the builder's checks in that order).
     */
    private TraceRequest.Builder builder(String target, UnaryOperator<TraceRequest.Builder> own) {
        TraceRequest.Builder b = own.apply(TraceRequest.builder(target).maxTtl(ttl.maxHops)
                .firstTtl(ttl.first.firstTtl).probesPerTtl(queries).probeTimeout(wait).deadline(deadline));
        if (port != null) {
            b.destinationPort(port);
        }
        if (protocol != null) {
            b.protocol(protocol);
        }
        if (flow != null) {
            b.flowMode(flow);
        }
        shared.family.apply(b, null, tos, null);
        return b;
    }

    /** Several targets: one traceAll request. */
    io.pathprobe.trace.TraceAllRequest traceAllRequest() {
        boolean bothFamilies = shared.family.ipv4 && shared.family.ipv6;
        if (flows != 1 || sequential || bothFamilies || tcpMode != null) {
            throw shared.output.usage(bothFamilies ? "-4 and -6 exclude each other" : tcpMode != null
                    ? "--tcp-mode takes one target (a connection per trace)"
                    : "several targets are traced with one Paris flow each, all TTLs as the stop set decides: "
                    + (flows != 1 ? "--flows" : "--sequential") + " takes one target");
        }
        TraceRequest.Builder each = builder(targets.get(0), b -> b);
        return io.pathprobe.trace.TraceAllRequest.builder(targets).trace(each.build()).concurrency(concurrency)
                .stopSet(!noStopSet).build();
    }

    /** Several targets: one traceAll, printed in the order given when every target has ended. */
    private int traceAll(PrintStream out, OutputOptions.Format format, PathTracerBuilder tb,
            io.pathprobe.trace.TraceAllRequest request) {
        Masking m = shared.mask.masking();
        try (PathTracer tracer = user.opened(enrich.build(tb, this::tracer), record.file)) {
            return UntilInterrupted.measure(tracer, request, r -> {
                List<TraceResult> traces = r.traces().stream().map(m::apply).toList(); // each with what --mask hides
                shared.html.write(() -> HtmlReport.of(r, m));
                if (format == OutputOptions.Format.JSON) {
                    out.println(PathProbeJson.write(traces.stream().map(t -> (Object) TraceJson.tree(t)).toList()));
                } else if (format == OutputOptions.Format.ATLAS) {
                    out.println(traces.stream().map(AtlasJson::traceroute)
                            .collect(java.util.stream.Collectors.joining(",\n", "[\n", "\n]")));
                } else if (format == OutputOptions.Format.SCAMPER) {
                    out.println(ScamperLines.lines(r.startedAt(), r.startedAt().plus(r.duration()), traces.stream()
                            .map(t -> ScamperJson.trace(t, m.source() ? null : ScamperLines.source(t.destination())))
                            .toList(), m));
                } else if (format == OutputOptions.Format.DOT) {
                    out.print(PathGraph.of(new io.pathprobe.trace.TraceAllResult(traces, r.status(), r.startedAt(),
                            r.duration(), r.probesSent(), r.hopsFromStopSet(), r.request())).toDot());
                } else {
                    int notStarted = 0;
                    for (TraceResult t : traces) {
                        if (t.hops().isEmpty() && t.transport().isEmpty()) {
                            notStarted++; // stopped before its turn: a count, not an empty block each
                            continue;
                        }
                        if (cannotSend(t)) {
                            // a target no probe can leave for: its one error line on stderr, the others' blocks go on
                            PathProbeCli.error(shared.output.spec, summary(t));
                            continue;
                        }
                        out.println(t);
                        out.println(summary(t));
                        notes(t, tracer).forEach(out::println);
                        out.println();
                    }
                    if (notStarted > 0) {
                        out.println(notStarted + (notStarted == 1 ? " target" : " targets") + " not started before the "
                                + "trace stopped");
                    }
                    out.println(r.summary());
                }
                out.flush();
                boolean allCannotSend = r.traces().stream().allMatch(TraceCommand::cannotSend);
                return allCannotSend ? 2 : r.traces().stream().allMatch(TraceResult::destinationReached) ? 0 : 3;
            });
        }
    }

    /** traceroute's {@code -w MAX[,HERE,NEAR]}: the longest wait, and whether HERE and NEAR were both 0. */
    record Wait(Duration max, boolean fixed) {}

    /**
     * {@code -w MAX[,HERE,NEAR]} as traceroute takes it (commas or slashes between the three): MAX is a
     * {@link PathProbeCli.DurationConverter duration} (plain seconds, or with a unit), HERE and NEAR
     * non-negative factors.
     */
    static final class WaitConverter implements CommandLine.ITypeConverter<Wait> {
        @Override
        public Wait convert(String value) {
            String[] parts = value.trim().split("[,/]", -1);
            if (parts.length > 3) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not MAX[,HERE,NEAR]");
            }
            Duration max = new PathProbeCli.DurationConverter().convert(parts[0]);
            boolean allZero = parts.length > 1;
            for (int i = 1; i < parts.length; i++) {
                double f;
                try {
                    f = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    f = -1;
                }
                if (!(f >= 0) || Double.isInfinite(f)) {
                    throw new CommandLine.TypeConversionException("'" + value + "': HERE and NEAR are factors, 0 or "
                            + "more (traceroute -w MAX,HERE,NEAR)");
                }
                allZero &= f == 0;
            }
            if (max.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "': the wait must be more than 0");
            }
            return new Wait(max, allZero && parts.length == 3);
        }
    }

    /**
     * traceroute's {@code -z}: a number up to 10 is seconds, above 10 milliseconds (0.5 and 500 are both half a
     * second); also with a unit (50ms). At most 1 s: pathprobe paces its probes in whole probes per second.
     */
    static final class SendWaitConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim();
            Duration d;
            try {
                double n = Double.parseDouble(v);
                if (!(n >= 0) || Double.isInfinite(n)) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a time between probes: "
                            + "give 0 or more");
                }
                d = Duration.ofNanos(Math.round(n > 10 ? n * 1e6 : n * 1e9));
            } catch (NumberFormatException e) {
                d = new PathProbeCli.DurationConverter().convert(v);
            }
            if (d.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is more than 1 s between probes: "
                        + "pathprobe paces at 1 probe per second at the slowest");
            }
            return d;
        }
    }

    /**
     * The lines under a trace's summary: that the probes' marking could not be read back ({@code -t} with a transport
     * that cannot read the routers' quotes: what each hop received is not known, and which transports could read
     * it); with {@code --verbose} under a protocol note, every transport not usable here and why.
     */
    List<String> notes(TraceResult r, PathTracer tracer) {
        List<String> lines = new ArrayList<>();
        if (!r.request().trafficClass().equals(io.pathprobe.probe.TrafficClass.DEFAULT)) {
            List<io.pathprobe.TransportInfo> all = tracer.transports();
            boolean reads = all.stream().filter(t -> t.name().equals(r.transport())).findFirst()
                    .map(t -> t.capabilities().contains(io.pathprobe.spi.TransportCapability.QUOTED_HEADER))
                    .orElse(true);
            if (!reads) {
                List<String> can = all.stream().filter(t -> t.sends(r.protocol())
                        && t.capabilities().contains(io.pathprobe.spi.TransportCapability.QUOTED_HEADER))
                        .map(io.pathprobe.TransportInfo::name).toList();
                lines.add("markings: " + r.transport() + " cannot read the routers' quotes, so what each hop received "
                        + "is not shown" + (can.isEmpty() ? "" : " (" + String.join(", ", can) + " can: see "
                        + "'pathprobe transports')"));
            }
        }
        if (verbose && r.protocolNote().isPresent()) {
            String unusable = PathProbeCli.TransportsCommand.unusable(tracer);
            if (!unusable.isEmpty()) {
                lines.add("transports not usable here:");
                lines.add(unusable);
            }
        }
        return lines;
    }

    /** Whether the trace ended because no probe can leave this host (NO_ROUTE, SEND_FAILED): exit code 2. */
    static boolean cannotSend(TraceResult r) {
        return r.status() == io.pathprobe.trace.TraceStatus.NO_ROUTE
                || r.status() == io.pathprobe.trace.TraceStatus.SEND_FAILED;
    }

    static String summary(TraceResult r) {
        if (cannotSend(r)) {
            // one line: nothing (or nothing more) can be sent from here, and why
            return String.format(Locale.ROOT, "%s to %s: %s (transport %s, %d probes sent)",
                    r.status() == io.pathprobe.trace.TraceStatus.NO_ROUTE ? "no route from this host"
                            : "no probe can be sent from this host",
                    r.destination().map(AddressText::of).orElse(r.target()),
                    r.sendFailure().map(PathProbeCli::withoutSlashes).orElse("send failed"),
                    r.transport(), r.hops().stream().mapToInt(h -> h.statistics().sent()).sum());
        }
        int probes = r.hops().stream().mapToInt(h -> h.probes().size()).sum();
        String how = switch (r.status()) {
            case DESTINATION_REACHED -> "destination reached" + r.destinationAnsweredFrom()
                    .filter(a -> r.destination().map(d -> !d.equals(a)).orElse(true))
                    .map(a -> " (destination answered from " + AddressText.of(a) + ")").orElse("");
            case UNREACHABLE -> "unreachable (a router ended the path: "
                    + r.hops().stream().flatMap(h -> h.probes().stream())
                            .filter(p -> p.status() == io.pathprobe.probe.ProbeStatus.UNREACHABLE)
                            .map(p -> p.responder().map(AddressText::of).orElse("?") + " "
                                    + p.icmp().map(Object::toString).orElse("unreachable"))
                            .findFirst().orElse("unreachable") + ")";
            case NO_ROUTE -> "no route from this host";
            case SEND_FAILED -> "no probe could be sent";
            case MAX_HOPS_EXCEEDED -> "destination not reached within " + r.hops().size() + " hops";
            case DEADLINE_EXCEEDED -> "deadline exceeded";
            case CANCELLED -> "cancelled";
            case RUNNING -> "running";
        };
        String nat = r.natHops().stream().map(h -> "\nNAT: the probes were translated "
                + r.hops().stream().filter(x -> x.ttl() < h.ttl() && x.natId().isPresent())
                        .reduce((a, b) -> b).map(x -> "after hop " + x.ttl() + " and ").orElse("")
                + "before hop " + h.ttl() + " (NAT ID " + h.natId().orElse(0) + ")")
                .collect(java.util.stream.Collectors.joining());
        nat += r.headerChanges().stream().filter(c -> c.change().field() != io.pathprobe.probe.HeaderField
                        .TRANSPORT_CHECKSUM || r.natHops().stream().noneMatch(h -> h.ttl() == c.ttl()))
                .map(c -> "\nchanged on the way: " + c).collect(java.util.stream.Collectors.joining());
        String note = r.protocolNote().map(n -> "\n" + r.protocol().name().toLowerCase(Locale.ROOT) + " probes: " + n)
                .orElse("");
        String context = HopTable.contextLine(r.context());
        return String.format(Locale.ROOT, "%s in %s ms: %d hops, %d probes, transport %s%s%s", how,
                HopTable.millis(r.duration()), r.hops().size(), probes, r.transport(),
                r.tcpMode().filter(m -> m == TcpMode.IN_CONNECTION).isPresent() ? " (inside a TCP connection)" : "",
                r.unmatchedReplies() > 0 ? ", " + r.unmatchedReplies() + " unmatched replies dropped" : "") + nat + note
                + (context == null ? "" : "\n" + context);
    }
}
