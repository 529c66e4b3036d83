package io.pathprobe.cli;

import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.json.AtlasJson;
import io.pathprobe.json.PingJson;
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

import io.pathprobe.Measurement;
/**
 * {@code pathprobe ping}: one target prints replies as iputils ping does, several a per-target
 * summary as {@code fping -c}; {@code --format json} one object ({@link PingJson}), {@code --format atlas}
 * one RIPE Atlas ping record per target ({@link AtlasJson}). Exit codes as fping: 0 every target
 * answered, 1 some did not, 2 bad input or a name that did not resolve.
 */
@Command(name = "ping", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Ping one target (replies as ping prints them) or many (a summary per target, as fping -c).")
final class PingCommand implements Callable<Integer>, OutputOptions.Formatted {
    @Parameters(arity = "1..*", paramLabel = "TARGET", description = "Host names or addresses.")
    List<String> targets = List.of();

    @Option(names = "-c", converter = Counts.AtLeastOneLong.class,
            description = "Probes per target, at least 1 (default: until interrupted).")
    @Nullable Long count;

    @Option(names = "-i", description = "Interval between probes of one target: seconds (0.01) or 10ms (default 1s).",
            converter = PathProbeCli.DurationConverter.class)
    Duration interval = Duration.ofSeconds(1);

    @Option(names = "-W", description = "Timeout per probe: seconds or 500ms (default 1s).",
            converter = PathProbeCli.DurationConverter.class)
    Duration timeout = Duration.ofSeconds(1);

    @Option(names = "--gap",
            description =
                    "Time between two sends, to any target (fping -i), on an absolute schedule: a late send does not "
                    + "delay the next ones, none closer than GAP/2 (default min(interval/(2 targets), 0.5ms)).",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration gap;

    @Option(names = {"-P", "--protocol"},
            description = "icmp, udp, tcp, dns or http (default: icmp where allowed, else udp).")
    @Nullable PingKind protocol;

    @Option(names = {"-p", "--port"}, description = "Destination port for udp, tcp, dns, http.")
    @Nullable Integer port;

    @Option(names = "--dns-name", description = "dns: the name queried (default '.').")
    @Nullable String dnsName;

    @Option(names = "--dns-type", description = "dns: the record type queried (default NS).")
    @Nullable String dnsType;

    @Option(names = "--http-path", description = "http: the path requested (default /).")
    @Nullable String httpPath;

    @Option(names = "--https", description = "http: use HTTPS.")
    boolean https;

    @Option(names = {"-t", "--ttl"}, converter = Counts.AtLeastOne.class,
            description = "IP TTL (default ${DEFAULT-VALUE}).")
    int ttl = 64;

    @Option(names = {"-s", "--size"}, paramLabel = "N", description = "icmp, udp: payload bytes after the ICMP echo"
            + " or UDP header, as ping -s (default: 56 for icmp, so replies are 64 bytes; the transport's for udp).")
    @Nullable Integer size;

    @Option(names = {"-Q", "--tos"}, paramLabel = "TOS", converter = Marking.class, description = Marking.HELP)
    io.pathprobe.probe.@Nullable TrafficClass tos;

    @Option(names = "--deadline", description = "Longest the whole ping may take.",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration deadline;

    @Option(names = "--fast", description = "Allow an interval below 1 ms.")
    boolean fast;

    @CommandLine.Mixin
    FamilyOptions family = new FamilyOptions();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions.WithAtlas();

    @Override
    public OutputOptions output() {
        return output;
    }

    @CommandLine.Mixin
    PacingOptions pacing = new PacingOptions();

    @CommandLine.Mixin
    RecordOptions record = new RecordOptions();

    @Option(names = "--transport", description = "Use this transport (see 'pathprobe transports').")
    @Nullable String transport;

    @CommandLine.Mixin
    EnrichOptions enrich = new EnrichOptions();

    @CommandLine.Mixin
    MaskOptions mask = new MaskOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        OutputOptions.Format format = output.format(true);
        if (format == OutputOptions.Format.ATLAS && protocol != null && !AtlasJson.supports(protocol)) {
            throw output.usage("--format atlas: the RIPE Atlas result format has ICMP, UDP and TCP pings, not "
                    + protocol.name().toLowerCase(Locale.ROOT));
        }
        PathTracerBuilder tb = record.apply(pacing.apply(PathTracer.builder()), mask.masking());
        enrich.apply(tb); // bad server addresses fail before anything is sent
        PingRequest.Builder b = PingRequest.builder().targets(targets).interval(interval)
                .probeTimeout(timeout).ttl(ttl);
        if (tos != null) {
            b.trafficClass(tos);
        }
        if (count != null) {
            b.count(count).recentProbes((int) Math.min(count, PingRequest.MAX_RECENT_PROBES));
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
        if (deadline != null) {
            b.deadline(deadline);
        }
        if (fast) {
            b.allowSubMillisecondInterval();
        }
        IpVersion version = family.version();
        if (version != null) {
            b.ipVersion(version);
        }
        boolean single = targets.size() == 1;
        Lines lines = single && format == OutputOptions.Format.TEXT ? new Lines(out, protocol == null) : null;
        if (lines != null) {
            lines.mask = mask.masking();
            b.listener(lines);
        }
        b.enrich(enrich.mode());
        PingRequest request = b.build();
        if (transport != null) {
            tb.preferredTransport(transport);
        }
        try (PathTracer tracer = enrich.build(tb, () -> {
            PathTracerBuilder again = record.apply(pacing.apply(PathTracer.builder()), mask.masking());
            enrich.apply(again);
            if (transport != null) {
                again.preferredTransport(transport);
            }
            return again;
        })) {
            Measurement<PingRequest, PingResult> ping = tracer.start(request);
            return UntilInterrupted.await(ping.result(), ping::cancel, r -> {
                io.pathprobe.evidence.Masking m = routers(r, mask.masking());
                if (format == OutputOptions.Format.JSON) {
                    out.println(m.redact(io.pathprobe.json.MaskedJson.ping(r, request, m)));
                } else if (format == OutputOptions.Format.ATLAS) {
                    out.println(m.redact(io.pathprobe.json.MaskedJson.atlasPing(r, request, m)));
                } else if (single) {
                    if (lines != null) {
                        lines.finish(r.first());
                    }
                    String error = unpinged(r.first());
                    if (error != null) {
                        // as ping's: why nothing was sent goes to stderr, stdout stays empty
                        System.err.println(m.redact(error));
                        System.err.flush();
                    } else {
                        out.print(m.redact(summary(r.first(), r.duration())));
                    }
                } else {
                    if (m.active()) {
                        out.println(m); // "hops 1-2 and the source address masked"
                    }
                    // the targets' notes once each (a fallback to UDP is the same for every target)
                    r.targets().stream().map(PingTargetResult::kindNote).flatMap(java.util.Optional::stream).distinct()
                            .forEach(n -> out.println("note: " + n));
                    for (PingTargetResult t : r.targets()) {
                        out.println(m.redact(PathProbeCli.withoutSlashes(t.toString()) + who(t))); // its error text too
                    }
                }
                out.flush();
                return exitCode(r);
            });
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
     * The one error line of a target no probe could be sent to ({@code pathprobe ping: 2001:db8::1: no route ...}),
     * on stderr; null when probes were sent.
     */
    static @Nullable String unpinged(PingTargetResult t) {
        if (t.statistics().sent() == 0 && t.error().isPresent()) {
            String message = PathProbeCli.withoutSlashes(t.error().get().message());
            return "pathprobe ping: " + t.target() + ": " + PathProbeCli.oneLine(message);
        }
        return null;
    }

    /** iputils ping's closing lines. */
    static String summary(PingTargetResult t, Duration duration) {
        StringBuilder b = new StringBuilder();
        PingStatistics s = t.statistics();
        b.append("\n--- ").append(t.target()).append(" ping statistics ---\n");
        String who = who(t);
        if (!who.isEmpty()) {
            b.append(who.strip()).append('\n');
        }
        t.kindNote().ifPresent(n -> b.append("note: ").append(n).append('\n'));
        b.append(String.format(Locale.ROOT, "%d packets transmitted, %d received,%s%s %s%% packet loss, time %dms%n",
                s.sent(), s.received(), s.duplicates() > 0 ? " +" + s.duplicates() + " duplicates," : "",
                s.rateLimited() > 0 ? " " + s.rateLimited() + " rate-limited (not counted as loss)," : "",
                fmtPercent(s.loss()), duration.toMillis()));
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
     * {@return {@code m}, hiding also, when it is active, every address other than its target's that answered a
     * target's probes (a router's unreachable: which hop it is, a ping cannot tell)}
     */
    static io.pathprobe.evidence.Masking routers(PingResult r, io.pathprobe.evidence.Masking m) {
        if (!m.active()) {
            return m;
        }
        List<InetAddress> routers = new java.util.ArrayList<>();
        for (PingTargetResult t : r.targets()) {
            t.recent().stream().map(PingProbe::responder).flatMap(java.util.Optional::stream)
                    .filter(a -> !t.address().map(a::equals).orElse(false)).forEach(routers::add);
        }
        return m.hiding(routers);
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

        Lines(PrintStream out, boolean automatic) {
            this.out = out;
            this.automatic = automatic;
        }

        /** The line under the PING line of a ping that fell back to UDP (the summary's note says why in full). */
        static final String FELL_BACK = "note: fell back to UDP (no ICMP echo socket for this user); the destination "
                + "rate-limits its Port Unreachables: a probe it may have refused is counted rate-limited, not lost";

        @Override
        public synchronized void targetStarted(int index, String target, InetAddress address,
                PingKind kind, String transport) {
            held.add("PING " + target + " (" + AddressText.of(address) + "): " + kind.name().toLowerCase(Locale.ROOT)
                    + " via " + transport);
            if (automatic && kind == PingKind.UDP) {
                held.add(FELL_BACK);
            }
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
                held.add("send failed: icmp_seq=" + (p.sequence() + 1));
                return;
            }
            release();
            if (p.status() == ProbeStatus.REPLY) {
                out.println(line(p, ""));
            } else if (p.status() == ProbeStatus.UNREACHABLE) {
                out.println("From " + p.responder().map(a -> mask.active() && !a.equals(pinged) ? io.pathprobe.evidence
                        .Masking.MASKED : AddressText.of(a)).orElse("?") + " icmp_seq=" + (p.sequence() + 1)
                        + " " + p.icmp().map(Object::toString).orElse("unreachable"));
            } else if (p.status() == ProbeStatus.SEND_FAILED) {
                out.println("send failed: icmp_seq=" + (p.sequence() + 1));
            }
        }

        @Override
        public synchronized void duplicate(int index, String target, PingProbe p) {
            release();
            out.println(line(p, " (DUP!)"));
        }

        @Override
        public synchronized void late(int index, String target, PingProbe p) {
            release();
            out.println(line(p, " (LATE: after the timeout, counted lost)"));
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
