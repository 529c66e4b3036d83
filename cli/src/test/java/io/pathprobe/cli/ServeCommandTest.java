package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code pathprobe serve}: its argument errors, and a plain server started, used and stopped (loopback). */
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
            Run r = CLI.inProcess(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).isNotBlank();
        }
    }

    @Test
    void servesUntilEndOfInput() throws Exception {
        PrintStream out = System.out;
        InputStream in = System.in;
        PipedOutputStream stdin = new PipedOutputStream();
        PipedInputStream stdout = new PipedInputStream(1 << 16);
        System.setIn(new PipedInputStream(stdin));
        System.setOut(new PrintStream(new PipedOutputStream(stdout), true, StandardCharsets.UTF_8));
        try {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> PathProbeCli.run("serve", "--listen", "127.0.0.1:0", "--plain", "--until-eof"));
            BufferedReader lines = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
            String url = lines.readLine();
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/\\.well-known/nq");
            assertThat(lines.readLine()).startsWith("HTTP/1.1; stop with Ctrl-C");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"small_download_url\":\"" + url.replace("/.well-known/nq", "/small") + "\"");
            stdin.close();
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                    .map(Thread::getName).filter(n -> n.startsWith("pathprobe-nq"))).isEmpty();
        } finally {
            System.setOut(out);
            System.setIn(in);
        }
    }
}
