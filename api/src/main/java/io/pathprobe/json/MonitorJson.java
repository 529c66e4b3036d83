package io.pathprobe.json;

import static io.pathprobe.json.DiffReader.address;
import static io.pathprobe.json.DiffReader.count;
import static io.pathprobe.json.DiffReader.decimal;
import static io.pathprobe.json.DiffReader.get;
import static io.pathprobe.json.DiffReader.integer;
import static io.pathprobe.json.DiffReader.list;
import static io.pathprobe.json.DiffReader.millis;
import static io.pathprobe.json.DiffReader.named;
import static io.pathprobe.json.DiffReader.target;
import static io.pathprobe.json.DiffReader.text;
import static io.pathprobe.json.DiffReader.truth;
import static io.pathprobe.json.DiffReader.ttl;
import static io.pathprobe.json.JsonTrees.address;
import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.lower;
import static io.pathprobe.json.JsonTrees.ms;

import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The monitor document ({@code pathprobe mtr --format json}), docs/schema/monitor.schema.json, and
 * the round line ({@code pathprobe mtr --ndjson}), docs/schema/monitor-round.schema.json: the
 * document as text ({@code write}), as one line ({@code line}), and, with each of their parts, as
 * trees ({@code tree}). The conventions every document follows are the
 * {@linkplain io.pathprobe.json package's}.
 */
public final class MonitorJson {
    /**
     * The monitor document's version ({@link #write(MonitorResult)}). 1: the first. 2: the statistics'
     * {@code rateLimited} ({@code sent} counts them; {@code loss} is a share of the probes answered or
     * lost), status {@code NO_ROUTE} and {@code SEND_FAILED}.
     * 3 added masked (privacy masking: {@link io.pathprobe.evidence.Masking}, in a masked document only) and per
     * hop masked.
     * lost), status {@code NO_ROUTE} and {@code SEND_FAILED}. 3: per responder location, locationStatus,
     * exchange and exchangeStatus (offline GeoIP, the PeeringDB exchange), as trace documents 10. 4 (issue 68): the
     * statistics' undecided, lossLow and lossHigh (the loss the evidence allows; rateLimited only on evidence).
     */
    public static final int SCHEMA_VERSION = 4;

    /**
     * The monitor round line's version ({@link #line(MonitorRound)}, a line of
     * {@code pathprobe mtr --ndjson}). 1: the first; 2: each hop's {@code rateLimited}; 3: a loss
     * {@code thresholdCrossed} event's {@code value} and {@code threshold} are shares (0 to 1), as every loss.
     * 4 added per hop changes and per probe dscp, ecn and changes, as trace documents 9, and the headerChanged
     * event.
     * 5 added masked (privacy masking: {@link io.pathprobe.evidence.Masking}, in a masked document only) and per
     * hop masked.
     * event. 5 added per hop and per responder location, locationStatus, exchange and exchangeStatus, as trace
     * documents 10. 6 (issue 68): per hop undecided, lossLow and lossHigh, as trace documents 11.
     */
    public static final int ROUND_SCHEMA_VERSION = 6;

    private MonitorJson() {}

    /**
     * {@return the monitor result a monitor document (every version) holds: {@code write} of it is the document}
     * What no document carries takes a default: the request is {@code MonitorRequest.builder(target)} with the
     * document's window (its other options their defaults), there is no last round, the statistics' RTT percentiles
     * are not exact and their p95 is the p99, a masked hop's TTL is masked on the path, and lookups read as
     * {@link TraceJson#read(String)} reads them. Fields a version lacks take their meaning's default: no rate-limited
     * or undecided probes, no location or exchange lookups, nothing masked.
     *
     * @param text the document
     * @throws JsonReadException if the text is not such a document; the message says what is wrong and where
     */
    public static MonitorResult read(String text) {
        return DiffReader.one(text, true, MonitorJson::result);
    }

    /** {@return the monitor result of a monitor document's tree, {@link #read(String)}} */
    static MonitorResult result(@Nullable Object d) {
        String target = target(d);
        List<MonitorHop> hops = new ArrayList<>();
        for (Object h : list(get(d, "hops"))) {
            List<MonitorResponder> responders = new ArrayList<>();
            for (Object r : list(get(h, "responders"))) {
                responders.add(new MonitorResponder(address(get(r, "address"))
                        .orElseThrow(() -> new JsonReadException("a responder without an address")),
                        count(r, "replies", 0), decimal(get(r, "share")).orElse(0),
                        TraceJson.lookup(r, "hostname", DiffReader::string),
                        TraceJson.lookup(r, "asn", TraceJson::asnInfo),
                        TraceJson.lookup(r, "location", TraceJson::location),
                        TraceJson.lookup(r, "exchange", TraceJson::exchange)));
            }
            hops.add(new MonitorHop(Checks.ttl(ttl(h), "ttl"), responders, statistics(get(h, "total")),
                    statistics(get(h, "window")), truth(get(h, "masked"))));
        }
        Object p = get(d, "path");
        List<Set<InetAddress>> pathHops = new ArrayList<>();
        for (Object at : list(get(p, "hops"))) {
            Set<InetAddress> addresses = new LinkedHashSet<>();
            for (Object a : list(at)) {
                addresses.add(address(a).orElseThrow(() -> new JsonReadException("a path without an address")));
            }
            pathHops.add(addresses);
        }
        int firstTtl = integer(get(p, "firstTtl"), 1);
        Set<Integer> masked = hops.stream().filter(MonitorHop::masked).map(MonitorHop::ttl)
                .filter(t -> t < firstTtl || t - firstTtl >= pathHops.size() || pathHops.get(t - firstTtl).isEmpty())
                .collect(Collectors.toSet());
        Object count = get(d, "hopCount");
        Object m = get(d, "masked");
        return new MonitorResult(target, address(get(d, "destination")),
                named(ProbeProtocol.class, get(d, "protocol"), ProbeProtocol.ICMP), text(get(d, "transport"), ""),
                named(MonitorStatus.class, get(d, "status"), MonitorStatus.COMPLETED), count(d, "rounds", 0),
                TraceJson.startedAt(get(d, "startedAt")), TraceJson.duration(get(d, "durationMs")), hops,
                statistics(get(d, "endToEnd")), integer(get(count, "min"), 0),
                decimal(get(count, "avg")).orElse(Double.NaN), integer(get(count, "max"), 0),
                new MonitorPath(firstTtl, pathHops, truth(get(p, "destinationReached")), masked),
                count(d, "pathChanges", 0), Optional.empty(),
                MonitorRequest.builder(target).window(integer(get(d, "window"), 100)).build(),
                m == null ? MaskStatement.NONE
                        : new MaskStatement(integer(get(m, "hops"), 0), truth(get(m, "source"))));
    }

    /** {@return a monitor's statistics from their tree; without a best RTT, none} */
    private static MonitorStatistics statistics(@Nullable Object s) {
        Optional<RttStatistics> rtt = Optional.empty();
        if (get(s, "bestMs") instanceof Number best) {
            Optional<RttPercentiles> p = get(s, "p50Ms") == null ? Optional.empty()
                    : Optional.of(new RttPercentiles(millis(get(s, "p50Ms")), millis(get(s, "p90Ms")),
                            millis(get(s, "p99Ms")), millis(get(s, "p99Ms")), false));
            rtt = Optional.of(new RttStatistics(TraceJson.duration(get(s, "lastMs")), millis(best),
                    TraceJson.duration(get(s, "avgMs")), TraceJson.duration(get(s, "worstMs")),
                    TraceJson.duration(get(s, "stdDevMs")), p));
        }
        return new MonitorStatistics(count(s, "sent", 0), count(s, "received", 0), count(s, "rateLimited", 0), rtt,
                TraceJson.duration(get(s, "jitterMs")), count(s, "undecided", 0));
    }

    /**
     * {@return the monitor document: mtr's report as data, per hop over the whole run and over the
     * window, the end-to-end figures, hop counts and the path}
     *
     * @param result the monitor's result (a snapshot or the final one)
     */
    public static String write(MonitorResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * {@return the monitor document as one line of compact JSON (the last line of
     * {@code pathprobe mtr --ndjson}; it has no {@code type})}
     *
     * @param result the monitor's result (a snapshot or the final one)
     */
    public static String line(MonitorResult result) {
        return JsonText.write(tree(result), false);
    }

    /**
     * {@return one round of a monitor as one line of compact JSON ({@code pathprobe mtr --ndjson}): the
     * round's number, its trace's hops as the trace document writes them, the path it saw and the
     * events it raised; {@code "type": "round"}}
     *
     * @param round the round
     */
    public static String line(MonitorRound round) {
        return JsonText.write(tree(round), false);
    }

    /**
     * {@return the monitor document as a tree}
     *
     * @param r the monitor's result
     */
    public static Map<String, @Nullable Object> tree(MonitorResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("target", r.target());
        m.put("destination", address(r.destination()));
        m.put("protocol", lower(r.protocol()));
        m.put("transport", r.transport());
        m.put("status", r.status().name());
        m.put("rounds", r.rounds());
        m.put("startedAt", r.startedAt().toString());
        m.put("durationMs", ms(r.duration()));
        m.put("window", r.request().window());
        m.put("hops", list(r.hops(), MonitorJson::tree));
        m.put("endToEnd", tree(r.endToEnd()));
        Map<String, @Nullable Object> count = new LinkedHashMap<>();
        count.put("min", r.minHopCount());
        count.put("avg", Double.isFinite(r.avgHopCount()) ? Math.round(r.avgHopCount() * 100) / 100.0 : null);
        count.put("max", r.maxHopCount());
        m.put("hopCount", count);
        m.put("path", tree(r.path()));
        m.put("pathChanges", r.pathChanges());
        m.put("cost", JsonTrees.tree(r.cost()));
        m.put("masked", r.masking().active() ? JsonTrees.statement(r.masking()) : null);
        return m;
    }

    /**
     * {@return a monitor's round as a tree (the line {@link #line(MonitorRound)} writes)}
     *
     * @param r the round
     */
    public static Map<String, @Nullable Object> tree(MonitorRound r) {
        TraceResult t = r.trace();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", ROUND_SCHEMA_VERSION);
        m.put("type", "round");
        m.put("target", t.target());
        m.put("destination", address(t.destination()));
        m.put("round", r.number());
        m.put("startedAt", t.startedAt().toString());
        m.put("durationMs", ms(t.duration()));
        m.put("destinationReached", t.destinationReached());
        m.put("hops", list(t.hops(), TraceJson::tree));
        m.put("path", tree(r.path()));
        m.put("events", list(r.events(), MonitorJson::tree));
        m.put("masked", t.masking().active() ? JsonTrees.statement(t.masking()) : null);
        return m;
    }

    /**
     * {@return a monitor's event as a tree: its {@code type} (hopChanged, pathChanged, destinationLost,
     * destinationRegained, thresholdCrossed, headerChanged), the round that raised it, and its own fields}
     *
     * @param e the event
     */
    public static Map<String, @Nullable Object> tree(MonitorEvent e) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        if (e instanceof MonitorEvent.HopChanged h) {
            m.put("type", "hopChanged");
            m.put("round", h.round());
            m.put("ttl", h.ttl());
            m.put("before", sorted(h.before()));
            m.put("after", sorted(h.after()));
        } else if (e instanceof MonitorEvent.PathChanged p) {
            m.put("type", "pathChanged");
            m.put("round", p.round());
            m.put("before", tree(p.before()));
            m.put("after", tree(p.after()));
        } else if (e instanceof MonitorEvent.DestinationLost l) {
            m.put("type", "destinationLost");
            m.put("round", l.round());
            m.put("since", l.since());
        } else if (e instanceof MonitorEvent.DestinationRegained g) {
            m.put("type", "destinationRegained");
            m.put("round", g.round());
            m.put("lostRounds", g.lostRounds());
        } else if (e instanceof MonitorEvent.ThresholdCrossed c) {
            m.put("type", "thresholdCrossed");
            m.put("round", c.round());
            m.put("ttl", c.ttl());
            m.put("kind", c.kind().name());
            m.put("value", Double.isFinite(c.value()) ? c.value() : null);
            m.put("threshold", c.threshold());
            m.put("up", c.up());
        } else if (e instanceof MonitorEvent.HeaderChanged x) {
            m.put("type", "headerChanged");
            m.put("round", x.round());
            m.putAll(TraceJson.tree(x.change().change()));
            m.put("ttl", x.change().ttl());
            m.put("address", address(x.change().responder()));
            m.put("appeared", x.appeared());
        }
        return m;
    }

    /**
     * {@return a monitored hop as a tree (an element of the monitor document's {@code hops})}
     *
     * @param h the hop
     */
    public static Map<String, @Nullable Object> tree(MonitorHop h) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", h.ttl());
        m.put("responders", list(h.responders(), MonitorJson::tree));
        m.put("total", tree(h.total()));
        m.put("window", tree(h.window()));
        m.put("masked", h.masked());
        return m;
    }

    /**
     * {@return a responder seen at a monitored hop as a tree: address, replies, share (0 to 1), host
     * name, AS, location and exchange with their lookup statuses}
     *
     * @param r the responder
     */
    public static Map<String, @Nullable Object> tree(MonitorResponder r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("address", AddressText.of(r.address()));
        m.put("replies", r.replies());
        m.put("share", Double.isFinite(r.share()) ? r.share() : null);
        JsonTrees.lookups(m, r.hostname(), r.asn(), r.location(), r.exchange());
        return m;
    }

    /**
     * {@return a monitor's statistics as a tree: mtr's columns; loss as a fraction from 0 to 1 of the
     * probes answered or lost (null when there were none), every time null when nothing was received;
     * the probes a limiter shown to limit refused ({@code sent = received + lost + rateLimited}); the lost ones a
     * refusal is not excluded for ({@code undecided}) and the loss they leave, {@code lossLow} to {@code lossHigh}}
     *
     * @param s the statistics
     */
    public static Map<String, @Nullable Object> tree(MonitorStatistics s) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("sent", s.sent());
        m.put("received", s.received());
        long decided = s.sent() - s.rateLimited();
        m.put("loss", decided == 0 ? null : (double) s.lost() / decided);
        m.put("lossLow", decided == 0 ? null : s.lossLow());
        m.put("lossHigh", decided == 0 ? null : s.loss());
        Optional<RttStatistics> r = s.rtt();
        Optional<RttPercentiles> p = r.flatMap(RttStatistics::percentiles);
        m.put("lastMs", r.map(x -> ms(x.last())).orElse(null));
        m.put("avgMs", r.map(x -> ms(x.avg())).orElse(null));
        m.put("bestMs", r.map(x -> ms(x.min())).orElse(null));
        m.put("worstMs", r.map(x -> ms(x.max())).orElse(null));
        m.put("stdDevMs", r.map(x -> ms(x.stdDev())).orElse(null));
        m.put("jitterMs", r.isPresent() ? ms(s.jitter()) : null);
        m.put("p50Ms", p.map(x -> ms(x.p50())).orElse(null));
        m.put("p90Ms", p.map(x -> ms(x.p90())).orElse(null));
        m.put("p99Ms", p.map(x -> ms(x.p99())).orElse(null));
        m.put("rateLimited", s.rateLimited());
        m.put("undecided", s.undecided());
        return m;
    }

    /**
     * {@return a monitor's path as a tree: its first TTL, the responders at each TTL from there
     * (an empty list for a silent one), and whether it reached the destination}
     *
     * @param p the path
     */
    public static Map<String, @Nullable Object> tree(MonitorPath p) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("firstTtl", p.firstTtl());
        List<@Nullable Object> hops = new ArrayList<>();
        for (Set<InetAddress> at : p.hops()) {
            hops.add(sorted(at));
        }
        m.put("hops", hops);
        m.put("destinationReached", p.destinationReached());
        return m;
    }

    /** Addresses as text, in the order of the text. */
    private static List<Object> sorted(Set<InetAddress> addresses) {
        return addresses.stream().map(AddressText::of).sorted().map(a -> (Object) a).toList();
    }
}
