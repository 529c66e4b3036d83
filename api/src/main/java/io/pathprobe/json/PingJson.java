package io.pathprobe.json;

import static io.pathprobe.json.JsonTrees.address;
import static io.pathprobe.json.JsonTrees.boxed;
import static io.pathprobe.json.JsonTrees.exactMs;
import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.lower;

import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The ping document ({@code pathprobe ping --format json}), docs/schema/ping.schema.json: the
 * document as text ({@code write}) and, with each of its parts, as a tree ({@code tree}). Unlike the
 * other documents, its times are not rounded. The conventions every document follows are the
 * {@linkplain io.pathprobe.json package's}.
 */
public final class PingJson {
    /**
     * The ping document's version. 1: the first. 2 added payloadSize (the payload size the request
     * gave, null when it gave none) and per target bytes, aligned with rtts: each answer's size (ICMP
     * message, header and data), null where unknown or unanswered. 3 added enrichment per target:
     * hostname, asn ({number, prefix, name}), hostnameStatus and asnStatus. 4 added per target
     * rateLimited (UDP probes unanswered while the destination may have refused their Port Unreachable
     * under its ICMP rate limit; neither received nor lost, not in loss: sent = received + lost +
     * rateLimited + pending) and kindNote (why the automatic choice did not use ICMP, and what a UDP
     * ping's answers are; null when there is nothing to say).
     * 5 added masked (privacy masking: {@link io.pathprobe.evidence.Masking}, in a masked document only).
     * ping's answers are; null when there is nothing to say). 5 added per target location, locationStatus,
     * exchange and exchangeStatus (offline GeoIP, the PeeringDB exchange), as trace documents 10.
     * 6 added per target lossLow, lossHigh and mayBeRefused (issue 68: where the destination's rate limit could not
     * be told from loss, the loss as a range), and rateLimited counts only refusals the destination's answers showed.
     * Without raising the version, per target kept: how many probes rtts holds, written only when older decided
     * probes left the target's window of recent probes ({@link PingRequest#recentProbes()}); absent when rtts holds
     * every decided probe, so a document of a ping that fits its window is what it was before, and a reader must
     * treat it as optional.
     */
    public static final int SCHEMA_VERSION = 6;

    private PingJson() {}

    /**
     * {@return the ping document, with {@code payloadSize} from the request the result carries}
     *
     * @param result the ping result
     */
    public static String write(PingResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * {@return the ping document, with {@code payloadSize} from the request that measured it}
     *
     * @param result the ping result
     * @param request the request that measured it
     */
    public static String write(PingResult result, PingRequest request) {
        return JsonText.write(tree(result, request.payloadSize()), true);
    }

    /**
     * Writes the ping document to {@code out}, with {@code payloadSize} from the request the result
     * carries.
     *
     * @param result the ping result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void write(PingResult result, Appendable out) throws IOException {
        JsonText.write(tree(result), true, out);
    }

    /**
     * Writes the ping document to {@code out}, with {@code payloadSize} from the request.
     *
     * @param result the ping result
     * @param request the request that measured it
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void write(PingResult result, PingRequest request, Appendable out) throws IOException {
        JsonText.write(tree(result, request.payloadSize()), true, out);
    }

    /**
     * {@return the ping document as a tree, {@code payloadSize} from the request the result carries}
     *
     * @param r the ping result
     */
    public static Map<String, @Nullable Object> tree(PingResult r) {
        return tree(r, r.request().payloadSize());
    }

    /**
     * {@return the ping document as a tree, with the payload size the request gave (empty: null)}
     *
     * @param r the ping result
     * @param payloadSize the payload size the request gave, empty if it gave none
     */
    public static Map<String, @Nullable Object> tree(PingResult r, OptionalInt payloadSize) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("status", r.status().name());
        m.put("durationMs", r.duration().toNanos() / 1e6);
        m.put("startedAt", r.startedAt().toString());
        m.put("payloadSize", boxed(payloadSize));
        m.put("results", list(r.targets(), PingJson::tree));
        m.put("cost", JsonTrees.tree(r.cost()));
        m.put("masked", r.masking().active() ? JsonTrees.statement(r.masking()) : null);
        return m;
    }

    /**
     * {@return a ping target as a tree (an element of the ping document's {@code results})}
     *
     * @param t the target's result
     */
    public static Map<String, @Nullable Object> tree(PingTargetResult t) {
        PingStatistics s = t.statistics();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("target", t.target());
        m.put("address", address(t.address()));
        m.put("kind", lower(t.kind()));
        m.put("kindNote", t.kindNote().orElse(null));
        m.put("transport", t.transport());
        m.put("sent", s.sent());
        m.put("received", s.received());
        m.put("lost", s.lost());
        m.put("rateLimited", s.rateLimited());
        m.put("duplicates", s.duplicates());
        m.put("late", s.late());
        m.put("outOfOrder", s.outOfOrder());
        m.put("loss", s.loss());
        m.put("lossLow", s.lossLow());
        m.put("lossHigh", s.lossHigh());
        m.put("mayBeRefused", s.mayBeRefused());
        m.put("rtt", s.rtt().map(PingJson::rtt).orElse(null));
        m.put("jitter", s.jitter().map(JsonTrees::exactMs).orElse(null));
        m.put("rtts", list(t.recent(), p -> p.received() ? exactMs(p.rtt().orElseThrow()) : null));
        m.put("bytes", list(t.recent(),
                p -> p.received() && p.replyBytes().isPresent() ? p.replyBytes().getAsInt() : null));
        if (keptOnlyRecent(t)) {
            m.put("kept", t.recent().size());
        }
        m.put("error", t.error().map(PingError::message).orElse(null));
        JsonTrees.lookups(m, t.hostname(), t.asn(), t.location(), t.exchange());
        return m;
    }

    /**
     * Whether a target's recent probes miss some of its decided ones: fewer of them were decided probes (a send that
     * failed is kept too, and is none; so is a pending one) than were sent and decided.
     */
    private static boolean keptOnlyRecent(PingTargetResult t) {
        PingStatistics s = t.statistics();
        long decided = t.recent().stream().filter(p -> p.status() != ProbeStatus.SEND_FAILED
                && p.status() != ProbeStatus.PENDING).count();
        return decided < s.sent() - s.pending();
    }

    private static Map<String, @Nullable Object> rtt(RttStatistics x) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("min", exactMs(x.min()));
        m.put("avg", exactMs(x.avg()));
        m.put("max", exactMs(x.max()));
        m.put("mdev", exactMs(x.stdDev()));
        Optional<RttPercentiles> p = x.percentiles();
        m.put("p50", p.map(q -> exactMs(q.p50())).orElse(null));
        m.put("p90", p.map(q -> exactMs(q.p90())).orElse(null));
        m.put("p95", p.map(q -> exactMs(q.p95())).orElse(null));
        m.put("p99", p.map(q -> exactMs(q.p99())).orElse(null));
        m.put("exactPercentiles", p.map(RttPercentiles::exact).orElse(false));
        return m;
    }
}
