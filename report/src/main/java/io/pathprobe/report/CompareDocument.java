package io.pathprobe.report;

import static io.pathprobe.report.Documents.get;
import static io.pathprobe.report.Documents.list;
import static io.pathprobe.report.Documents.text;

import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.json.TraceJson;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the comparison document ({@code io.pathprobe.json.CompareJson}) back into its {@link CompareResult}, for
 * the report: each protocol's trace is read by the trace document's reader ({@link TraceJson#result(Object)}), and
 * the rows, divergences and ends are the comparison of those traces ({@link CompareResult#of}), as the run made them.
 * The request is {@code CompareRequest.builder(target)} with the protocols and the marking written.
 */
public final class CompareDocument {
    private CompareDocument() {}

    /**
     * {@return the comparison's result the comparison document {@code text} holds}
     *
     * @param text the document
     * @throws IllegalArgumentException if the text is not a comparison document; the message says what is wrong
     */
    public static CompareResult read(String text) {
        return result(Documents.parse(text));
    }

    /** {@return whether the tree {@code d} is a comparison document} */
    static boolean is(@Nullable Object d) {
        return get(d, "rows") instanceof List && get(d, "traces") instanceof List
                && get(d, "protocols") instanceof List;
    }

    static CompareResult result(@Nullable Object d) {
        try {
            List<ProbeProtocol> protocols = new ArrayList<>();
            for (Object p : list(get(d, "protocols"))) {
                protocols.add(Documents.named(ProbeProtocol.class, get(p, "protocol")));
            }
            List<TraceResult> traces = new ArrayList<>();
            for (Object t : list(get(d, "traces"))) {
                traces.add(TraceJson.result(t));
            }
            CompareRequest request = CompareRequest.builder(text(d, "target")).protocols(protocols)
                    .trafficClass(new TrafficClass((int) Documents.whole(d, "dscp"), Ecn.parse(text(d, "ecn"))))
                    .build();
            return CompareResult.of(request, traces, Documents.named(TraceAllStatus.class, get(d, "status")),
                    Documents.instant(get(d, "startedAt")), Documents.millis(get(d, "durationMs")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a comparison document: " + e.getMessage(), e);
        }
    }
}
