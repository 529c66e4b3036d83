package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline HTML report as a person opens it: the shipped launcher runs a multipath discovery through a width-4
 * ECMP diamond with {@code --json --html FILE}, and headless Chromium (Debian's {@code chromium}, which build/deps
 * installs) opens the file: the DOM it built draws exactly the result's nodes and links (the JSON document printed
 * beside it), the four branches among them; its screenshot is not one colour; and it made no request: Chromium's
 * every request goes to a proxy this test owns, which sees none but those of Chromium's own services (updates,
 * network time), while a page that fetches an image is seen doing it.
 */
@LabTest
class CliReportLabTest {
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.diamond(4, EcmpHash.LINUX_L4)
            .icmpUnlimited("every branch of the diamond").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    private static final Pattern NODE = Pattern.compile("<g class=\"node [a-z]+\" data-id=\"([^\"]*)\">");
    private static final Pattern LINK = Pattern.compile("<g class=\"link\" data-from=\"([^\"]*)\" data-to=\"([^\"]*)\">");

    private static String dest() {
        return LAB.lab().destination().getHostAddress();
    }

    @Test
    void aWidthFourDiamondsReportOpensOfflineInChromiumAndDrawsTheResult(@TempDir Path tmp) throws Exception {
        Path page = Path.of("target", "report-multipath.html").toAbsolutePath();
        Files.deleteIfExists(page);
        Run run = CLI.run("multipath", "--json", "--confidence", "99.9", "--html", page.toString(), dest());
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        JsonNode result = CliRuns.JSON.readTree(run.out());
        Set<String> nodes = new HashSet<>();
        result.get("nodes").forEach(n -> nodes.add(n.get("address").asText()));
        Set<String> links = new HashSet<>();
        result.get("links").forEach(l -> links.add(l.get("from").asText() + " > " + l.get("to").asText()));

        String dom = Chromium.opened(tmp, page, Path.of("target", "report-multipath.png").toAbsolutePath());
        Set<String> drawn = new HashSet<>();
        Matcher n = NODE.matcher(dom);
        while (n.find()) {
            drawn.add(n.group(1));
        }
        Set<String> drawnLinks = new HashSet<>();
        Matcher l = LINK.matcher(dom);
        while (l.find()) {
            if (!l.group(1).equals("source")) {
                drawnLinks.add(l.group(1) + " > " + l.group(2));
            }
        }
        assertThat(drawn).as(dom).contains("source");
        drawn.remove("source");
        assertThat(drawn).isEqualTo(nodes);
        assertThat(drawnLinks).isEqualTo(links);
        int branch = LAB.lab().ecmpTtl().orElseThrow();
        Set<String> middles = new HashSet<>();
        LAB.lab().expectedResponders(branch).forEach(a -> middles.add(a.getHostAddress()));
        assertThat(middles).hasSize(4);
        assertThat(drawn).containsAll(middles);
        assertThat(Chromium.count(dom, "<tr class=\"path\"")).isEqualTo(result.get("paths").size());
    }

    @Test
    void aTracesAndAMonitorsReportsShowEveryHopAndEveryRound(@TempDir Path tmp) throws Exception {
        Path trace = Path.of("target", "report-trace.html").toAbsolutePath();
        Run t = CLI.run("trace", "--json", "--html", trace.toString(), dest());
        assertThat(t.exitCode()).as("%s%n%s", t.out(), t.err()).isZero();
        int hops = CliRuns.JSON.readTree(t.out()).get("hops").size();
        assertThat(hops).isEqualTo(LAB.lab().hops());
        String dom = Chromium.opened(tmp, trace, Path.of("target", "report-trace.png").toAbsolutePath());
        assertThat(Chromium.count(dom, "<tr class=\"hop\"")).isEqualTo(hops);
        assertThat(dom).contains(dest());

        Path monitor = Path.of("target", "report-monitor.html").toAbsolutePath();
        Run m = CLI.run("mtr", "-r", "-c", "10", "-i", "0.1", "--html", monitor.toString(), dest());
        assertThat(m.exitCode()).as("%s%n%s", m.out(), m.err()).isZero();
        String mdom = Chromium.opened(tmp, monitor, Path.of("target", "report-monitor.png").toAbsolutePath());
        assertThat(mdom).contains("data-rounds=\"10\"");
        assertThat(Chromium.count(mdom, "<rect class=\"cell\"")).isEqualTo(10 * hops);
        assertThat(Chromium.count(mdom, "<tr class=\"hop\"")).isEqualTo(hops);
    }
}
