package io.pathprobe.report;

import static io.pathprobe.report.Documents.address;
import static io.pathprobe.report.Documents.get;
import static io.pathprobe.report.Documents.list;
import static io.pathprobe.report.Documents.millis;
import static io.pathprobe.report.Documents.named;
import static io.pathprobe.report.Documents.optionalMillis;
import static io.pathprobe.report.Documents.optionalWhole;
import static io.pathprobe.report.Documents.string;
import static io.pathprobe.report.Documents.text;
import static io.pathprobe.report.Documents.whole;

import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Reads the ping document ({@code io.pathprobe.json.PingJson}) back into its {@link PingResult}: writing the result
 * read gives the document again, byte for byte. In the report module, not the api, for the api's size bound
 * ({@link Documents}). What the document does not carry takes a default: the request is
 * {@code PingRequest.builder(targets)} with the payload size written; a target's probes are its {@code rtts} (an
 * answer where there is an RTT, else a timeout; sequence their index); its error's type is {@code FAILED}; its
 * statistics count no errors, its RTT's {@code last} is its last answer's RTT (its maximum without one) and pending
 * is what sent leaves of received, lost and rate-limited; an AS has no country and no registry.
 */
public final class PingDocument {
    private PingDocument() {}

    /**
     * {@return the ping the ping document {@code text} holds}
     *
     * @param text the document
     * @throws IllegalArgumentException if the text is not a ping document; the message says what is wrong
     */
    public static PingResult read(String text) {
        return result(Documents.parse(text));
    }

    static PingResult result(@Nullable Object d) {
        try {
            List<PingTargetResult> targets = new ArrayList<>();
            for (Object t : list(get(d, "results"))) {
                targets.add(target(targets.size(), t));
            }
            PingRequest.Builder request = PingRequest.builder(targets.stream().map(PingTargetResult::target)
                    .toArray(String[]::new));
            optionalWhole(get(d, "payloadSize")).ifPresent(request::payloadSize);
            return new PingResult(targets, named(PingStatus.class, get(d, "status")),
                    Documents.instant(get(d, "startedAt")), millis(get(d, "durationMs")), request.build(),
                    Documents.masking(d));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a ping document: " + e.getMessage(), e);
        }
    }

    private static PingTargetResult target(int index, @Nullable Object t) {
        List<?> rtts = list(get(t, "rtts"));
        List<?> bytes = list(get(t, "bytes"));
        List<PingProbe> recent = new ArrayList<>();
        for (int i = 0; i < rtts.size(); i++) {
            Optional<Duration> rtt = optionalMillis(rtts.get(i));
            recent.add(new PingProbe(i, Duration.ZERO, rtt.isPresent() ? ProbeStatus.REPLY : ProbeStatus.TIMEOUT,
                    rtt, Optional.empty(), Optional.empty(), OptionalInt.empty(),
                    optionalWhole(i < bytes.size() ? bytes.get(i) : null), OptionalInt.empty(), Optional.empty()));
        }
        Optional<RttStatistics> rtt = Optional.empty();
        Object r = get(t, "rtt");
        if (r != null) {
            Duration max = millis(get(r, "max"));
            Optional<RttPercentiles> p = get(r, "p50") == null ? Optional.empty() : Optional.of(new RttPercentiles(
                    millis(get(r, "p50")), millis(get(r, "p90")), millis(get(r, "p95")), millis(get(r, "p99")),
                    Documents.truth(r, "exactPercentiles")));
            rtt = Optional.of(new RttStatistics(recent.stream().flatMap(x -> x.rtt().stream()).reduce((a, b) -> b)
                    .orElse(max), millis(get(r, "min")), millis(get(r, "avg")), max, millis(get(r, "mdev")), p));
        }
        long sent = whole(t, "sent");
        long received = whole(t, "received");
        long lost = whole(t, "lost");
        long rateLimited = whole(t, "rateLimited");
        if (!(get(t, "loss") instanceof Number loss)) {
            throw new IllegalArgumentException("no loss (a number)");
        }
        PingStatistics s = new PingStatistics(sent, received, lost, Math.max(0, sent - received - lost - rateLimited),
                whole(t, "duplicates"), whole(t, "late"), whole(t, "outOfOrder"), 0, loss.doubleValue(), rtt,
                optionalMillis(get(t, "jitter")), rateLimited, whole(t, "mayBeRefused"));
        Documents.Lookups l = Documents.lookups(t);
        return new PingTargetResult(index, text(t, "target"), address(get(t, "address")),
                named(PingKind.class, get(t, "kind")), text(t, "transport"), string(get(t, "kindNote")),
                string(get(t, "error")).map(m -> PingError.of(PingError.Type.FAILED, m)), s, recent, l.hostname(),
                l.asn(), l.location(), l.exchange());
    }
}
