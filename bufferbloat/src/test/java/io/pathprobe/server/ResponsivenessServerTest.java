package io.pathprobe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The responsiveness server on loopback, with the JDK's HTTP client (HTTP/2 and HTTP/1.1). */
class ResponsivenessServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** A client that trusts exactly the server's certificate (so its subjectAltName is checked too). */
    static HttpClient client(ResponsivenessServer server, HttpClient.Version version) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5));
        if (server.tls()) {
            b.sslContext(trusting(server.certificate().orElseThrow()));
        }
        return b.build();
    }

    static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept-Encoding", "identity");
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    @Test
    void configurationSmallAndUploadOverHttp2() throws Exception {
        try (ResponsivenessServer server = ResponsivenessServer.builder().bind(LOOPBACK, 0).build()) {
            InetSocketAddress a = server.start();
            assertThat(a.getPort()).isPositive();
            HttpClient c = client(server, HttpClient.Version.HTTP_2);
            URI config = server.urls().config();
            assertThat(config.toString()).isEqualTo("https://127.0.0.1:" + a.getPort() + "/.well-known/nq");

            HttpResponse<String> r = c.send(get(config).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
            assertThat(r.headers().firstValue("content-encoding")).isEmpty();
            String json = r.body();
            assertThat(json).startsWith("{\"version\":1,");
            String base = "https://127.0.0.1:" + a.getPort();
            assertThat(field(json, "large_download_url")).isEqualTo(base + "/large");
            assertThat(field(json, "small_download_url")).isEqualTo(base + "/small");
            assertThat(field(json, "upload_url")).isEqualTo(base + "/upload");
            assertThat(json).doesNotContain("test_endpoint");

            HttpResponse<String> alias = c.send(get(server.urls().config().resolve("/config")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(alias.body()).isEqualTo(json);

            // the URLs of the configuration are the ones that work
            HttpResponse<byte[]> small = c.send(get(URI.create(field(json, "small_download_url"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(small.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(small.body()).hasSize(1);
            assertThat(small.headers().firstValue("content-type")).hasValue("application/octet-stream");
            assertThat(small.headers().firstValue("cache-control")).hasValue("no-store");

            byte[] body = new byte[20 * 1024 * 1024];
            long t0 = System.nanoTime();
            HttpResponse<String> up = c.send(HttpRequest.newBuilder(URI.create(field(json, "upload_url")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.printf("upload 20 MiB over h2+TLS: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body().trim()).isEqualTo(Integer.toString(body.length));
            assertThat(up.headers().firstValue("cache-control")).hasValue("no-store");

            HttpResponse<String> missing = c.send(get(config.resolve("/nothing")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            HttpResponse<String> wrong = c.send(HttpRequest.newBuilder(config.resolve("/small"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(405);
            HttpResponse<byte[]> query = c.send(get(config.resolve("/small?nonce=17")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(query.body()).hasSize(1);
        }
    }

    @Test
    void largeStreamsFastAndStopsWhenTheClientCancels() throws Exception {
        try (ResponsivenessServer server = ResponsivenessServer.builder().build()) {
            server.start();
            for (HttpClient.Version v : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
                HttpClient c = client(server, v);
                HttpResponse<InputStream> r = c.send(get(server.urls().large()).build(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(v);
                assertThat(r.headers().firstValue("content-type")).hasValue("application/octet-stream");
                assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
                assertThat(r.headers().firstValue("content-encoding")).isEmpty();
                long t0 = System.nanoTime();
                long n = 0;
                byte[] buf = new byte[256 * 1024];
                byte[] first = null;
                try (InputStream in = r.body()) {
                    while (n < 50L * 1024 * 1024) {
                        int k = in.read(buf);
                        assertThat(k).isPositive();
                        if (first == null) {
                            first = java.util.Arrays.copyOf(buf, k);
                        }
                        n += k;
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("large over %s: 50 MiB in %.2f s = %.0f Mbit/s%n", v, s, n * 8 / s / 1e6);
                assertThat(s).isLessThan(20);
                // incompressible: random bytes
                java.util.zip.Deflater d = new java.util.zip.Deflater();
                d.setInput(first);
                d.finish();
                byte[] out = new byte[first.length * 2];
                int z = d.deflate(out);
                assertThat(z).isGreaterThan(first.length * 95 / 100);
            }
            // the cancelled streams end: no load request stays counted
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.loadRequests() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.loadRequests()).isZero();
        }
    }

    @Test
    void http1OnlyNegotiatesHttp11() throws Exception {
        try (ResponsivenessServer server = ResponsivenessServer.builder().http1Only().build()) {
            server.start();
            HttpClient c = client(server, HttpClient.Version.HTTP_2);
            HttpResponse<String> r = c.send(get(server.urls().config()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            HttpResponse<String> up = c.send(HttpRequest.newBuilder(server.urls().upload())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3_000_000])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(up.body().trim()).isEqualTo("3000000");
            assertThat(up.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void plainHttp() throws Exception {
        try (ResponsivenessServer server = ResponsivenessServer.builder().plain().build()) {
            InetSocketAddress a = server.start();
            assertThat(server.certificate()).isEmpty();
            HttpClient c = client(server, HttpClient.Version.HTTP_1_1);
            HttpResponse<String> r = c.send(get(server.urls().config()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(field(r.body(), "small_download_url")).isEqualTo("http://127.0.0.1:" + a.getPort() + "/small");
            HttpResponse<byte[]> small = c.send(get(server.urls().small()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(small.body()).hasSize(1);
            HttpResponse<String> up = c.send(HttpRequest.newBuilder(server.urls().upload())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[20 * 1024 * 1024])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(up.body().trim()).isEqualTo(Integer.toString(20 * 1024 * 1024));
            // keep-alive: several requests on one connection
            try (Socket s = new Socket(LOOPBACK, a.getPort())) {
                OutputStream o = s.getOutputStream();
                o.write(("GET /small HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                o.flush();
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(3);
            }
        }
    }

    @Test
    void configurationFollowsTheHostHeaderAndNamesTheTestEndpoint() throws Exception {
        try (ResponsivenessServer server = ResponsivenessServer.builder().plain().hostName("nq.example")
                .testEndpoint("127.0.0.1").build()) {
            InetSocketAddress a = server.start();
            assertThat(server.urls().config().toString()).isEqualTo("http://nq.example:" + a.getPort() + "/.well-known/nq");
            assertThat(rawGet(a, "/.well-known/nq", "Host: other.example:8443\r\n"))
                    .contains("\"large_download_url\":\"http://other.example:8443/large\"")
                    .contains("\"test_endpoint\":\"127.0.0.1\"");
            // a Host header that is no host name is not echoed
            assertThat(rawGet(a, "/.well-known/nq", "Host: a\"b\r\n"))
                    .contains("\"upload_url\":\"http://nq.example:" + a.getPort() + "/upload\"");
        }
    }

    static String rawGet(InetSocketAddress a, String path, String headers) throws IOException {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void givenCertificateAndKey(@TempDir Path dir) throws Exception {
        SelfSigned.Generated g = SelfSigned.generate(List.of("127.0.0.1", "nq.example"), Duration.ofDays(2));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, g.certificatePem());
        Files.writeString(key, g.keyPem());
        try (ResponsivenessServer server = ResponsivenessServer.builder().certificate(cert, key).build()) {
            server.start();
            assertThat(server.selfSigned()).isFalse();
            assertThat(server.certificate()).hasValue(g.certificate());
            HttpClient c = HttpClient.newBuilder().sslContext(trusting(g.certificate())).build();
            HttpResponse<byte[]> r = c.send(get(server.urls().small()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.body()).hasSize(1);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
        Files.writeString(key, "not a key");
        try (ResponsivenessServer server = ResponsivenessServer.builder().certificate(cert, key).build()) {
            assertThatThrownBy(server::start).isInstanceOf(IOException.class);
        }
    }

    @Test
    void selfSignedCertificateNamesItsHosts() throws Exception {
        SelfSigned.Generated g = SelfSigned.generate(List.of("nq.example", "192.0.2.7", "2001:db8::7"), Duration.ofDays(2));
        X509Certificate c = g.certificate();
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=nq.example");
        assertThat(c.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList())
                .containsExactly("nq.example", "192.0.2.7", "2001:db8:0:0:0:0:0:7");
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(c.getBasicConstraints()).isEqualTo(-1);
        c.checkValidity();
        assertThat(c.getVersion()).isEqualTo(3);
    }

    @Test
    void manyConcurrentLoadConnectionsAndProbes() throws Exception {
        try (ResponsivenessServer server = ResponsivenessServer.builder().build()) {
            server.start();
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                List<Future<Long>> loads = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    HttpClient c = client(server, i % 4 == 3 ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2);
                    boolean upload = i % 5 == 4;
                    loads.add(pool.submit(() -> {
                        if (upload) {
                            HttpResponse<String> r = c.send(HttpRequest.newBuilder(server.urls().upload())
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[8 * 1024 * 1024])).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            return Long.parseLong(r.body().trim());
                        }
                        HttpResponse<InputStream> r = c.send(get(server.urls().large()).build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                        long n = 0;
                        byte[] buf = new byte[64 * 1024];
                        try (InputStream in = r.body()) {
                            while (n < 8 * 1024 * 1024) {
                                n += in.read(buf);
                            }
                        }
                        return n;
                    }));
                }
                HttpClient probes = client(server, HttpClient.Version.HTTP_2);
                List<CompletableFuture<HttpResponse<byte[]>>> small = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    small.add(probes.sendAsync(get(server.urls().small()).build(), HttpResponse.BodyHandlers.ofByteArray()));
                }
                for (Future<Long> f : loads) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(8L * 1024 * 1024);
                }
                for (CompletableFuture<HttpResponse<byte[]>> f : small) {
                    assertThat(f.get(30, TimeUnit.SECONDS).body()).hasSize(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void busyServerAnswers429WithRetryAfter() throws Exception {
        try (ResponsivenessServer server = ResponsivenessServer.builder().plain().maxLoadRequests(1).build()) {
            InetSocketAddress a = server.start();
            try (Socket s = new Socket(LOOPBACK, a.getPort())) {
                s.getOutputStream().write("GET /large HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().read(new byte[100]); // the first is streaming
                String second = rawGet(a, "/large", "Host: a\r\n");
                assertThat(second).startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after: 5");
                assertThat(rawGet(a, "/small", "Host: a\r\n")).startsWith("HTTP/1.1 200"); // probes still served
            }
        }
    }

    /** A reader that stops reading stops the server: it holds at most a bounded amount for it. */
    @Test
    void pausedReaderIsNotBufferedWithoutBound() throws Exception {
        try (ResponsivenessServer server = ResponsivenessServer.builder().plain().build()) {
            InetSocketAddress a = server.start();
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(64 * 1024);
                s.connect(a);
                s.getOutputStream().write("GET /large HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                long q2 = pausedAt(server, in, "HTTP/1.1");
                assertThat(q2).isLessThan(32L * 1024 * 1024); // kernel buffers and the in-flight bound, not more
                // reading again resumes it
                long n = 0;
                byte[] buf = new byte[64 * 1024];
                while (n < 16L * 1024 * 1024) {
                    n += in.read(buf);
                }
                assertThat(server.largeBytesQueued()).isGreaterThan(q2);
            }
        }
        try (ResponsivenessServer server = ResponsivenessServer.builder().build()) {
            server.start();
            HttpClient c = client(server, HttpClient.Version.HTTP_2);
            HttpResponse<InputStream> r = c.send(get(server.urls().large()).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            try (InputStream in = r.body()) {
                long q2 = pausedAt(server, in, "HTTP/2");
                assertThat(q2).isLessThan(128L * 1024 * 1024); // the client's flow-control window and buffers
            }
        }
    }

    /**
     * Reads a little of the large download from {@code in}, then stops reading: what the server queues stops growing,
     * within its in-flight bound. Returns the bytes queued then.
     */
    private static long pausedAt(ResponsivenessServer server, InputStream in, String reader) throws Exception {
        in.read(new byte[1000]);
        Thread.sleep(1500);
        long q1 = server.largeBytesQueued();
        Thread.sleep(1000);
        long q2 = server.largeBytesQueued();
        System.out.printf("paused %s reader: %d bytes queued, %d on the socket%n", reader, q2, server.largeBytesSent());
        assertThat(q2).isEqualTo(q1); // stopped
        assertThat(q2 - server.largeBytesSent()).isLessThanOrEqualTo(NqHandler.MAX_IN_FLIGHT);
        return q2;
    }

    @Test
    void closeReleasesEveryThreadAndThePort() throws Exception {
        ResponsivenessServer server = ResponsivenessServer.builder().build();
        InetSocketAddress a = server.start();
        HttpClient c = client(server, HttpClient.Version.HTTP_2);
        HttpResponse<InputStream> r = c.send(get(server.urls().large()).build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().read(new byte[1000]); // a connection streaming when the server closes
        assertThat(serverThreads()).isNotEmpty();
        server.close();
        assertThat(serverThreads()).isEmpty();
        assertThatThrownBy(() -> new Socket(a.getAddress(), a.getPort()).close()).isInstanceOf(ConnectException.class);
        server.close(); // idempotent
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        r.body().close();
    }

    static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("pathprobe-nq")).toList();
    }

    @Test
    void bindFailureIsAnIOExceptionAndLeavesNoThread() throws Exception {
        try (ResponsivenessServer first = ResponsivenessServer.builder().plain().build()) {
            InetSocketAddress a = first.start();
            ResponsivenessServer second = ResponsivenessServer.builder().plain().bind(a).build();
            assertThatThrownBy(second::start).isInstanceOf(IOException.class);
            second.close();
        }
        assertThat(serverThreads()).isEmpty();
    }

    @Test
    void listenAddresses() {
        assertThat(ResponsivenessServer.parseListen("127.0.0.1:4443")).isEqualTo(new InetSocketAddress(LOOPBACK, 4443));
        assertThat(ResponsivenessServer.parseListen("[::1]:0").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(ResponsivenessServer.parseListen("0.0.0.0:80").getAddress().isAnyLocalAddress()).isTrue();
        for (String bad : List.of("localhost:80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "::1:80", "300.1.1.1:80",
                "[127.0.0.1]:80", ":80", "1.2.3.4:x")) {
            assertThatThrownBy(() -> ResponsivenessServer.parseListen(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void mainPrintsOneReadyLineAndStopsAtEndOfInput() throws Exception {
        PipedOutputStream stdinWriter = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(stdinWriter);
        PipedInputStream stdoutReader = new PipedInputStream();
        PrintStream stdout = new PrintStream(new PipedOutputStream(stdoutReader), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ServerProcess.run(
                new String[] {"--listen", "127.0.0.1:0", "--until-eof", "--name", "127.0.0.1"}, stdin, stdout,
                new PrintStream(stderr, true, StandardCharsets.UTF_8)));
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(stdoutReader, StandardCharsets.UTF_8)).readLine();
        assertThat(line).matches("ready https://127\\.0\\.0\\.1:\\d+/\\.well-known/nq");
        URI config = URI.create(line.substring("ready ".length()));
        HttpClient c = HttpClient.newBuilder().sslContext(TrustAll.context()).build();
        assertThat(c.send(get(config).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("self-signed");
        stdinWriter.close();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(serverThreads()).isEmpty();
    }

    @Test
    void mainRejectsBadArguments() {
        for (String[] args : List.of(new String[] {}, new String[] {"--listen", "nope"}, new String[] {"--bogus"},
                new String[] {"--listen", "127.0.0.1:0", "--cert", "x"},
                new String[] {"--listen", "127.0.0.1:0", "--plain", "--cert", "a", "--key", "b"},
                new String[] {"--listen", "192.0.2.1:4443"})) { // not an address of this host: bind fails
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = ServerProcess.run(args, InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("pathprobe-nq: ");
        }
        assertThat(serverThreads()).isEmpty();
    }
}
