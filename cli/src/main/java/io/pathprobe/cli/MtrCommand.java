package io.pathprobe.cli;

import io.pathprobe.Measurement;
import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.cli.live.ScreenModel;
import io.pathprobe.evidence.MonitorMasking;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.FlowMode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
/**
 * {@code pathprobe mtr}: rounds of Paris traces to one target, as mtr runs them. On a terminal, mtr's
 * live screen with mtr's keys and the latest events under it ({@link LiveTable}; not with
 * {@code --no-live}); otherwise one line per event (a hop or the path changed, the destination lost or
 * regained, a threshold crossed) as it happens; then mtr's report when the rounds end or on Ctrl-C; {@code -r} only
 * the report (mtr {@code -r}), {@code --rounds-too} a line per round as well; {@code --format json} only the monitor
 * document at the end ({@link MonitorJson#write}); {@code --ndjson} one JSON line per round as it
 * ends ({@link MonitorJson#line(MonitorRound)}), then the monitor document on one line. Several targets are
 * monitored at once, each by its own monitor; their lines say which target they are about, their
 * reports follow each other ({@code --format json}: a JSON array of monitor documents). Exit 0 when every
 * destination answered in the last round, 1 when one did not, 2 on bad input or when no probe can leave this
 * host for any target (no route, no source address of its family: one line says why, as trace's; such a target
 * beside others that could be probed counts as one that did not answer).
 */
@Command(name = "mtr", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Watch a path as mtr does: rounds of Paris traces, per-hop loss and latency, path changes.",
        footer = {"", "mtr's options: -n -r -w -c COUNT -i SECONDS -z -b -j -u -T -P PORT -s BYTES (refused: the probe "
            + "size cannot be set yet);", "where they differ from mtr: docs/monitor.md, section 'mtr's options'. An "
            + "option given twice takes its last value."})
final class MtrCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "TARGET", description = "Host names or addresses, each monitored at once.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--ndjson", description = "One JSON object per round, as each round ends, then the monitor "
            + "document, each on one line (see docs/schema/monitor-round.schema.json).")
    boolean ndjson;

    @Option(names = "--no-live", description = "On a terminal too, event lines instead of the table redrawn in place.")
    boolean noLive;

    @Option(names = {"-c", "--report-cycles"}, paramLabel = "N", converter = Counts.AtLeastOneLong.class,
            description = "Rounds to run, at least 1 (default: 10 with -r, -w or -j, as mtr; else until interrupted).")
    @Nullable Long rounds;

    @ApiWord("interval")
    @Option(names = {"-i", "--interval"}, description = "Time from one round's start to the next's: seconds (0.5) or "
            + "500ms (default ${DEFAULT-VALUE}).",
            converter = PathProbeCli.DurationConverter.class, defaultValue = "1s")
    Duration interval = Duration.ofSeconds(1);

    @Option(names = {"-r", "--report"}, description = "Print only the report at the end (as mtr -r).")
    boolean report;

    @Option(names = {"-w", "--report-wide"}, description = "The report, names never cut (as mtr -w; pathprobe's report "
            + "never cuts them, so this is -r).")
    void reportWide(boolean on) {
        if (on) {
            report = true;
        }
    }

    @Option(names = {"-b", "--show-ips"}, description = "Host names and their addresses, as mtr -b: "
            + "'core1.isp.example (198.18.1.1)'.")
    boolean showIps;

    @Option(names = "-z", description = "AS numbers beside each hop, as mtr -z (the same as -A: every hop's address "
            + "goes to Team Cymru).")
    void asLookups(boolean on) {
        if (on) {
            enrich.asLookups = true;
        }
    }

    @Option(names = "-j", description = "The monitor document at the end, as mtr -j (--json; 10 rounds unless -c).")
    void json(boolean on) {
        if (on) {
            shared.output.json = true;
        }
    }

    @Option(names = "--rounds-too", description = "Also print a line per round.")
    boolean roundLines;

    @Option(names = "--protocol", description = "icmp, udp or tcp (default: icmp where this process may send it, "
            + "else udp).")
    @Nullable ProbeProtocol protocol;

    @Option(names = "-u", description = "UDP probes, as mtr -u (--protocol udp).")
    void udp(boolean on) {
        if (on) {
            protocol = ProbeProtocol.UDP;
        }
    }

    @Option(names = "-T", description = "TCP SYN probes, as mtr -T (--protocol tcp).")
    void tcp(boolean on) {
        if (on) {
            protocol = ProbeProtocol.TCP;
        }
    }

    @CommandLine.Mixin
    TtlOptions.MaxFirst ttl = new TtlOptions.MaxFirst();

    @ApiWord("probeTimeout")
    @Option(names = "--wait", description = "Longest wait for one probe: seconds or 500ms (default ${DEFAULT-VALUE}; "
            + "-w is mtr's wide report).", converter = PathProbeCli.DurationConverter.class, defaultValue = "1s")
    Duration wait = Duration.ofSeconds(1);

    @ApiWord("destinationPort")
    @Option(names = {"-P", "--port"}, paramLabel = "PORT", description = "UDP and TCP destination port, 1 to 65535, "
            + "as mtr -P.")
    @Nullable Integer port;

    @Option(names = {"-s", "--psize"}, paramLabel = "BYTES", description = "mtr's packet size: refused, the probe size "
            + "cannot be set yet (the probes are the transport's own size).")
    @Nullable Integer packetSize;

    @Option(names = {"-Q", "--tos"}, paramLabel = "TOS", converter = Marking.class, description = Marking.HELP)
    io.pathprobe.probe.@Nullable TrafficClass tos;

    @ApiWord("window")
    @Option(names = "--window", paramLabel = "N", converter = Counts.AtLeastOne.class,
            description = "Rounds in the sliding window (default ${DEFAULT-VALUE}).")
    int window = 100;

    @Option(names = "--loss-threshold", paramLabel = "PERCENT",
            description = "Report a hop whose window loss crosses this.")
    @Nullable Double lossThreshold;

    @ApiWord("latencyThreshold")
    @Option(names = "--latency-threshold", paramLabel = "DURATION",
            description = "Report a hop whose window mean RTT crosses this.",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration latencyThreshold;

    @ApiWord("deadline")
    @Option(names = "--deadline", description = "Longest the whole monitor may run.",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration deadline;

    @CommandLine.Mixin
    MeasureOptions shared = new MeasureOptions(new OutputOptions.TextOrJson());

    @CommandLine.Mixin
    TracerOptions setup = new TracerOptions();

    @CommandLine.Mixin
    EnrichOptions enrich = new EnrichOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        boolean json = shared.output.format() == OutputOptions.Format.JSON;
        shared.family.version(); // -4 with -6 is refused here, before anything else
        if (ndjson && (json || report)) {
            throw shared.output.usage("--ndjson streams a line per round; it excludes " + (json ? "--json" : "-r"));
        }
        if (shared.html.file != null && targets.size() > 1) {
            throw shared.output.usage("--html draws one monitor: give one target");
        }
        if (targets.stream().distinct().count() != targets.size()) {
            throw shared.output.usage("a target is listed twice");
        }
        PathTracerBuilder tb = tracer();
        boolean several = targets.size() > 1;
        List<Measurement<MonitorRequest, MonitorResult>> monitors = new java.util.concurrent.CopyOnWriteArrayList<>();
        // the live screen once the tracer is made (a bad option fails before it); closed on every way out
        try (PathTracer tracer = setup.opened(enrich.build(tb, this::tracer));
                LiveTable live = !report && !json && !ndjson && !noLive && System.console() != null
                        ? LiveTable.open(new ScreenModel(targets, showIps ? ScreenModel.Names.BOTH
                                : enrich.namesShown() ? ScreenModel.Names.NAMES : ScreenModel.Names.NUMBERS,
                                enrich.asLookups()), () -> monitors.forEach(Measurement::cancel))
                        : null) {
            for (String target : targets) {
                monitors.add(tracer.start(shared.html.keeping(request(target, live))));
            }
            CompletableFuture<List<MonitorResult>> all = CompletableFuture
                    .allOf(monitors.stream().map(Measurement::result).toArray(CompletableFuture[]::new))
                    .thenApply(v -> monitors.stream().map(m -> m.result().join()).toList());
            return UntilInterrupted.await(all, () -> monitors.forEach(Measurement::cancel), results -> {
                int code = 0;
                if (live != null) {
                    live.close(); // the reports replace the live screen
                }
                List<MonitorResult> masked = results.stream().map(r -> masking(r.target()).apply(r)).toList();
                shared.html.write(() -> io.pathprobe.report.HtmlReport.of(results.get(0),
                        shared.html.rounds(targets.get(0)), shared.mask.masking()));
                if (json && several) {
                    out.println(PathProbeJson.write(masked.stream().map(r -> (Object) MonitorJson.tree(r)).toList()));
                }
                for (MonitorResult r : masked) {
                    if (ndjson) {
                        printLine(out, MonitorJson.line(r));
                    } else if (json && !several) {
                        out.println(MonitorJson.write(r));
                    } else if (!json && cannotSend(r)) {
                        // an error: one line on stderr naming the command, nothing can be sent, and why
                        PathProbeCli.error(shared.output.spec, cannotSendLine(r));
                    } else if (!json) {
                        out.println(text(r));
                    }
                    code = Math.max(code, cannotSend(r) ? 1 : exitCode(r));
                }
                out.flush();
                // 2 when no target could be probed at all (as trace's several targets); one such target among others
                // is a destination that did not answer (1), as ping's
                return results.stream().allMatch(MtrCommand::cannotSend) ? 2 : code;
            });
        }
    }

    /** The tracer these options ask for: pacing, enrichment (bad server addresses fail here, before any probe). */
    PathTracerBuilder tracer() {
        if (packetSize != null) {
            throw shared.output.usage("-s " + packetSize + ": the probe size cannot be set yet (mtr's packet size); "
                    + "leave -s out");
        }
        return setup.builder(PathTracer.builder(), shared.mask.masking(), enrich);
    }

    /**
     * The report as text: {@link MonitorResult#toString() mtr's report}, each responder named as the options ask:
     * addresses only (-n), names and addresses (-b), an AS number first (-z, -A: {@code AS64500 core1.isp.example},
     * {@code AS???} when none was found), else the name, or the address when it has none.
     */
    String text(MonitorResult result) {
        MonitorResult r = masking(result.target()).apply(result);
        boolean names = enrich.namesShown();
        boolean as = enrich.asLookups();
        boolean places = enrich.localFiles();
        if (names && !showIps && !as && !places) {
            return r.toString();
        }
        List<io.pathprobe.monitor.MonitorHop> hops = r.hops().stream()
                .map(h -> new io.pathprobe.monitor.MonitorHop(h.ttl(),
                        h.responders().stream()
                                .map(x -> x.withLookups(io.pathprobe.enrich.Lookup.found(
                                        shown(x, names, as, showIps) + place(x)), x.asn()))
                                .toList(),
                        h.total(), h.window(), h.masked()))
                .toList();
        return r.withEnrichment(hops).toString();
    }

    /** The masking {@code --mask} asks for, learning over the rounds of the monitor of {@code target}. */
    private synchronized MonitorMasking masking(String target) {
        return running.computeIfAbsent(target, t -> new MonitorMasking(shared.mask.masking()));
    }

    private final java.util.Map<String, MonitorMasking> running = new java.util.HashMap<>();

    /** " [DE Frankfurt] IX LAB-IX": where --geoip and --ixp place a responder, "" when they do not. */
    static String place(io.pathprobe.monitor.MonitorResponder x) {
        return x.location().value().map(l -> " [" + l.shortText() + "]").orElse("")
                + x.exchange().value().map(e -> " " + e.shortText()).orElse("");
    }

    /** One responder as the report names it (see {@link #text}). */
    static String shown(io.pathprobe.monitor.MonitorResponder x, boolean names, boolean as, boolean showIps) {
        String address = AddressText.of(x.address());
        java.util.Optional<String> name = names ? x.hostname().value() : java.util.Optional.empty();
        String host = name.map(n -> showIps ? n + " (" + address + ")" : n).orElse(address);
        return as ? x.asn().value().map(a -> "AS" + a.number()).orElse("AS???") + " " + host : host;
    }

    /** {@code target}'s monitor, its listener the live screen's, or the lines' of the output asked for. */
    private MonitorRequest.Builder request(String target, @Nullable LiveTable live) {
        MonitorRequest.Builder b = request(target);
        String prefix = targets.size() > 1 ? target + ": " : "";
        boolean json = shared.output.format() == OutputOptions.Format.JSON;
        if (ndjson) {
            b.listener(new NdjsonLines(System.out, masking(target)));
        } else if (live != null) {
            b.listener(live.listener(target, prefix, masking(target)));
        } else if (!report && !json) {
            b.listener(new Lines(System.out, roundLines, prefix, masking(target)));
        }
        return b;
    }

    MonitorRequest.Builder request(String target) {
        io.pathprobe.trace.TraceRequest.Builder round = io.pathprobe.trace.TraceRequest.builder(target).probesPerTtl(1)
                .maxTtl(ttl.maxHops).firstTtl(ttl.first.firstTtl).probeTimeout(wait).flowMode(FlowMode.PARIS);
        if (protocol != null) {
            round.protocol(protocol);
        }
        if (port != null) {
            round.destinationPort(port);
        }
        shared.family.apply(round, null, tos, null);
        MonitorRequest.Builder b = MonitorRequest.builder(round.build()).interval(interval).window(window)
                .enrich(enrich.mode());
        if (rounds != null) {
            b.rounds(rounds); // -c 0 or -c -1: refused (exit 2), as ping -c 0; unbounded is no -c at all
        } else if (report || shared.output.jsonRequested()) {
            b.rounds(10); // mtr's report cycles: -r, -w and -j run 10 rounds unless -c
        }
        if (lossThreshold != null) {
            if (!(lossThreshold > 0 && lossThreshold <= 100)) {
                throw shared.output.usage("--loss-threshold " + MultipathReport.percent(lossThreshold)
                        + ": a percent above 0, at most 100");
            }
            b.lossThreshold(lossThreshold / 100); // the option is in percent, the request takes a share
        }
        if (latencyThreshold != null) {
            b.latencyThreshold(latencyThreshold);
        }
        if (deadline != null) {
            b.deadline(deadline);
        }
        return b;
    }

    /** One line, whole: several monitors' listeners print from the tracer's callback threads. */
    private static void printLine(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** {@code --ndjson}: a line per round, as it ends. */
    static final class NdjsonLines implements MonitorListener {
        private final PrintStream out;
        private final MonitorMasking mask;

        NdjsonLines(PrintStream out) {
            this(out, new MonitorMasking(io.pathprobe.evidence.Masking.NONE));
        }

        NdjsonLines(PrintStream out, MonitorMasking mask) {
            this.out = out;
            this.mask = mask;
        }

        @Override
        public void roundCompleted(MonitorRound round) {
            printLine(out, MonitorJson.line(mask.apply(round)));
        }
    }

    /** Whether the monitor ended because no probe can leave this host (NO_ROUTE, SEND_FAILED): exit code 2. */
    static boolean cannotSend(MonitorResult r) {
        return r.status() == MonitorStatus.NO_ROUTE || r.status() == MonitorStatus.SEND_FAILED;
    }

    /** As trace's: {@code no route from this host to 2001:db8::1: sendmsg: ENETUNREACH (...) (transport ...)}. */
    static String cannotSendLine(MonitorResult r) {
        return String.format(Locale.ROOT, "%s to %s: %s (transport %s, %d probes sent)",
                r.status() == MonitorStatus.NO_ROUTE ? "no route from this host"
                        : "no probe can be sent from this host",
                r.destination().map(AddressText::of).orElse(r.target()),
                r.lastRound().flatMap(x -> x.trace().sendFailure()).map(PathProbeCli::withoutSlashes)
                        .orElse("send failed"),
                r.transport(),
                r.lastRound().map(x -> x.trace().hops().stream().mapToInt(h -> h.statistics().sent()).sum()).orElse(0));
    }

    /** 2 when no probe can leave this host, 0 when the destination answered in the last round, else 1. */
    static int exitCode(MonitorResult r) {
        if (cannotSend(r)) {
            return 2;
        }
        boolean reached = r.lastRound().map(last -> last.trace().destinationReached()).orElse(false);
        return reached ? 0 : 1;
    }

    /**
     * The event as text; a {@link MonitorEvent.DestinationLost} says what answered in the destination's place in its
     * round, if a router did: {@code "round 25: destination lost since round 21 (198.18.0.6 answers network
     * unreachable at TTL 2)"}, {@code "(a routing loop: 198.18.0.2 answers time exceeded at TTLs 3, 5)"}.
     */
    static String withReason(MonitorEvent event, @Nullable MonitorRound round) {
        if (!(event instanceof MonitorEvent.DestinationLost) || round == null) {
            return event.toString();
        }
        return insteadOfDestination(round).map(why -> event + " (" + why + ")").orElse(event.toString());
    }

    /** What answered in the destination's place in {@code round}: a router's unreachable, a loop; empty for silence. */
    static java.util.Optional<String> insteadOfDestination(MonitorRound round) {
        java.util.Map<java.net.InetAddress, List<Integer>> ttls = new java.util.LinkedHashMap<>();
        for (io.pathprobe.trace.Hop h : round.trace().hops()) {
            for (io.pathprobe.trace.ProbeResult p : h.probes()) {
                if (p.fromDestination() || p.responder().isEmpty() || !p.answered()) {
                    continue;
                }
                if (p.status() == io.pathprobe.probe.ProbeStatus.UNREACHABLE) {
                    return java.util.Optional.of(AddressText.of(p.responder().get()) + " answers "
                            + p.icmp().map(Object::toString).orElse("unreachable") + " at TTL " + h.ttl());
                }
                List<Integer> at = ttls.computeIfAbsent(p.responder().get(), a -> new ArrayList<>());
                if (!at.contains(h.ttl())) {
                    at.add(h.ttl());
                }
            }
        }
        return ttls.entrySet().stream().filter(e -> e.getValue().size() > 1).findFirst()
                .map(e -> "a routing loop: " + AddressText.of(e.getKey()) + " answers time exceeded at TTLs "
                        + e.getValue().stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")));
    }

    /** Events (and rounds, if asked) as lines, as they happen; prefixed with the target when there are several. */
    static final class Lines implements MonitorListener {
        private final PrintStream out;
        private final boolean rounds;
        private final String prefix;

        private final MonitorMasking mask;

        Lines(PrintStream out, boolean rounds, String prefix) {
            this(out, rounds, prefix, new MonitorMasking(io.pathprobe.evidence.Masking.NONE));
        }

        Lines(PrintStream out, boolean rounds, String prefix, MonitorMasking mask) {
            this.out = out;
            this.rounds = rounds;
            this.prefix = prefix;
            this.mask = mask;
        }

        /** The round whose events come next (a listener hears the round, then its events). */
        private volatile @Nullable MonitorRound last;

        @Override
        public void roundCompleted(MonitorRound round) {
            last = mask.apply(round);
            if (rounds) {
                printLine(out, prefix + last);
            }
        }

        @Override
        public void event(MonitorEvent event) {
            printLine(out, prefix + withReason(mask.apply(event), last));
        }
    }
}
