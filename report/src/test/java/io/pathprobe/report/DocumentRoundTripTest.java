package io.pathprobe.report;

import static io.pathprobe.testing.Samples.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.evidence.Masking;
import io.pathprobe.graph.PathGraph;
import io.pathprobe.json.CompareJson;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceAllStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The multipath and comparison documents read back ({@link MultipathDocument}, {@link CompareDocument}): the report
 * of a document draws the nodes, links, paths and hops the report of the result it was written from draws.
 */
class DocumentRoundTripTest {
    /** The drawn parts of a page: graph nodes and links, path rows, hop rows, compare rows, diamonds. */
    private static final Pattern DRAWN = Pattern.compile("<g class=\"(node|link)[^>]*>.*?</g>|<tr class=\"(path|hop)\""
            + ".*?</tr>|<tr><td class=\"n\">.*?</tr>|<h2>Diamonds</h2>.*?</ul>", Pattern.DOTALL);

    private static List<String> drawn(String html) {
        List<String> all = new ArrayList<>();
        Matcher m = DRAWN.matcher(html);
        while (m.find()) {
            all.add(m.group());
        }
        return all;
    }

    @Test
    void aMultipathDocumentDrawsWhatItsResultDraws() {
        MultipathResult sample = Samples.multipath();
        for (MultipathResult r : List.of(sample, Masking.firstHops(1).apply(sample))) {
            String doc = MultipathJson.write(r);
            MultipathResult read = (MultipathResult) Documents.read(doc).orElseThrow();
            assertThat(MultipathJson.write(MultipathDocument.read(doc))).isEqualTo(doc);
            assertThat(PathGraph.of(read)).isEqualTo(PathGraph.of(r));
            List<String> drawn = drawn(HtmlReport.of(r, Masking.NONE));
            assertThat(drawn).hasSizeGreaterThan(r.nodes().size() + r.paths().size());
            assertThat(drawn(HtmlReport.of(read, Masking.NONE))).isEqualTo(drawn);
            assertThat(MultipathJson.write(read)).isEqualTo(doc);
        }
    }

    @Test
    void aComparisonDocumentDrawsWhatItsResultDraws() {
        CompareResult c = CompareResult.of(CompareRequest.builder("198.51.100.10")
                .protocols(List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP)).build(), List.of(Samples.trace(),
                        Masking.firstHops(1).apply(Samples.trace())), TraceAllStatus.COMPLETED, Samples.START,
                Duration.ofSeconds(1));
        for (CompareResult r : List.of(c, Masking.firstHops(2).hiding(List.of(ip("198.51.100.10"))).apply(c))) {
            String doc = CompareJson.write(r);
            CompareResult read = (CompareResult) Documents.read(doc).orElseThrow();
            assertThat(read.traces()).hasSize(2);
            assertThat(read.rows().stream().map(row -> CompareJson.tree(row, read.request().protocols())))
                    .isEqualTo(r.rows().stream().map(row -> CompareJson.tree(row, r.request().protocols())).toList());
            assertThat(read.divergences()).isEqualTo(r.divergences());
            assertThat(read.ends()).isEqualTo(r.ends());
            assertThat(PathGraph.of(read)).isEqualTo(PathGraph.of(r));
            List<String> drawn = drawn(HtmlReport.of(r, Masking.NONE));
            assertThat(drawn).hasSizeGreaterThan(r.rows().size());
            assertThat(drawn(HtmlReport.of(read, Masking.NONE))).isEqualTo(drawn);
            assertThat(CompareJson.write(read)).isEqualTo(doc);
        }
    }

    @Test
    void aBrokenDocumentSaysWhatIsWrong() {
        String doc = MultipathJson.write(Samples.multipath()).replace("\"probes\" :", "\"probez\" :");
        assertThatThrownBy(() -> Documents.read(doc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a multipath document: no probes (a whole number)");
        String compare = CompareJson.write(CompareResult.of(CompareRequest.builder("198.51.100.10").protocols(List.of(
                ProbeProtocol.ICMP, ProbeProtocol.UDP)).build(), List.of(Samples.trace(), Samples.trace()),
                TraceAllStatus.COMPLETED, Samples.START, Duration.ofSeconds(1))).replace("\"status\" : \"COMPLETED\"", "\"status\" : \"DONE\"");
        assertThatThrownBy(() -> CompareDocument.read(compare)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a comparison document: ");
    }
}
