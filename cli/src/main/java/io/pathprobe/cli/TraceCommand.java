package io.pathprobe.cli;

import io.pathprobe.AddressText;
import io.pathprobe.FlowMode;
import io.pathprobe.IpVersion;
import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.TcpMode;
import io.pathprobe.Trace;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.json.AtlasJson;
import io.pathprobe.json.PathProbeJson;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pathprobe trace}: one target traced with a live hop table (or one JSON document, or a RIPE Atlas record),
 * several in one traceAll.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Trace the path to TARGET. Exit code 0 when the destination answered, 3 when it did not, 2 for bad "
                + "input, no usable transport, or when no probe can leave this host (no route, no source address of the "
                + "target's family). Several targets are traced in one call (traceAll): the hops they share are probed "
                + "once (Doubletree's stop set) unless --no-stop-set; exit 0 when every destination answered.")
final class TraceCommand implements Callable<Integer>, OutputOptions.Formatted {
    @Parameters(arity = "1..*", paramLabel = "TARGET", description = "Host names or addresses.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--no-stop-set", description = "Several targets: trace each on its own, sharing nothing.")
    boolean noStopSet;

    @Option(names = "--concurrency", description = "Several targets: how many are traced at once (default ${DEFAULT-VALUE}).")
    int concurrency = 32;

    @Option(names = {"-P", "--protocol"},
            description = "icmp, udp or tcp, and nothing else (default: icmp where this process may send it, else udp).")
    @Nullable ProbeProtocol protocol;

    @Option(names = "--flow", description = "paris (default: one flow, so one path through load balancers) or "
            + "classic (the flow changes per probe, as traceroute's).")
    @Nullable FlowMode flow;

    @Option(names = "--tcp-mode", paramLabel = "syn|in-connection", converter = PathProbeCli.TcpModeConverter.class,
            description = "TCP probes (implies --protocol tcp): syn (default: half-open SYNs, as traceroute -T) or "
                    + "in-connection (connect to --port first, then probe inside the connection, so that a firewall "
                    + "limiting new connections but passing established traffic passes them; needs CAP_NET_RAW and a "
                    + "service that accepts; falls back to syn and says why). One target.")
    @Nullable TcpMode tcpMode;

    @Option(names = "--flows", description = "Trace N Paris flows, each at every TTL (Dublin-style; the "
            + "queries per hop are rounded up to a multiple of N), 1 to 256 (default ${DEFAULT-VALUE}).")
    int flows = 1;

    @Option(names = "-4", description = "IPv4 only.")
    boolean ipv4;

    @Option(names = "-6", description = "IPv6 only.")
    boolean ipv6;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions.WithAtlas();

    @Override
    public OutputOptions output() {
        return output;
    }

    @Option(names = {"-m", "--max-hops", "--max-ttl"}, description = "Largest TTL (default ${DEFAULT-VALUE}).")
    int maxHops = 30;

    @Option(names = {"-f", "--first-ttl"}, description = "First TTL (default ${DEFAULT-VALUE}).")
    int firstTtl = 1;

    @Option(names = {"-q", "--queries"}, description = "Probes per hop (default ${DEFAULT-VALUE}).")
    int queries = 3;

    @Option(names = {"-w", "--wait"}, description = "Longest wait for one probe: seconds (1.5) or 500ms, 2s "
            + "(default ${DEFAULT-VALUE}).", converter = PathProbeCli.DurationConverter.class, defaultValue = "1s")
    Duration wait = Duration.ofSeconds(1);

    @Option(names = "--deadline", description = "Longest the whole trace of one target may take (default "
            + "${DEFAULT-VALUE}; several targets: each trace ends on its own, bounded by its probes' waits).",
            converter = PathProbeCli.DurationConverter.class, defaultValue = "30s")
    Duration deadline = Duration.ofSeconds(30);

    @Option(names = {"-N", "--max-in-flight"}, description = "Probes outstanding at once (default ${DEFAULT-VALUE}).")
    int maxInFlight = 64;

    @Option(names = "--sequential", description = "One TTL at a time, like classic traceroute.")
    boolean sequential;

    @Option(names = "--fixed-wait", description = "Always wait the full --wait for silent probes.")
    boolean fixedWait;

    @Option(names = "--no-refill-retry", description = "Do not probe again, a rate limiter's refill (1.05 s) "
            + "later, the routers that did not answer while later hops did (saves up to 2.1 s; no loss is "
            + "claimed for them either way).")
    boolean noRefillRetry;

    @Option(names = {"-p", "--port"}, description = "UDP and TCP destination port, 1 to 65535 (default: 33434 "
            + "for UDP, 80 for TCP).")
    @Nullable Integer port;

    @Option(names = "--transport", description = "Use this transport (see 'pathprobe transports').")
    @Nullable String transport;

    @Option(names = "--pps", description = "Probe rate limit per second, 0 = unlimited (default ${DEFAULT-VALUE}).")
    int pps = 1000;

    @CommandLine.Mixin
    EnrichOptions enrich = new EnrichOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        OutputOptions.Format format = output.format(true);
        PathTracerBuilder tb = PathTracer.builder().packetsPerSecond(pps);
        enrich.apply(tb); // bad server addresses fail before anything is sent
        if (targets.size() > 1) {
            return traceAll(out, format, tb);
        }
        String target = targets.get(0);
        if (tcpMode != null) {
            if (protocol != null && protocol != ProbeProtocol.TCP) {
                throw output.usage("--tcp-mode is how TCP probes travel: not with --protocol "
                        + protocol.name().toLowerCase(Locale.ROOT));
            }
            protocol = ProbeProtocol.TCP;
        }
        TraceRequest.Builder rb = TraceRequest.builder(target).maxHops(maxHops).firstTtl(firstTtl)
                .probesPerHop(queries).probeTimeout(wait).deadline(deadline).maxInFlight(maxInFlight)
                .sequential(sequential).adaptiveWait(!fixedWait).refillRetry(!noRefillRetry).flows(flows);
        if (port != null) {
            rb.destinationPort(port);
        }
        if (protocol != null) {
            rb.protocol(protocol);
        }
        if (flow != null) {
            rb.flowMode(flow);
        }
        if (tcpMode != null) {
            rb.tcpMode(tcpMode);
        }
        if (ipv4 && ipv6) {
            throw new IllegalArgumentException("-4 and -6 exclude each other");
        }
        if (ipv4 || ipv6) {
            rb.ipVersion(ipv4 ? IpVersion.IPV4 : IpVersion.IPV6);
        }
        rb.enrich(enrich.mode());
        HopTable table = format != OutputOptions.Format.TEXT ? null : new HopTable(out, firstTtl, maxHops, enrich.enabled(), enrich.asLookups());
        if (table != null) {
            rb.listener(table);
        }
        TraceRequest request = rb.build();
        if (transport != null) {
            tb.preferredTransport(transport);
        }
        try (PathTracer tracer = tb.build()) {
            Trace trace = tracer.start(request);
            return UntilInterrupted.await(trace.result(), trace::cancel, r -> {
                if (format == OutputOptions.Format.JSON) {
                    out.println(PathProbeJson.trace(r));
                } else if (format == OutputOptions.Format.ATLAS) {
                    out.println(AtlasJson.traceroute(r));
                } else if (table != null) {
                    table.finish(r);
                    out.println(summary(r));
                }
                out.flush();
                return cannotSend(r) ? 2 : r.destinationReached() ? 0 : 3;
            });
        }
    }

    /** Several targets: one traceAll, printed in the order given when every target has ended. */
    private int traceAll(PrintStream out, OutputOptions.Format format, PathTracerBuilder tb) {
        if (flows != 1 || sequential || ipv4 && ipv6 || tcpMode != null) {
            throw output.usage(ipv4 && ipv6 ? "-4 and -6 exclude each other" : tcpMode != null
                    ? "--tcp-mode takes one target (a connection per trace)"
                    : "several targets are traced with one Paris flow each, all TTLs as the stop set decides: "
                    + (flows != 1 ? "--flows" : "--sequential") + " takes one target");
        }
        io.pathprobe.TraceAllRequest.Builder b = io.pathprobe.TraceAllRequest.builder(targets).maxHops(maxHops)
                .firstTtl(firstTtl).probesPerHop(queries).probeTimeout(wait).concurrency(concurrency).stopSet(!noStopSet);
        if (port != null) {
            b.destinationPort(port);
        }
        if (protocol != null) {
            b.protocol(protocol);
        }
        if (flow != null) {
            b.flowMode(flow);
        }
        if (ipv4 || ipv6) {
            b.ipVersion(ipv4 ? IpVersion.IPV4 : IpVersion.IPV6);
        }
        io.pathprobe.TraceAllRequest request = b.build();
        if (transport != null) {
            tb.preferredTransport(transport);
        }
        try (PathTracer tracer = tb.build()) {
            io.pathprobe.TraceAll all = tracer.startTraceAll(request);
            return UntilInterrupted.await(all.result(), all::cancel, r -> {
                if (format == OutputOptions.Format.JSON) {
                    out.println(PathProbeJson.write(r.traces().stream().map(t -> (Object) PathProbeJson.tree(t)).toList()));
                } else if (format == OutputOptions.Format.ATLAS) {
                    out.println(r.traces().stream().map(AtlasJson::traceroute)
                            .collect(java.util.stream.Collectors.joining(",\n", "[\n", "\n]")));
                } else {
                    for (TraceResult t : r.traces()) {
                        out.println(t);
                        out.println(summary(t));
                        out.println();
                    }
                    out.println(r.summary());
                }
                out.flush();
                boolean allCannotSend = r.traces().stream().allMatch(TraceCommand::cannotSend);
                return allCannotSend ? 2 : r.traces().stream().allMatch(TraceResult::destinationReached) ? 0 : 3;
            });
        }
    }

    /** Whether the trace ended because no probe can leave this host (NO_ROUTE, SEND_FAILED): exit code 2. */
    static boolean cannotSend(TraceResult r) {
        return r.status() == io.pathprobe.TraceStatus.NO_ROUTE || r.status() == io.pathprobe.TraceStatus.SEND_FAILED;
    }

    static String summary(TraceResult r) {
        if (cannotSend(r)) {
            // one line: nothing (or nothing more) can be sent from here, and why
            return String.format(Locale.ROOT, "%s to %s: %s (transport %s, %d probes sent)",
                    r.status() == io.pathprobe.TraceStatus.NO_ROUTE ? "no route from this host"
                            : "no probe can be sent from this host",
                    r.destination().map(AddressText::of).orElse(r.target()), r.sendFailure().orElse("send failed"),
                    r.transport(), r.hops().stream().mapToInt(h -> h.statistics().sent()).sum());
        }
        int probes = r.hops().stream().mapToInt(h -> h.probes().size()).sum();
        String how = switch (r.status()) {
            case DESTINATION_REACHED -> "destination reached" + r.destinationAnsweredFrom()
                    .filter(a -> r.destination().map(d -> !d.equals(a)).orElse(true))
                    .map(a -> " (destination answered from " + AddressText.of(a) + ")").orElse("");
            case UNREACHABLE -> "unreachable (a router ended the path: "
                    + r.hops().stream().flatMap(h -> h.probes().stream())
                            .filter(p -> p.status() == io.pathprobe.ProbeStatus.UNREACHABLE)
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
