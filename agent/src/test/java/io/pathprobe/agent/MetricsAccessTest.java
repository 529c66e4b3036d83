package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pathprobe.agent.AgentConfig.MetricsSettings;
import io.pathprobe.agent.metrics.AgentMetrics;
import io.pathprobe.agent.metrics.MetricsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoint's basic authentication and TLS, as the schedule configures them, on loopback. */
@org.junit.jupiter.api.Timeout(120)
class MetricsAccessTest {
    static MetricsSettings metrics(String yaml) {
        return AgentConfig.parse(yaml + "jobs:\n  - {name: a, kind: trace, target: 198.18.0.1, interval: 60s}\n",
                "t.yaml").metrics().orElseThrow();
    }

    static MetricsServer start(MetricsSettings m) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return MetricsServer.start(new InetSocketAddress(m.host(), m.port()), m.path(), registry,
                new AgentMetrics(registry), m.access().options(m.readTimeout()), MetricsServer.Pages.NONE);
    }

    static int status(HttpClient client, String uri, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
        if (credentials != null) {
            b.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void basicAuthenticationWithAPasswordFromAFileAndHttpsFromAKeystore(@TempDir Path dir) throws Exception {
        Path password = dir.resolve("password");
        Files.writeString(password, "s3cret\n");
        Path keystore = dir.resolve("server.p12");
        Path keystorePassword = dir.resolve("keystore-password");
        Files.writeString(keystorePassword, "changeit\n");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();

        MetricsSettings m = metrics("metrics: {port: 0, user: prom, passwordFile: " + password + ", keystore: "
                + keystore + ", keystorePasswordFile: " + keystorePassword + ", readTimeout: 5s}\n");
        assertThat(m.host()).isEqualTo("127.0.0.1");
        assertThat(m.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
        try (MetricsServer server = start(m)) {
            String base = "https://127.0.0.1:" + server.address().getPort();
            assertThat(status(client, base + "/metrics", null)).isEqualTo(401);
            assertThat(status(client, base + "/", null)).isEqualTo(401);
            assertThat(status(client, base + "/metrics", "prom:wrong")).isEqualTo(401);
            assertThat(status(client, base + "/metrics", "prom:s3cret")).isEqualTo(200);
            // plain HTTP on the TLS port gets no scrape
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(() -> status(plain, "http://127.0.0.1:" + server.address().getPort() + "/metrics",
                    "prom:s3cret")).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void secretsAreCheckedAndGoWithWhatNeedsThem(@TempDir Path dir) {
        assertThat(metrics("metrics: {port: 0}\n").access()).isEqualTo(MetricsAccess.OPEN);
        assertThatThrownBy(() -> metrics("metrics: {port: 0, user: prom}\n"))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> metrics("metrics: {port: 0, user: prom, passwordFile: a, passwordEnv: B}\n"))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> metrics("metrics: {port: 0, password: x}\n"))
                .isInstanceOf(AgentConfigException.class);
        // read when the schedule is read, so that --check refuses what start would
        assertThatThrownBy(() -> metrics("metrics: {port: 0, user: prom, passwordFile: " + dir.resolve("none") + "}\n"))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> metrics("metrics: {port: 0, user: prom, passwordEnv: PATHPROBE_TEST_UNSET_VARIABLE}\n"))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("is not set");
    }
}
