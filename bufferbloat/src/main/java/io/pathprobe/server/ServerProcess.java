package io.pathprobe.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link ResponsivenessServer} as a process ({@link ResponsivenessServer#main}): its arguments, the line
 * it prints when ready, and the wait until it is stopped or its standard input ends.
 */
final class ServerProcess {
    private ServerProcess() {
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        ResponsivenessServer.Builder builder = ResponsivenessServer.builder();
        boolean untilEof = false;
        String listen = null;
        Path cert = null;
        Path key = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--listen" -> listen = value(args, ++i, a);
                    case "--plain" -> builder.plain();
                    case "--http1-only" -> builder.http1Only();
                    case "--cert" -> cert = Path.of(value(args, ++i, a));
                    case "--key" -> key = Path.of(value(args, ++i, a));
                    case "--name" -> {
                        String n = value(args, ++i, a);
                        if (builder.hostName == null) {
                            builder.hostName(n);
                        } else {
                            builder.certificateNames(n);
                        }
                    }
                    case "--test-endpoint" -> builder.testEndpoint(value(args, ++i, a));
                    case "--until-eof" -> untilEof = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            if (listen == null) {
                throw new IllegalArgumentException("--listen ADDR:PORT is required");
            }
            builder.bind(ResponsivenessServer.parseListen(listen));
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("--cert and --key go together");
            }
            if (cert != null) {
                builder.certificate(cert, key);
            }
            builder.build();
        } catch (IllegalArgumentException e) {
            err.println("pathprobe-nq: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ResponsivenessServer server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            err.println("pathprobe-nq: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            server.close();
        }, "pathprobe-nq-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (server.selfSigned()) {
            err.println("pathprobe-nq: self-signed certificate; clients need --insecure (or to trust it)");
        }
        out.println("ready " + server.urls().config());
        out.flush();
        if (untilEof) {
            Thread eof = new Thread(() -> {
                try {
                    while (stdin.read() >= 0) {
                        // input is ignored; its end stops the server
                    }
                } catch (IOException e) {
                    // as the end
                }
                stop.countDown();
            }, "pathprobe-nq-stdin");
            eof.setDaemon(true);
            eof.start();
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down
        }
        return 0;
    }
    static final String USAGE = "usage: java -cp ... io.pathprobe.server.ResponsivenessServer --listen ADDR:PORT "
            + "[--plain] [--http1-only] [--cert FILE --key FILE] [--name HOST]... [--test-endpoint HOST] [--until-eof]";

    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
