package io.pathprobe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.MeasurementType;
import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.check.Assertion;
import io.pathprobe.check.Assertions;
import io.pathprobe.check.Verdict;
import io.pathprobe.check.Waypoint;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pathprobe check TARGET --max-loss 5% ...}: measures TARGET (a trace; {@code --ping N} or
 * {@code --monitor N} instead) and checks the result against the assertions the options make
 * ({@link Assertions#check}). Exit codes: 0 every assertion held; 1 one did not (failed, or not applicable: the
 * result cannot show it), one line each on stdout; 2 bad input. {@code --json}: the check document (docs/check.md).
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure TARGET (a trace, or --ping N probes, or --monitor N rounds) and check the result "
                + "against assertions, for cron and CI. Exit code 0 when every assertion held; 1 when one did not "
                + "(one line each on stdout: FAILED, or NOT_APPLICABLE when the result cannot show it); 2 for bad "
                + "input. Loss is the loss the result claims: a rate-limited router is never loss.")
final class CheckCommand implements Callable<Integer> {
    /** The check document's version (docs/check.md). 1: the first. */
    static final int SCHEMA_VERSION = 1;

    @Parameters(index = "0", paramLabel = "TARGET", description = "Host name or address.")
    String target = "";

    @Option(names = "--max-loss", paramLabel = "PERCENT[@hopN]", description = "At most this loss at the "
            + "destination (5%%), or at TTL N on the way out (5%%@hop3). Repeatable.")
    List<String> maxLoss = new ArrayList<>();

    @Option(names = "--max-rtt", paramLabel = "[avg:|p50:|max:]DURATION", description = "At most this RTT at the "
            + "destination: the mean unless p50: or max: (80ms, max:150ms; a trace keeps no p50). Repeatable.")
    List<String> maxRtt = new ArrayList<>();

    @Option(names = "--max-hops", paramLabel = "N", description = "The destination answers within N hops.")
    @Nullable Integer maxHops;

    @Option(names = "--must-reach", description = "The destination answers.")
    boolean mustReach;

    @Option(names = "--must-traverse", paramLabel = "AS|ADDRESS[/BITS]|NAME", description = "Some hop is this AS "
            + "(AS64500; needs -A or a GeoIP ASN database), address or prefix, or host name glob (*.ix.example). "
            + "Repeatable.")
    List<String> mustTraverse = new ArrayList<>();

    @Option(names = "--must-not-traverse", paramLabel = "AS|ADDRESS[/BITS]|NAME",
            description = "No hop is this AS, address or prefix, or host name glob. Repeatable.")
    List<String> mustNotTraverse = new ArrayList<>();

    @Option(names = "--no-dscp-change", description = "No router saw the probes' DSCP changed (a trace).")
    boolean noDscpChange;

    @Option(names = "--no-ecn-change", description = "No router saw the probes' ECN changed (a trace).")
    boolean noEcnChange;

    @Option(names = "--path-id", paramLabel = "ID", description = "The path's id is ID (the agent's "
            + "pathprobe_path_id; of a trace of several flows, one flow's).")
    @Nullable Long pathId;

    @Option(names = "--max-jitter", paramLabel = "DURATION", converter = PathProbeCli.DurationConverter.class,
            description = "At most this jitter at the destination (--ping or --monitor).")
    @Nullable Duration maxJitter;

    @Option(names = "--ping", paramLabel = "N", converter = Counts.AtLeastOneLong.class,
            description = "Ping N probes instead of tracing.")
    @Nullable Long ping;

    @Option(names = "--monitor", paramLabel = "N", converter = Counts.AtLeastOneLong.class,
            description = "Monitor N rounds, as mtr's report, instead of tracing.")
    @Nullable Long monitor;

    @Option(names = "--verbose", description = "Print a line for every assertion, held ones too.")
    boolean verbose;

    @Option(names = {"-P", "--protocol"}, description = "Probe protocol of a trace or monitor: icmp, udp or tcp "
            + "(default: the tracer's choice).")
    @Nullable ProbeProtocol protocol;

    @ApiWord("probesPerTtl")
    @Option(names = {"-q", "--queries"}, converter = Counts.AtLeastOne.class,
            description = "Probes per TTL of a trace (default ${DEFAULT-VALUE}).")
    int queries = 3;

    @ApiWord("probeTimeout")
    @Option(names = {"-w", "--wait"}, paramLabel = "DURATION", converter = PathProbeCli.DurationConverter.class,
            description = "Longest wait for one probe (default: the request's).")
    @Nullable Duration wait;

    @ApiWord("interval")
    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", converter = PathProbeCli.DurationConverter.class,
            description = "Time between a ping's probes or a monitor's rounds (default 1s).")
    @Nullable Duration interval;

    @CommandLine.Mixin
    TtlOptions.MaxFirst ttl = new TtlOptions.MaxFirst();

    @CommandLine.Mixin
    FamilyOptions family = new FamilyOptions();

    @CommandLine.Mixin
    EnrichOptions enrich = new EnrichOptions();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions.TextOrJson();

    @CommandLine.Mixin
    TracerOptions setup = new TracerOptions();

    @CommandLine.Mixin
    MaskOptions mask = new MaskOptions();

    @Override
    public Integer call() {
        OutputOptions.Format format = output.format();
        List<Assertion> assertions = assertions();
        PathTracerBuilder tb = setup.builder(PathTracer.builder(), mask.masking(), enrich);
        try (PathTracer tracer = setup.opened(enrich.build(tb,
                () -> setup.builder(PathTracer.builder(), mask.masking(), enrich)))) {
            if (ping != null) {
                PingRequest.Builder b = PingRequest.builder().targets(List.of(target)).count(ping)
                        .enrich(enrich.mode());
                family.apply(b, wait, null, null);
                if (interval != null) {
                    b.interval(interval);
                }
                return UntilInterrupted.measure(tracer, b.build(), (PingResult r) -> print(format, assertions, "ping",
                        Assertions.check(mask.masking().apply(r), assertions), PingJson::write,
                        mask.masking().apply(r), cannotSend(r)));
            }
            TraceRequest.Builder round = TraceRequest.builder(target).maxTtl(ttl.maxHops)
                    .firstTtl(ttl.first.firstTtl).probesPerTtl(monitor != null ? 1 : queries).enrich(enrich.mode());
            if (protocol != null) {
                round.protocol(protocol);
            }
            family.apply(round, wait, null, null);
            if (monitor != null) {
                MonitorRequest.Builder b = MonitorRequest.builder(round.flowMode(FlowMode.PARIS).build())
                        .rounds(monitor).enrich(enrich.mode());
                if (interval != null) {
                    b.interval(interval);
                }
                return UntilInterrupted.measure(tracer, b.build(), (MonitorResult r) -> print(format, assertions,
                        "monitor", Assertions.check(mask.masking().apply(r), assertions), MonitorJson::write,
                        mask.masking().apply(r), MtrCommand.cannotSend(r) ? MtrCommand.cannotSendLine(r) : null));
            }
            return UntilInterrupted.measure(tracer, round.build(), (TraceResult r) -> print(format, assertions,
                    "trace", Assertions.check(mask.masking().apply(r), assertions), TraceJson::write,
                    mask.masking().apply(r), TraceCommand.cannotSend(r) ? TraceCommand.summary(r) : null));
        }
    }

    /**
     * The assertions the options make, in the options' order; a usage error (exit 2) for a bad value, none at all,
     * or one the measurement asked for cannot show (jitter of a trace, hops of a ping).
     */
    List<Assertion> assertions() {
        if (ping != null && monitor != null) {
            throw output.usage("--ping and --monitor exclude each other");
        }
        List<Assertion> a = new ArrayList<>();
        try {
            maxLoss.forEach(l -> a.add(Assertion.MaxLoss.parse(l)));
            maxRtt.forEach(r -> a.add(Assertion.MaxRtt.parse(r)));
            if (maxHops != null) {
                a.add(new Assertion.MaxHops(maxHops));
            }
            if (mustReach) {
                a.add(new Assertion.MustReach());
            }
            mustTraverse.forEach(w -> a.add(new Assertion.MustTraverse(Waypoint.parse(w))));
            mustNotTraverse.forEach(w -> a.add(new Assertion.MustNotTraverse(Waypoint.parse(w))));
            if (noDscpChange) {
                a.add(new Assertion.NoHeaderChange(HeaderField.DSCP));
            }
            if (noEcnChange) {
                a.add(new Assertion.NoHeaderChange(HeaderField.ECN));
            }
            if (pathId != null) {
                a.add(new Assertion.PathId(pathId));
            }
            if (maxJitter != null) {
                a.add(new Assertion.MaxJitter(maxJitter));
            }
        } catch (IllegalArgumentException e) {
            throw output.usage(String.valueOf(e.getMessage()));
        }
        if (a.isEmpty()) {
            throw output.usage("no assertion given: --max-loss, --max-rtt, --max-hops, --must-reach, --must-traverse, "
                    + "--must-not-traverse, --no-dscp-change, --no-ecn-change, --path-id or --max-jitter");
        }
        MeasurementType<?, ?> kind = ping != null ? MeasurementType.PING
                : monitor != null ? MeasurementType.MONITOR : MeasurementType.TRACE;
        for (Assertion x : a) {
            Optional<String> refusal = Assertions.refusal(x, kind); // the agent's jobs refuse by the same rule
            if (refusal.isPresent()) {
                throw output.usage(refusal.get());
            }
        }
        return a;
    }

    /** Why nothing could be measured: the ping's target did not resolve, or no probe could be sent to it. */
    private static @Nullable String cannotSend(PingResult r) {
        PingTargetResult t = r.targets().get(0);
        return t.statistics().sent() == 0 ? t.error().map(PingError::message).orElse(null) : null;
    }

    /**
     * The verdicts as asked, and the exit code: 0 all held, 1 not; 2, with one line on stderr, when nothing could be
     * measured ({@code cannotSend} says why).
     */
    private <R> int print(OutputOptions.Format format, List<Assertion> assertions, String measurement,
            List<Verdict> verdicts, Function<R, String> document, R result, @Nullable String cannotSend) {
        PrintStream out = System.out;
        if (cannotSend != null) {
            PathProbeCli.error(output.spec, mask.masking().redact(cannotSend));
            if (format == OutputOptions.Format.JSON) {
                out.println(io.pathprobe.json.ErrorJson.write("send", mask.masking().redact(cannotSend)));
            }
            return 2;
        }
        boolean held = Assertions.allHeld(verdicts);
        if (format == OutputOptions.Format.JSON) {
            out.println(json(assertions, measurement, verdicts, document.apply(result)));
        } else {
            verdicts.stream().filter(v -> verbose || v.state() != Verdict.State.HELD).forEach(out::println);
        }
        out.flush();
        return held ? 0 : 1;
    }

    /** The check document: its version, the request, each assertion's verdict, the measurement's own document. */
    private String json(List<Assertion> assertions, String measurement, List<Verdict> verdicts, String result) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode doc = mapper.createObjectNode();
        doc.put("schemaVersion", SCHEMA_VERSION);
        ObjectNode request = doc.putObject("request");
        request.put("target", target);
        request.put("measurement", measurement);
        ArrayNode asked = request.putArray("assertions");
        assertions.forEach(a -> asked.add(a.toString()));
        doc.put("held", Assertions.allHeld(verdicts));
        ArrayNode list = doc.putArray("verdicts");
        for (Verdict v : verdicts) {
            list.addObject().put("assertion", v.assertion().toString())
                    .put("state", v.state().name().toLowerCase(Locale.ROOT)).put("reason", v.reason());
        }
        try {
            doc.set("result", mapper.readTree(result));
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("pathprobe's own document did not parse", e);
        }
    }
}
