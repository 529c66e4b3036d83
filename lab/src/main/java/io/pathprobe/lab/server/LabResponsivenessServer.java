package io.pathprobe.lab.server;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.namespace.TiedProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * pathprobe's responsiveness server ({@code io.pathprobe.server.ResponsivenessServer}, in the
 * bufferbloat module) run in a lab namespace ({@link Lab#responsivenessServer}). The lab module cannot
 * depend on it (its tests depend on the lab), so the server is started by class name in a JVM with the
 * calling JVM's class path, which in the bufferbloat module's and the CLI's tests and in the benchmark
 * has it.
 * Its life is tied to this JVM by its standard input (a {@link TiedProcess}); it is ready once it
 * prints its ready line ({@code ready <configuration URL>}; it runs with {@code --until-eof});
 * {@link #close()} ends it.
 */
public final class LabResponsivenessServer extends TiedServer {
    /** The server's main class. */
    public static final String MAIN_CLASS = "io.pathprobe.server.ResponsivenessServer";
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    /** How the server speaks. */
    public enum Mode {
        /** HTTP/2 and HTTP/1.1 over TLS (ALPN), a self-signed certificate: the normal server. */
        TLS,
        /** Plain HTTP (HTTP/1.1 and h2c prior knowledge), no TLS. */
        PLAIN,
        /** TLS, HTTP/1.1 only (no h2 in ALPN): the fallback case. */
        TLS_HTTP1_ONLY,
        /** Plain HTTP/1.1 only. */
        PLAIN_HTTP1_ONLY;

        boolean tls() {
            return this == TLS || this == TLS_HTTP1_ONLY;
        }

        boolean http1Only() {
            return this == TLS_HTTP1_ONLY || this == PLAIN_HTTP1_ONLY;
        }
    }

    private final TiedProcess tied;
    private final URI configUrl;

    private LabResponsivenessServer(TiedProcess tied, URI configUrl, String description) {
        super(tied.process(), description);
        this.tied = tied;
        this.configUrl = configUrl;
    }

    /** The arguments of the server's main for this address, port and mode. */
    static List<String> arguments(String address, int port, Mode mode) {
        List<String> args = new ArrayList<>(List.of("--listen", address + ":" + port, "--until-eof"));
        if (!mode.tls()) {
            args.add("--plain");
        }
        if (mode.http1Only()) {
            args.add("--http1-only");
        }
        return args;
    }

    /**
     * What an output line of the server says: {@code ready <configuration URL>} once it listens;
     * {@code pathprobe-nq: <problem>} (but the self-signed notice), an exception or a missing class is fatal.
     */
    static TiedProcess.Line classify(String line) {
        String l = line.toLowerCase(Locale.ROOT);
        if (l.startsWith("ready ")) {
            return TiedProcess.Line.READY;
        }
        if ((l.startsWith("pathprobe-nq:") && !l.contains("self-signed")) || l.contains("exception")
                || l.contains("could not find or load main class") || l.startsWith("usage")) {
            return TiedProcess.Line.FATAL;
        }
        return TiedProcess.Line.MORE;
    }

    /** The niceness the lab gives the server unless asked otherwise. */
    public static final int DEFAULT_NICE = 19;

    public static LabResponsivenessServer start(String namespace, String address, int port, Mode mode,
            int nice, Duration timeout) {
        List<String> cmd = Namespaces.in(namespace);
        // niced (by default): in the lab the server shares this machine's CPUs with the client under test, where
        // a real one is elsewhere; at ~100 Mbit/s of TLS it wants a core, and left at the client's priority it
        // delays the client's probe engine by milliseconds (CFS), which no real server could do. On 2 vCPUs at
        // 100 Mbit/s the niced server is what runs short (bench/README, "CUBIC, and 100 Mbit/s")
        cmd.addAll(List.of("nice", "-n", Integer.toString(nice)));
        cmd.addAll(Lab.javaCommand(System.getProperty("java.class.path"), JVM_OPTIONS, MAIN_CLASS,
                arguments(address, port, mode)));
        String description = "responsiveness server (" + mode + ") on " + address + ":" + port + " in "
                + (namespace.isEmpty() ? "this namespace" : namespace);
        java.util.concurrent.atomic.AtomicReference<String> ready = new java.util.concurrent.atomic.AtomicReference<>();
        TiedProcess tied = TiedProcess.start(cmd, description, timeout, line -> {
            TiedProcess.Line kind = classify(line);
            if (kind == TiedProcess.Line.READY) {
                ready.set(line.substring("ready ".length()).strip());
            }
            return kind;
        }, 50);
        URI url = ready.get() != null && !ready.get().isEmpty() ? URI.create(ready.get())
                : URI.create((mode.tls() ? "https" : "http") + "://" + address + ":" + port + "/.well-known/nq");
        return new LabResponsivenessServer(tied, url, description);
    }

    /** Its configuration URL, {@code https://198.19.0.1:<port>/.well-known/nq} (http for a plain server). */
    public URI configUrl() {
        return configUrl;
    }

    /** The last lines it printed (its log). */
    public String lastLines() {
        return tied.lastLines();
    }
}
