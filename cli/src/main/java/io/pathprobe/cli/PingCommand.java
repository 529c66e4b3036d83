package io.pathprobe.cli;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.json.AtlasJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeStatus;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
/**
 * {@code pathprobe ping}: one target prints replies as iputils ping does, several a per-target
 * summary as {@code fping -c}; {@code --format json} one object ({@link PingJson}), {@code --format atlas}
 * one RIPE Atlas ping record per target ({@link AtlasJson}). Exit codes as fping: 0 every target
 * answered, 1 some did not, 2 bad input or a name that did not resolve.
 */
@Command(name = "ping", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Ping one target (replies as ping prints them) or many (a summary per target, as fping -c).")
final class PingCommand implements Callable<Integer>, PathProbeCli.ApiWords {
    /** The checks' words that no one option stands for ({@link PathProbeCli.ApiWords}). */
    private static final java.util.Map<String, String> API_WORDS = java.util.Map.ofEntries(
            java.util.Map.entry("allowSubMillisecondInterval()", "--fast"));

    @Override
    public java.util.Map<String, String> apiWords() {
        return API_WORDS;
    }

    @Parameters(arity = "1..*", paramLabel = "TARGET", description = "Host names or addresses.")
    List<String> targets = List.of();

    @ApiWord("count")
    @Option(names = "-c", converter = Counts.AtLeastOneLong.class,
            description = "Probes per target, at least 1 (default: until interrupted).")
    @Nullable Long count;

    @Option(names = "-C", paramLabel = "N", converter = Counts.AtLeastOneLong.class,
            description = "As fping -C: N probes per target (-c N), then, in place of the summaries, one line per "
                    + "target with the round-trip time of each probe in ms, '-' where none came back: "
                    + "'198.19.0.1 : 0.081 0.075 - 0.090'.")
    @Nullable Long perProbe;

    @Option(names = "-q", description = "Quiet, as ping -q and fping -q: no line per reply, only the PING line and "
            + "the summary.")
    boolean quiet;

    @Option(names = "-a", description = "As fping -a: in place of the summaries, the targets that answered, one per "
            + "line, as given.")
    boolean alive;

    @Option(names = {"-v", "--verbose"}, description = "Under a note that ICMP could not be used: every transport not "
            + "usable here and why, as 'pathprobe transports' lists them.")
    boolean verbose;

    @ApiWord("interval")
    @Option(names = "-i", description = "Interval between probes of one target: seconds (0.01) or 10ms (default 1s).",
            converter = PathProbeCli.DurationConverter.class)
    Duration interval = Duration.ofSeconds(1);

    @ApiWord("probeTimeout")
    @Option(names = "-W", description = "Timeout per probe: seconds or 500ms (default 1s).",
            converter = PathProbeCli.DurationConverter.class)
    Duration timeout = Duration.ofSeconds(1);

    @ApiWord("gap")
    @Option(names = "--gap",
            description =
                    "Time between two sends, to any target (fping -i), on an absolute schedule: a late send does not "
                    + "delay the next ones, none closer than GAP/2 (default min(interval/(2 targets), 0.5ms)).",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration gap;

    @Option(names = {"-P", "--protocol"},
            description = "icmp, udp, tcp, dns or http (default: icmp where allowed, else udp).")
    @Nullable PingKind protocol;

    @ApiWord("port")
    @Option(names = {"-p", "--port"}, description = "Destination port of udp, tcp, dns and http pings (with -P); "
            + "refused for ICMP, which has no port (iputils' -p, a payload pattern, is not taken).")
    @Nullable Integer port;

    @Option(names = "--dns-name", description = "dns: the name queried (default '.').")
    @Nullable String dnsName;

    @Option(names = "--dns-type", description = "dns: the record type queried (default NS).")
    @Nullable String dnsType;

    @Option(names = "--http-path", description = "http: the path requested (default /).")
    @Nullable String httpPath;

    @Option(names = "--https", description = "http: use HTTPS.")
    boolean https;

    @ApiWord("ttl")
    @Option(names = {"-t", "--ttl"}, converter = Counts.AtLeastOne.class,
            description = "IP TTL (default ${DEFAULT-VALUE}).")
    int ttl = 64;

    @ApiWord("payloadSize")
    @Option(names = {"-s", "--size"}, paramLabel = "N", description = "icmp, udp: payload bytes after the ICMP echo"
            + " or UDP header, as ping -s (default: 56 for icmp, so replies are 64 bytes; the transport's for udp).")
    @Nullable Integer size;

    @Option(names = {"-Q", "--tos"}, paramLabel = "TOS", converter = Marking.class, description = Marking.HELP)
    io.pathprobe.probe.@Nullable TrafficClass tos;

    @ApiWord(value = "deadline", name = "--deadline")
    @Option(names = {"-w", "--deadline"}, paramLabel = "DEADLINE", description = "Longest the whole ping may take, "
            + "as iputils' -w: seconds (5) or 500ms; with -c, it ends at the deadline or when the count is sent "
            + "and answered or timed out, whichever comes first.", converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration deadline;

    @Option(names = "--fast", description = "Allow an interval below 1 ms.")
    boolean fast;

    @CommandLine.Mixin
    MeasureOptions shared = new MeasureOptions(new OutputOptions.WithAtlas());

    @CommandLine.Mixin
    TracerOptions setup = new TracerOptions();

    @CommandLine.Mixin
    EnrichOptions enrich = new EnrichOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        OutputOptions.Format format = shared.output.format();
        if (port != null && (protocol == null || protocol == PingKind.ICMP)) {
            throw shared.output.usage("-p " + port + ": ICMP echo has no port; -p is the port of -P udp, tcp, dns and "
                    + "http pings (iputils' -p payload pattern is not taken)");
        }
        if ((perProbe != null || alive) && format != OutputOptions.Format.TEXT) {
            throw shared.output.usage((perProbe != null ? "-C" : "-a") + " prints text: not with --format "
                    + format.name().toLowerCase(Locale.ROOT));
        }
        if (perProbe != null && count != null && !count.equals(perProbe)) {
            throw shared.output.usage("-C " + perProbe + " is -c " + perProbe + " with its own summary: not with -c "
                    + count);
        }
        if (perProbe != null && perProbe > PingRequest.MAX_RECENT_PROBES) {
            throw shared.output.usage("-C " + perProbe + ": at most " + PingRequest.MAX_RECENT_PROBES + " probes per "
                    + "target are kept to print");
        }
        Long perTarget = perProbe != null ? perProbe : count;
        if (format == OutputOptions.Format.ATLAS && protocol != null && !AtlasJson.supports(protocol)) {
            throw shared.output.usage("--format atlas: the RIPE Atlas result format has ICMP, UDP and TCP pings, not "
                    + protocol.name().toLowerCase(Locale.ROOT));
        }
        PathTracerBuilder tb = tracer(); // bad server addresses fail before anything is sent
        PingRequest.Builder b = PingRequest.builder().targets(targets).interval(interval)
                .probeTimeout(timeout).ttl(ttl);
        if (perTarget != null) {
            b.count(perTarget).recentProbes((int) Math.min(perTarget, PingRequest.MAX_RECENT_PROBES));
        } else {
            b.untilCancelled();
        }
        if (gap != null) {
            b.gap(gap);
        }
        if (protocol != null) {
            b.kind(protocol);
        }
        if (port != null) {
            b.destinationPort(port);
        }
        if (size != null) {
            b.payloadSize(size);
        }
        if (dnsName != null || dnsType != null) {
            b.dnsQuery(dnsName != null ? dnsName : ".", dnsType != null ? dnsType : "NS");
        }
        if (httpPath != null) {
            b.httpPath(httpPath);
        }
        b.https(https);
        if (fast) {
            b.allowSubMillisecondInterval();
        }
        shared.family.apply(b, null, tos, deadline);
        boolean single = targets.size() == 1;
        Lines lines = single && format == OutputOptions.Format.TEXT ? new Lines(out, protocol == null, quiet) : null;
        if (lines != null) {
            lines.mask = shared.mask.masking();
            b.listener(lines);
        }
        b.enrich(enrich.mode());
        PingRequest request = b.build();
        try (PathTracer tracer = setup.opened(enrich.build(tb, this::tracer))) {
            return UntilInterrupted.measure(tracer, request, measured -> {
                PingResult r = shared.mask.masking().apply(measured); // what --mask hides, hidden in the result
                shared.html.write(() -> io.pathprobe.report.HtmlReport.of(measured, shared.mask.masking()));
                io.pathprobe.probe.MaskStatement m = r.masking();
                if (format == OutputOptions.Format.JSON) {
                    out.println(io.pathprobe.json.PingJson.write(r, request));
                } else if (format == OutputOptions.Format.ATLAS) {
                    out.println(io.pathprobe.json.AtlasJson.ping(r, request));
                } else if (perProbe != null || alive) {
                    if (lines != null) {
                        lines.finish(r.first());
                    }
                    for (PingTargetResult t : r.targets()) {
                        String error = unpinged(t);
                        if (error != null) {
                            PathProbeCli.error(shared.output.spec, error);
                        }
                    }
                    int width = r.targets().stream().mapToInt(t -> t.target().length()).max().orElse(0);
                    for (PingTargetResult t : r.targets()) {
                        if (perProbe != null && unpinged(t) == null) {
                            out.println(perProbeLine(t, width)); // fping -C
                        } else if (alive && t.statistics().received() > 0) {
                            out.println(t.target()); // fping -a
                        }
                    }
                } else if (single) {
                    if (lines != null) {
                        lines.finish(r.first());
                    }
                    String error = unpinged(r.first());
                    if (error != null) {
                        // as ping's: why nothing was sent goes to stderr, stdout stays empty
                        PathProbeCli.error(shared.output.spec, error);
                    } else {
                        out.print(summary(r.first(), r.duration(), lines == null));
                        limitNotes(r).forEach(n -> out.println("note: " + n));
                        verbose(out, tracer, r);
                    }
                } else {
                    if (m.active()) {
                        out.println(m); // "hops 1-2 and the source address masked"
                    }
                    // the targets' notes once each, first (a fallback to UDP is the same for every target)
                    r.targets().stream().map(PingTargetResult::kindNote).flatMap(java.util.Optional::stream).distinct()
                            .forEach(n -> out.println("note: " + n));
                    limitNotes(r).forEach(n -> out.println("note: " + n));
                    for (PingTargetResult t : r.targets()) {
                        out.println(PathProbeCli.withoutSlashes(t.toString()) + who(t)); // its error text masked too
                    }
                    verbose(out, tracer, r);
                }
                out.flush();
                return exitCode(r);
            });
        }
    }

    /**
     * What the destinations' ICMP rate limit meant for the loss, where it mattered, one line each: misses it may have
     * refused though its answers did not show it (the loss is a range), and UDP targets that never answered while the
     * limit refused or could have refused others' probes (addresses of one host share its limit). Each names what
     * tells them apart.
     */
    static List<String> limitNotes(PingResult r) {
        List<String> notes = new java.util.ArrayList<>();
        long unsure = r.targets().stream().mapToLong(t -> t.statistics().mayBeRefused()).sum();
        if (unsure > 0) {
            notes.add(LIMIT_NOTE.formatted(unsure, unsure == 1 ? "miss" : "misses"));
        }
        boolean limited = unsure > 0 || r.targets().stream().anyMatch(t -> t.statistics().rateLimited() > 0);
        long silent = r.targets().stream().filter(t -> t.kind() == PingKind.UDP && t.statistics().sent() > 0
                && t.statistics().received() == 0).count();
        if (limited && silent > 0) {
            notes.add(SILENT_NOTE.formatted(silent, silent == 1 ? "" : "s", silent == 1 ? "it" : "they"));
        }
        return notes;
    }

    /** The note of misses the destination's limit may have refused: the loss is a range. */
    static final String LIMIT_NOTE = "%d %s could be refusals of the destination's ICMP rate limit (UDP's answers "
            + "are its Port Unreachables), which its answers did not show: counted lost, the loss is the range shown; "
            + "ping slower (-i 1) or with ICMP to tell them apart";

    /** The note of UDP targets that never answered while others' limiter showed refusing. */
    static final String SILENT_NOTE = "%d UDP target%s never answered (100 %% loss) while the destinations' ICMP rate "
            + "limit refused or could have refused others' probes: addresses of one host share its limit, so %s may "
            + "have been refused whole; ping fewer at once, slower, or with ICMP";

    /** {@code --verbose} under a note that ICMP was passed over: every transport not usable here, and why. */
    /** The tracer these options ask for: pacing, enrichment (bad server addresses fail here), transport. */
    private PathTracerBuilder tracer() {
        return setup.builder(PathTracer.builder(), shared.mask.masking(), enrich);
    }

    private void verbose(PrintStream out, PathTracer tracer, PingResult r) {
        if (verbose && r.targets().stream().anyMatch(t -> t.kindNote().isPresent())) {
            String unusable = PathProbeCli.TransportsCommand.unusable(tracer);
            if (!unusable.isEmpty()) {
                out.println("transports not usable here:");
                out.println(unusable);
            }
        }
    }

    /**
     * fping's: 2 when a name did not resolve, or when no probe could be sent to any target (no route, no
     * source address of the family: {@link io.pathprobe.ping.PingStatus#NO_ROUTE}, {@code SEND_FAILED}), else 1
     * when some target never answered, else 0.
     */
    static int exitCode(PingResult r) {
        if (r.targets().stream().anyMatch(t -> t.error()
                .map(e -> e.type() == PingError.Type.UNKNOWN_TARGET).orElse(false))
                || r.status() == io.pathprobe.ping.PingStatus.NO_ROUTE
                || r.status() == io.pathprobe.ping.PingStatus.SEND_FAILED
                || r.targets().stream().allMatch(t -> unpinged(t) != null)) {
            return 2;
        }
        return r.allAnswered() ? 0 : 1;
    }

    /** "  [core1.isp.example, AS64500 LAB-ISP]" when enrichment found a name or an AS, else "". */
    static String who(PingTargetResult t) {
        List<String> parts = new java.util.ArrayList<>();
        t.hostname().value().ifPresent(parts::add);
        t.asn().value().ifPresent(a -> parts.add(HopTable.asText(a)));
        return parts.isEmpty() ? "" : "  [" + String.join(", ", parts) + "]";
    }

    /**
     * The error of a target no probe could be sent to ({@code 2001:db8::1: no route ...}), printed on stderr after
     * the command's name; null when probes were sent.
     */
    static @Nullable String unpinged(PingTargetResult t) {
        if (t.statistics().sent() == 0 && t.error().isPresent()) {
            String message = PathProbeCli.withoutSlashes(t.error().get().message());
            return t.target() + ": " + PathProbeCli.oneLine(message);
        }
        return null;
    }

    /**
     * fping {@code -C}'s line of a target: its name padded to {@code width}, then the round-trip time of each probe
     * in ms in send order, {@code -} for one without a reply: {@code 198.19.0.1 : 0.081 0.075 - 0.090}.
     */
    static String perProbeLine(PingTargetResult t, int width) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + Math.max(1, width) + "s :", t.target()));
        t.recent().stream().sorted(java.util.Comparator.comparingLong(PingProbe::sequence)).forEach(p -> b.append(' ')
                .append(p.status() == ProbeStatus.REPLY ? p.rtt().map(PingCommand::ms).orElse("-") : "-"));
        return b.toString();
    }

    /** iputils ping's closing lines; the target's kind note under the header (it was not on the PING line). */
    static String summary(PingTargetResult t, Duration duration) {
        return summary(t, duration, true);
    }

    /**
     * iputils ping's closing lines.
     *
     * @param withNote whether the target's kind note goes under the header: when no PING line said it
     */
    static String summary(PingTargetResult t, Duration duration, boolean withNote) {
        StringBuilder b = new StringBuilder();
        PingStatistics s = t.statistics();
        // iputils' header; what enrichment found of the target in it: "--- 198.19.0.1 (dst.lab.example) ping ..."
        String who = who(t).strip();
        b.append("\n--- ").append(t.target())
                .append(who.isEmpty() ? "" : " (" + who.substring(1, who.length() - 1) + ")")
                .append(" ping statistics ---\n");
        if (withNote) {
            t.kindNote().ifPresent(n -> b.append("note: ").append(n).append('\n'));
        }
        b.append(String.format(Locale.ROOT,
                "%d packets transmitted, %d received,%s%s%s %s%% packet loss%s, time %dms%n",
                s.sent(), s.received(), s.duplicates() > 0 ? " +" + s.duplicates() + " duplicates," : "",
                s.errors() > 0 ? " +" + s.errors() + " errors," : "",
                s.rateLimited() > 0 ? " " + s.rateLimited() + " rate-limited (not counted as loss)," : "",
                fmtPercent(s.loss()), s.mayBeRefused() > 0 ? " (" + fmtPercent(s.lossLow()) + "-"
                        + fmtPercent(s.lossHigh()) + " %: " + s.mayBeRefused() + " may be refusals)" : "",
                duration.toMillis()));
        if (s.late() > 0) {
            b.append(s.late()).append(" late answers (after the timeout; their probes count as lost)\n");
        }
        s.rtt().ifPresent(r -> b.append(String.format(Locale.ROOT, "rtt min/avg/max/mdev = %s/%s/%s/%s ms%n",
                ms(r.min()), ms(r.avg()), ms(r.max()), ms(r.stdDev()))));
        s.rtt().flatMap(r -> r.percentiles()).ifPresent(r -> b.append(String.format(Locale.ROOT,
                "p50/p90/p95/p99 = %s/%s/%s/%s ms", ms(r.p50()), ms(r.p90()), ms(r.p95()), ms(r.p99()))
                + s.jitter().map(j -> ", jitter (RFC 3550) = " + ms(j) + " ms").orElse("") + "\n"));
        return b.toString();
    }

    private static String fmtPercent(double loss) {
        double p = loss * 100;
        return p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.3g", p);
    }

    static String ms(@Nullable Duration d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
    }

    /**
     * iputils-style reply lines, one per probe, as they come. The {@code PING} line and failed sends
     * wait for the first other probe (or the end): a target no probe can be sent to prints only its
     * one-line summary.
     */
    static final class Lines implements PingListener {
        private final PrintStream out;
        /** Whether the target is pinged with ICMP echo: replies then print as iputils' "N bytes from". */
        private volatile boolean icmp;
        /** Whether the kind was left to the tracer (ICMP, else UDP): UDP then means it fell back. */
        private final boolean automatic;
        /** The PING line and failed sends not printed yet. */
        private final List<String> held = new java.util.ArrayList<>();
        private boolean holding = true;
        /** {@code --mask}: said under the PING line; a router's unreachable then names no address. */
        volatile io.pathprobe.evidence.Masking mask = io.pathprobe.evidence.Masking.NONE;
        private volatile @Nullable InetAddress pinged;

        /** {@code -q}: the PING line only, no line per reply. */
        private final boolean quiet;

        Lines(PrintStream out, boolean automatic) {
            this(out, automatic, false);
        }

        Lines(PrintStream out, boolean automatic, boolean quiet) {
            this.out = out;
            this.automatic = automatic;
            this.quiet = quiet;
        }

        @Override
        public void targetStarted(int index, String target, InetAddress address, PingKind kind, String transport) {
            targetStarted(index, target, address, kind, transport, java.util.Optional.empty());
        }

        /**
         * The PING line: the kind and transport, then, for a ping that fell back to UDP, the kind note in one line
         * saying so and naming what would let ICMP be used ({@code , fell back to UDP: ICMP not usable: ...}).
         */
        @Override
        public synchronized void targetStarted(int index, String target, InetAddress address,
                PingKind kind, String transport, java.util.Optional<String> kindNote) {
            held.add("PING " + target + " (" + AddressText.of(address) + "): " + kind.name().toLowerCase(Locale.ROOT)
                    + " via " + transport + (automatic && kind == PingKind.UDP
                            ? ", " + kindNote.orElse("fell back to UDP: ICMP not usable here") : ""));
            if (mask.active()) {
                held.add(mask.toString());
            }
            pinged = address;
            icmp = kind == PingKind.ICMP;
        }

        /** The held lines, unless the target could send nothing (its summary's one line then says why). */
        synchronized void finish(PingTargetResult t) {
            if (t.statistics().sent() == 0 && t.error().isPresent()) {
                held.clear();
            }
            release();
        }

        private void release() {
            holding = false;
            held.forEach(out::println);
            held.clear();
        }

        @Override
        public synchronized void probeCompleted(int index, String target, PingProbe p) {
            if (p.status() == ProbeStatus.SEND_FAILED && holding) {
                if (!quiet) {
                    held.add(localError(p));
                }
                return;
            }
            release();
            if (quiet) {
                return;
            }
            if (p.status() == ProbeStatus.REPLY) {
                out.println(line(p, ""));
            } else if (p.status() == ProbeStatus.UNREACHABLE) {
                out.println("From " + p.responder().map(a -> mask.active() && !a.equals(pinged) ? io.pathprobe.evidence
                        .Masking.MASKED : AddressText.of(a)).orElse("?") + " icmp_seq=" + (p.sequence() + 1)
                        + " " + p.icmp().map(Object::toString).orElse("unreachable")
                        + (p.mtu().isPresent() ? " (mtu = " + p.mtu().getAsInt() + ")" : ""));
            } else if (p.status() == ProbeStatus.SEND_FAILED) {
                out.println(localError(p));
            }
        }

        @Override
        public synchronized void duplicate(int index, String target, PingProbe p) {
            release();
            if (!quiet) {
                out.println(line(p, " (DUP!)"));
            }
        }

        @Override
        public synchronized void late(int index, String target, PingProbe p) {
            release();
            if (!quiet) {
                out.println(line(p, " (LATE: after the timeout, counted lost)"));
            }
        }

        /**
         * A send the system refused, as iputils' "local error": why, with the errno and, for one refused as too big,
         * the path MTU ({@code local error: sendmsg: EMSGSIZE (Message too long), beyond the path MTU 1400}); no
         * sequence: nothing left with it, and the next probe carries it.
         */
        static String localError(PingProbe p) {
            return "local error: " + p.failure().map(PathProbeCli::withoutSlashes).orElse("the send failed")
                    + (p.mtu().isPresent() && !p.failure().orElse("").contains(String.valueOf(p.mtu().getAsInt()))
                            ? ", mtu " + p.mtu().getAsInt() : "");
        }

        private String line(PingProbe p, String suffix) {
            String from = icmp && p.replyBytes().isPresent()
                    ? p.replyBytes().getAsInt() + " bytes from " : "reply from ";
            return from + p.responder().map(AddressText::of).orElse("?") + ": icmp_seq=" + (p.sequence() + 1)
                    + (p.replyTtl().isPresent() ? " ttl=" + p.replyTtl().getAsInt() : "")
                    + " time=" + p.rtt().map(PingCommand::ms).orElse("?") + " ms" + suffix;
        }
    }
}
