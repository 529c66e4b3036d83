package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A page opened as a person opens it, in headless Chromium (Debian's {@code chromium}, which build/deps installs),
 * offline: every request Chromium makes goes to a proxy the test owns, which answers none and keeps what it was asked.
 * Shared by the lab tests that open reports and the agent's pages.
 */
final class Chromium {
    private Chromium() {}

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

    /**
     * A proxy that keeps the first line of every request it is sent and answers none. A connection closed before it
     * carried a byte is no request: Chromium opens connections to its proxy ahead of need and closes the idle ones as
     * it exits (ci10 read one as a request of the page, "?"); they are counted apart.
     */
    private static final class Proxy implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger emptyConnections = new AtomicInteger();

        Proxy() throws java.io.IOException {
            Thread accept = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        s.setSoTimeout(2000);
                        byte[] line = new byte[512];
                        int n = s.getInputStream().read(line);
                        if (n <= 0) {
                            emptyConnections.incrementAndGet();
                            continue;
                        }
                        requests.add(new String(line, 0, n, StandardCharsets.ISO_8859_1).lines().findFirst()
                                .orElse("?"));
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
    static String opened(Path tmp, Path page, Path shot) throws Exception {
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
            assertThat(pageRequests(proxy.requests)).as("requests of the page (all: %s; connections closed empty: %d)",
                    proxy.requests, proxy.emptyConnections.get()).isEmpty();
            assertThat(dom).doesNotContain("google");

            Path fetching = tmp.resolve("fetching.html");
            Files.writeString(fetching, "<!DOCTYPE html><html><body><img src=\"http://192.0.2.1/x.png\"></body></html>");
            chromium(tmp, fetching, port, "--dump-dom");
            assertThat(pageRequests(proxy.requests)).as("a page that fetches an image, seen at the proxy")
                    .anyMatch(r -> r.contains("192.0.2.1"));
            return dom;
        }
    }

    /** {@return how often {@code what} occurs in {@code text}} */
    static int count(String text, String what) {
        return (text.length() - text.replace(what, "").length()) / what.length();
    }
}
