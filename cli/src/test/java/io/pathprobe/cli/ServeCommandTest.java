package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code pathprobe serve}: its argument errors, and a plain server started, used and stopped (loopback). */
@JarTest
class ServeCommandTest {
    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);

    @Test
    void badArgumentsExitTwo() {
        for (String[] args : List.of(
                new String[] {"serve"},
                new String[] {"serve", "--listen", "localhost:4443"}, // a name: nothing is looked up
                new String[] {"serve", "--listen", "127.0.0.1"},
                new String[] {"serve", "--listen", "127.0.0.1:70000"},
                new String[] {"serve", "--listen", "::1:4443"},
                new String[] {"serve", "--listen", "300.0.0.1:4443"},
                new String[] {"serve", "--listen", "127.0.0.1:0", "--cert", "cert.pem"},
                new String[] {"serve", "--listen", "127.0.0.1:0", "--plain", "--http1-only"},
                new String[] {"serve", "--listen", "127.0.0.1:0", "--cert", "/nonexistent/c.pem", "--key", "/nonexistent/k.pem"},
                new String[] {"serve", "--listen", "127.0.0.1:0", "--name", "bad name"},
                new String[] {"serve", "--listen", "192.0.2.1:4443"})) { // not this host's: the bind fails, nothing is sent
            Run r = CLI.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).isNotBlank();
        }
    }

    @Test
    void servesUntilEndOfInput() throws Exception {
        Process p = CLI.call().command("serve", "--listen", "127.0.0.1:0", "--plain", "--until-eof")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = lines.readLine();
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/\\.well-known/nq");
            assertThat(lines.readLine()).startsWith("HTTP/1.1; stop with Ctrl-C");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"small_download_url\":\"" + url.replace("/.well-known/nq", "/small") + "\"");
            p.getOutputStream().close(); // end of input: the server stops, every thread of its own with it
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("it ends at the end of its input").isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
