package io.pathprobe.cli;

import io.pathprobe.server.ResponsivenessServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pathprobe serve}: a responsiveness server (draft-ietf-ippm-responsiveness-09) for
 * {@code pathprobe bufferbloat}, {@code networkQuality -C} and goresponsiveness, until Ctrl-C (or the
 * end of standard input, when it is a terminal or with {@code --until-eof}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run a responsiveness server (draft-ietf-ippm-responsiveness-09): /.well-known/nq, /small, "
                + "/large, /upload; HTTP/2 and HTTP/1.1 over TLS (a self-signed certificate unless --cert/--key), "
                + "or plain HTTP/1.1. Prints the configuration URL, serves until Ctrl-C.",
            "Exit code 0 when stopped, 2 for bad input or an address that cannot be listened on."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT",
            description = "Address and port to listen on: an IP address (IPv6 in brackets, e.g. [::1]:4443; "
                    + "0.0.0.0 for all), port 0 for any free one.")
    String listen = "";

    @Option(names = "--plain", description = "Plain HTTP/1.1, no TLS.")
    boolean plain;

    @Option(names = "--http1-only", description = "Offer only HTTP/1.1 over TLS (no h2), to test clients' fallbacks.")
    boolean http1Only;

    @Option(names = "--cert", paramLabel = "FILE", description = "Certificate chain, PEM (with --key).")
    @Nullable Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "Private key, PEM, unencrypted PKCS#8 "
            + "(BEGIN PRIVATE KEY, what openssl req -nodes writes).")
    @Nullable Path key;

    @Option(names = "--name", paramLabel = "HOST", description = "Host name (or address) for the URLs when a "
            + "request does not name one, and for the self-signed certificate; repeat for more certificate names.")
    List<String> names = new ArrayList<>();

    @Option(names = "--test-endpoint", paramLabel = "HOST", description = "The configuration's test_endpoint: "
            + "where clients connect, whatever the URLs' host.")
    @Nullable String testEndpoint;

    @Option(names = "--until-eof", description = "Also stop when standard input ends (a terminal's Ctrl-D does "
            + "this without the option).")
    boolean untilEof;

    /** A usage error naming the option unless {@code file} is null or a readable regular file. */
    private static void readable(String option, @Nullable Path file) {
        if (file == null) {
            return;
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": "
                    + (java.nio.file.Files.exists(file) ? "not a file" : "no such file"));
        }
        if (!java.nio.file.Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + ": permission denied");
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        InputStream in = System.in;
        InetSocketAddress address = ResponsivenessServer.parseListen(listen); // IllegalArgumentException: exit 2
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        if (plain && (cert != null || http1Only)) {
            throw new IllegalArgumentException("--plain excludes --cert, --key and --http1-only (plain is HTTP/1.1)");
        }
        readable("--cert", cert);
        readable("--key", key);
        ResponsivenessServer.Builder b = ResponsivenessServer.builder().bind(address).tls(!plain).http1Only(http1Only);
        if (cert != null && key != null) {
            b.certificate(cert, key);
        }
        for (int i = 0; i < names.size(); i++) {
            if (i == 0) {
                b.hostName(names.get(i));
            } else {
                b.certificateNames(names.get(i));
            }
        }
        if (testEndpoint != null) {
            b.testEndpoint(testEndpoint);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (ResponsivenessServer server = b.build()) {
            try {
                server.start();
            } catch (IOException e) {
                throw new IllegalArgumentException(PathProbeCli.message(e), e);
            }
            Thread hook = new Thread(() -> {
                stop.countDown();
                server.close();
            }, "pathprobe-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println(server.urls().config());
            if (address.getAddress().isAnyLocalAddress()) {
                out.println("listening on every address of this host: the URL works with any of them");
            }
            if (server.selfSigned()) {
                out.println("TLS with a self-signed certificate: clients need --insecure "
                        + "(pathprobe bufferbloat --url URL --insecure; networkQuality -k)");
            }
            out.println((plain ? "HTTP/1.1" : http1Only ? "HTTP/1.1 over TLS" : "HTTP/2 and HTTP/1.1 over TLS")
                    + "; stop with Ctrl-C" + (untilEof || System.console() != null ? " or end of input" : ""));
            out.flush();
            if (untilEof || System.console() != null) {
                Thread eof = new Thread(() -> {
                    try {
                        while (in.read() >= 0) {
                            // ignored: only the end counts
                        }
                    } catch (IOException e) {
                        // as the end
                    }
                    stop.countDown();
                }, "pathprobe-serve-stdin");
                eof.setDaemon(true);
                eof.start();
            }
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook closes the server
            }
        }
        return 0;
    }
}
