package io.pathprobe.report;

import static io.pathprobe.report.Documents.address;
import static io.pathprobe.report.Documents.get;
import static io.pathprobe.report.Documents.list;
import static io.pathprobe.report.Documents.optionalWhole;
import static io.pathprobe.report.Documents.text;
import static io.pathprobe.report.Documents.truth;
import static io.pathprobe.report.Documents.whole;

import io.pathprobe.mtu.MtuBlackHole;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.trace.TraceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the path MTU document ({@code io.pathprobe.json.MtuJson}) back into its {@link MtuResult}: writing the
 * result read gives the document again, byte for byte. In the report module, not the api, for the api's size bound
 * ({@link Documents}). A masked black hole reads back masked: one that names no hop while the hop before it answered
 * and is masked (a black hole after a silent hop names none either).
 */
public final class MtuDocument {
    private MtuDocument() {}

    /**
     * {@return the discovery's result the path MTU document {@code text} holds}
     *
     * @param text the document
     * @throws IllegalArgumentException if the text is not a path MTU document; the message says what is wrong
     */
    public static MtuResult read(String text) {
        return result(Documents.parse(text));
    }

    static MtuResult result(@Nullable Object d) {
        try {
            MaskStatement masking = Documents.masking(d);
            List<MtuHop> hops = new ArrayList<>();
            for (Object h : list(get(d, "hops"))) {
                hops.add(new MtuHop((int) whole(h, "ttl"), address(get(h, "address")),
                        Documents.optionalMillis(get(h, "rttMs")), (int) whole(h, "pathMtu"),
                        optionalWhole(get(h, "tooBig")), address(get(h, "tooBigFrom")), truth(h, "destination"),
                        truth(h, "masked")));
            }
            Object b = get(d, "blackHole");
            Optional<MtuBlackHole> blackHole = Optional.empty();
            if (b != null) {
                int ttl = (int) whole(b, "ttl");
                boolean masked = get(b, "after") == null // the hop before it answered, masked
                        && hops.stream().anyMatch(h -> h.ttl() == ttl - 1 && h.masked() && h.answered());
                blackHole = Optional.of(new MtuBlackHole(ttl, address(get(b, "after")),
                        (int) whole(b, "largestPassing"), (int) whole(b, "smallestLost"), masked));
            }
            return new MtuResult(text(d, "target"), address(get(d, "destination")), text(d, "transport"),
                    Documents.named(TraceStatus.class, get(d, "status")), optionalWhole(get(d, "firstLinkMtu")), hops,
                    optionalWhole(get(d, "pathMtu")), blackHole, (int) whole(d, "probesSent"),
                    Documents.instant(get(d, "startedAt")), Documents.millis(get(d, "durationMs")), masking);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a path MTU document: " + e.getMessage(), e);
        }
    }
}
