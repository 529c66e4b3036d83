package io.pathprobe.core.internal.ping.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.Failure;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link HttpProbe} against the JDK's HTTP(S) server on 127.0.0.1: nothing leaves the machine. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpProbeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofMillis(1000);
    /**
     * A bound only a hang can break, for outcomes on real time: the loop's timer ends a probe at
     * TIMEOUT, checked in rounds of a millisecond, and an answer read in the deadline's round still
     * counts, so an outcome comes after TIMEOUT plus however late the loop's thread runs, which a
     * loaded machine does not bound. Lower bounds stay exact: a timeout cannot fire before its
     * deadline, an answer the server delays cannot come back sooner.
     */
    private static final Duration LIVENESS = TIMEOUT.multipliedBy(10);
    /**
     * The probe timeout of the TLS exchanges that must be answered: a fresh JVM's first handshake (its crypto set up on
     * first use) took over a second on a host running other builds (TIMEOUT failed the trusted {@code /ok}).
     */
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);

    private final AppProbeLoop loop = new AppProbeLoop();
    private final ExecutorService handlers = Executors.newFixedThreadPool(4);
    private final Map<String, String> requests = new ConcurrentHashMap<>();
    private HttpServer http;
    private @Nullable HttpsServer https;

    @BeforeEach
    void setUp() throws IOException {
        http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
        routes(http);
        http.start();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        loop.close();
        http.stop(0);
        if (https != null) {
            https.stop(0);
        }
        handlers.shutdownNow();
        handlers.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void routes(HttpServer server) {
        server.setExecutor(handlers);
        server.createContext("/ok", x -> respond(x, 200, "hello"));
        server.createContext("/missing", x -> respond(x, 404, "no such page"));
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/ok");
            respond(x, 302, "");
        });
        server.createContext("/slow", x -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(x, 200, "late");
        });
    }

    private void respond(HttpExchange x, int status, String body) throws IOException {
        StringBuilder head = new StringBuilder(x.getRequestMethod() + " " + x.getRequestURI());
        x.getRequestHeaders().forEach((k, v) -> head.append('\n').append(k.toLowerCase()).append(": ").append(v.get(0)));
        requests.put(x.getRequestURI().getPath(), head.toString());
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
    }

    private ProbeOutcome run(HttpProbe.Config config) throws InterruptedException {
        HttpProbe probe = new HttpProbe(loop, config);
        Outcomes o = new Outcomes(loop, 1);
        assertThat(probe.start(3, o)).isTrue();
        ProbeOutcome out = o.single();
        assertThat(out.sequence()).isEqualTo(3);
        return out;
    }

    private ProbeOutcome get(URI url) throws InterruptedException {
        return run(new HttpProbe.Config(url, LOOPBACK, TIMEOUT, null));
    }

    @Test
    void a200IsAReplyTimedToTheFirstByte() throws Exception {
        Reply r = (Reply) get(url("/ok?x=1"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.detail()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.rttNanos()).isPositive().isLessThan(LIVENESS.toNanos());
        assertThat(r.setupNanos()).isPositive();
        assertThat(requests.get("/ok")).startsWith("GET /ok?x=1")
                .contains("connection: close", "host: 127.0.0.1:" + http.getAddress().getPort(),
                        "user-agent: pathprobe");
    }

    @Test
    void a404IsAReplyWithItsStatus() throws Exception {
        Reply r = (Reply) get(url("/missing"));
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.detail()).isEqualTo("HTTP/1.1 404 Not Found");
    }

    @Test
    void aRedirectIsReportedNotFollowed() throws Exception {
        Reply r = (Reply) get(url("/moved"));
        assertThat(r.code()).isEqualTo(302);
        assertThat(requests).containsKey("/moved").doesNotContainKey("/ok");
    }

    @Test
    void aDelayedFirstByteTakesAtLeastTheDelay() throws Exception {
        Reply r = (Reply) get(url("/slow"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.rttNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200))
                .isLessThan(LIVENESS.toNanos());
    }

    @Test
    void aClosedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }
        Failure f = (Failure) get(URI.create("http://127.0.0.1:" + port + "/"));
        assertThat(f.kind()).as(f.detail()).isEqualTo(FailureKind.REFUSED); // the RST, not the timeout
        assertThat(f.elapsedNanos()).isLessThan(LIVENESS.toNanos());
    }

    @Test
    void aServerThatNeverAnswersIsATimeout() throws Exception {
        // the kernel completes the handshake (backlog); nobody accepts, reads or answers
        try (ServerSocket silent = new ServerSocket(0, 10, LOOPBACK)) {
            Failure f = (Failure) get(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"));
            assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(f.detail()).contains("waiting for the response");
            assertThat(f.elapsedNanos()).isGreaterThanOrEqualTo(TIMEOUT.toNanos()).isLessThan(LIVENESS.toNanos());
        }
    }

    @Test
    void aServerThatAcceptsAndClosesIsClosed() throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 10, LOOPBACK)) {
            Thread t = new Thread(() -> {
                try (var s = rude.accept(); InputStream in = s.getInputStream()) {
                    in.read(); // the request, then close without a word
                } catch (IOException e) {
                    // the test fails on its own
                }
            });
            t.start();
            Failure f = (Failure) get(URI.create("http://127.0.0.1:" + rude.getLocalPort() + "/"));
            assertThat(f.kind()).as(f.detail()).isEqualTo(FailureKind.CLOSED);
            t.join(2000);
        }
    }

    @Test
    void somethingElseThanHttpIsMalformed() throws Exception {
        try (ServerSocket smtp = new ServerSocket(0, 10, LOOPBACK)) {
            Thread t = new Thread(() -> {
                try (var s = smtp.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("220 mail.lab.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read();
                } catch (IOException e) {
                    // the test fails on its own
                }
            });
            t.start();
            Failure f = (Failure) get(URI.create("http://127.0.0.1:" + smtp.getLocalPort() + "/"));
            assertThat(f.kind()).as(f.detail()).isEqualTo(FailureKind.MALFORMED);
            t.join(2000);
        }
    }

    @Test
    void httpsAgainstASelfSignedCertificateTrustedByTheTestOnly(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore ks = selfSigned(dir, password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
        https = server;
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        routes(server);
        server.start();

        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
        int port = server.getAddress().getPort();

        Reply ok = (Reply) run(new HttpProbe.Config(URI.create("https://localhost:" + port + "/ok"),
                LOOPBACK, HANDSHAKE, clientTls));
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.setupNanos()).as("connect and handshake").isPositive();
        assertThat(requests.get("/ok")).contains("host: localhost:" + port);

        Reply missing = (Reply) run(new HttpProbe.Config(URI.create("https://localhost:" + port + "/missing"),
                LOOPBACK, HANDSHAKE, clientTls));
        assertThat(missing.code()).isEqualTo(404);

        Reply slow = (Reply) run(new HttpProbe.Config(URI.create("https://127.0.0.1:" + port + "/slow"),
                LOOPBACK, HANDSHAKE, clientTls));
        assertThat(slow.code()).as("the certificate names 127.0.0.1 too").isEqualTo(200);
        assertThat(slow.rttNanos()).as("the handshake is not in the RTT, the delay is")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200)).isLessThan(LIVENESS.toNanos());

        // the JDK's own trust store does not know the test's certificate
        Failure untrusted = (Failure) run(new HttpProbe.Config(URI.create("https://localhost:" + port + "/ok"),
                LOOPBACK, HANDSHAKE, null));
        assertThat(untrusted.kind()).as(untrusted.detail()).isEqualTo(FailureKind.TLS);
        // nor is the certificate good for another name
        Failure wrongName = (Failure) run(new HttpProbe.Config(URI.create("https://other.lab.test:" + port + "/ok"),
                LOOPBACK, HANDSHAKE, clientTls));
        assertThat(wrongName.kind()).as(wrongName.detail()).isEqualTo(FailureKind.TLS);
    }

    /** A key pair and self-signed certificate for localhost and 127.0.0.1, made by the JDK's keytool. */
    static KeyStore selfSigned(Path dir, char[] password) throws Exception {
        Path file = dir.resolve("test.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(password), "-keypass", new String(password))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    @Test
    void manyAtOnceOnOneThread() throws Exception {
        HttpProbe probe = new HttpProbe(loop, new HttpProbe.Config(url("/ok"), LOOPBACK, Duration.ofSeconds(10), null));
        Outcomes o = new Outcomes(loop, 40);
        for (int i = 0; i < 40; i++) {
            assertThat(probe.start(i, o)).isTrue();
        }
        List<ProbeOutcome> all = o.await(20);
        assertThat(all).hasSize(40).allSatisfy(out -> assertThat(((Reply) out).code()).isEqualTo(200));
        assertThat(Outcomes.appProbeThreads()).isEqualTo(1);
    }
}
