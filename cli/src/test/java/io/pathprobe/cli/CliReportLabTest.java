package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
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

    /** Chromium, or null: absent outside CI skips, in CI fails (build/deps installs it). */
    private static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "chromium");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        assertThat(System.getenv("CI")).as("chromium is not installed (build/deps installs Debian's chromium)")
                .isNull();
        assumeTrue(false, "chromium is not installed (build/deps installs Debian's chromium): the report is not opened");
        throw new AssertionError();
    }

    /** Chromium headless on {@code page} with {@code what} ({@code --dump-dom}, {@code --screenshot=...}). */
    private static String chromium(Path tmp, Path page, int proxyPort, String... what) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--proxy-server=127.0.0.1:" + proxyPort,
                "--proxy-bypass-list=<-loopback>", "--window-size=1400,1000"));
        cmd.addAll(List.of(what));
        cmd.add(page.toUri().toString());
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium ended").isTrue();
            assertThat(p.exitValue()).as("chromium's exit code").isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Chromium's own services' hosts, which it asks whatever the page and the flags. */
    private static final Pattern BROWSERS_OWN = Pattern.compile(
            "^(?:CONNECT |[A-Z]+ https?://)(?:[^/: ]+\\.)?(?:google\\.com|googleapis\\.com|gstatic\\.com|gvt1\\.com)[:/ ].*");

    /** The requests not of Chromium's own services. */
    private static List<String> pageRequests(List<String> requests) {
        synchronized (requests) {
            return requests.stream().filter(r -> !BROWSERS_OWN.matcher(r).matches()).toList();
        }
    }

    /** A proxy that keeps the first line of every request it is sent and answers none. */
    private static final class Proxy implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

        Proxy() throws java.io.IOException {
            Thread accept = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        s.setSoTimeout(2000);
                        byte[] line = new byte[512];
                        int n = s.getInputStream().read(line);
                        requests.add(n <= 0 ? "?" : new String(line, 0, n, StandardCharsets.ISO_8859_1).lines()
                                .findFirst().orElse("?"));
                    } catch (java.io.IOException e) {
                        if (socket.isClosed()) {
                            return;
                        }
                    }
                }
            }, "report-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    /**
     * {@code page} opened in Chromium: {@return its DOM} Its screenshot goes to {@code shot} and must not be one colour;
     * the page must have made no request (Chromium's own services ask through the proxy whatever the flags; the page
     * holds no URL, HtmlReportTest, so a request to any other host is the page's); a page that fetches an image is seen
     * doing it through the same Chromium and proxy, the control.
     */
    private static String opened(Path tmp, Path page, Path shot) throws Exception {
        try (Proxy proxy = new Proxy()) {
            int port = proxy.socket.getLocalPort();
            String dom = chromium(tmp, page, port, "--dump-dom");
            Files.deleteIfExists(shot);
            chromium(tmp, page, port, "--screenshot=" + shot);
            BufferedImage image = ImageIO.read(shot.toFile());
            assertThat(image).as("a PNG at %s", shot).isNotNull();
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight() && colours.size() < 2; y += 3) {
                for (int x = 0; x < image.getWidth() && colours.size() < 2; x += 3) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertThat(colours).as("the screenshot's colours").hasSizeGreaterThan(1);
            assertThat(pageRequests(proxy.requests)).as("requests of the page (all: %s)", proxy.requests).isEmpty();
            assertThat(dom).doesNotContain("google");

            Path fetching = tmp.resolve("fetching.html");
            Files.writeString(fetching, "<!DOCTYPE html><html><body><img src=\"http://192.0.2.1/x.png\"></body></html>");
            chromium(tmp, fetching, port, "--dump-dom");
            assertThat(pageRequests(proxy.requests)).as("a page that fetches an image, seen at the proxy")
                    .anyMatch(r -> r.contains("192.0.2.1"));
            return dom;
        }
    }

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

        String dom = opened(tmp, page, Path.of("target", "report-multipath.png").toAbsolutePath());
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
        assertThat(count(dom, "<tr class=\"path\"")).isEqualTo(result.get("paths").size());
    }

    @Test
    void aTracesAndAMonitorsReportsShowEveryHopAndEveryRound(@TempDir Path tmp) throws Exception {
        Path trace = Path.of("target", "report-trace.html").toAbsolutePath();
        Run t = CLI.run("trace", "--json", "--html", trace.toString(), dest());
        assertThat(t.exitCode()).as("%s%n%s", t.out(), t.err()).isZero();
        int hops = CliRuns.JSON.readTree(t.out()).get("hops").size();
        assertThat(hops).isEqualTo(LAB.lab().hops());
        String dom = opened(tmp, trace, Path.of("target", "report-trace.png").toAbsolutePath());
        assertThat(count(dom, "<tr class=\"hop\"")).isEqualTo(hops);
        assertThat(dom).contains(dest());

        Path monitor = Path.of("target", "report-monitor.html").toAbsolutePath();
        Run m = CLI.run("mtr", "-r", "-c", "10", "-i", "0.1", "--html", monitor.toString(), dest());
        assertThat(m.exitCode()).as("%s%n%s", m.out(), m.err()).isZero();
        String mdom = opened(tmp, monitor, Path.of("target", "report-monitor.png").toAbsolutePath());
        assertThat(mdom).contains("data-rounds=\"10\"");
        assertThat(count(mdom, "<rect class=\"cell\"")).isEqualTo(10 * hops);
        assertThat(count(mdom, "<tr class=\"hop\"")).isEqualTo(hops);
    }

    private static int count(String text, String what) {
        return (text.length() - text.replace(what, "").length()) / what.length();
    }
}
