package io.pathprobe.lab.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.namespace.TiedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The lab's HTTP/1.1 server ({@link LabBuilder#httpServer(int)}): a small JVM running
 * {@code com.sun.net.httpserver} in a lab namespace. {@link #main} is the server; {@link #start} runs
 * it as a child process and {@link #close()} ends it.
 *
 * <p>{@code GET /} answers 200 with {@link #ROOT_BODY}, {@code GET /small} 200 with
 * {@link #SMALL_BODY} (one byte), other paths 404, other methods than GET and HEAD 405. The server
 * listens on the wildcard address (IPv4 and, where the namespace has it, IPv6). It prints
 * {@code listening} once bound, and exits when its standard input ends: when {@link #close()}
 * closes it, or when the JVM that started it dies. It runs with only the lab module's classes on its
 * class path (it needs nothing else) and a small heap.
 */
public final class LabHttpServer extends TiedServer {
    /** The body of {@code GET /}. */
    public static final String ROOT_BODY = "pathprobe lab\n";
    /** The body of {@code GET /small}: one byte. */
    public static final String SMALL_BODY = "x";
    private static final List<String> JVM_OPTIONS = List.of("-Xmx32m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private LabHttpServer(Process process, String description) {
        super(process, description);
    }

    /**
     * The server: {@code LabHttpServer <port>}. Prints {@code listening} when bound, exits when its
     * standard input ends.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LabHttpServer <port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 1024);
        server.createContext("/", LabHttpServer::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "lab-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        System.out.println("listening");
        System.out.flush();
        InputStream in = System.in;
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
            // whatever comes is ignored; the end of input ends the server
        }
        Runtime.getRuntime().halt(0);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            int status;
            byte[] body;
            if (!method.equals("GET") && !method.equals("HEAD")) {
                status = 405;
                body = "method not allowed\n".getBytes(StandardCharsets.US_ASCII);
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            } else if (path.equals("/")) {
                status = 200;
                body = ROOT_BODY.getBytes(StandardCharsets.US_ASCII);
            } else if (path.equals("/small")) {
                status = 200;
                body = SMALL_BODY.getBytes(StandardCharsets.US_ASCII);
            } else {
                status = 404;
                body = "not found\n".getBytes(StandardCharsets.US_ASCII);
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Where this class was loaded from: the lab module's classes directory or jar. */
    static String ownClassPath() {
        try {
            return Path.of(LabHttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new LabException("cannot tell where the lab's classes are (for the HTTP server's JVM): " + e, e);
        }
    }

    /** Starts the server in {@code namespace} ("" = this one) and returns once it listens. */
    public static LabHttpServer start(String namespace, int port, Duration timeout) {
        List<String> cmd = Namespaces.in(namespace);
        cmd.addAll(Lab.javaCommand(ownClassPath(), JVM_OPTIONS, LabHttpServer.class.getName(),
                List.of(Integer.toString(port))));
        String description = "HTTP server on port " + port + " in "
                + (namespace.isEmpty() ? "this namespace" : namespace);
        TiedProcess tied = TiedProcess.start(cmd, description, timeout,
                line -> line.equals("listening") ? TiedProcess.Line.READY : TiedProcess.Line.MORE, 50);
        return new LabHttpServer(tied.process(), description);
    }

}
