package org.example.traceapp;

import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.Hop;
import io.pathprobe.PathProbeException;
import io.pathprobe.PathTracer;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Traces a destination and checks the result against what the caller expects:
 * {@code TraceApp <destination> <expected path: one address or * per hop, comma-separated> [--netty] [--expect-netty-error]
 * [--expect-no-bufferbloat] [--expect-no-optional] [--expect-quiet]}. After the trace it pings the destination, discovers its paths (multipath) and traces it
 * again enriched (host names and AS numbers, see {@link Features}). Exits 0 when everything matched, 1 otherwise.
 * {@code --netty} first uses Netty itself, as an application with its own Netty code would; {@code --expect-netty-error}
 * expects the tracer to refuse an old Netty, with the fix; {@code --expect-no-bufferbloat} expects
 * {@code testBufferbloat} to refuse with the exception naming pathprobe-bufferbloat (the application has only core);
 * {@code --expect-no-optional} expects recording, replay, GeoIP databases and PeeringDB dumps to refuse with the typed
 * exceptions naming the optional jar each needs.
 * {@code --expect-quiet} expects nothing on stderr from the library (no SLF4J warning, no log record) for the trace,
 * ping, multipath and enriched trace: an application that logs nothing stays quiet; and, once its tracers are
 * closed, no thread that would keep the JVM from ending (Netty's GlobalEventExecutor thread, not a daemon, kept it
 * a second longer).
 */
public final class TraceApp {
    public static void main(String[] args) throws Exception {
        List<String> flags = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
        InetAddress destination = InetAddress.getByName(args[0]); // a literal: no resolver involved
        List<String> expected = List.of(args[1].split(","));
        boolean netty = flags.remove("--netty");
        boolean expectNettyError = flags.remove("--expect-netty-error");
        boolean expectNoBufferbloat = flags.remove("--expect-no-bufferbloat");
        boolean expectNoOptional = flags.remove("--expect-no-optional");
        boolean expectQuiet = flags.remove("--expect-quiet");
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        if (expectQuiet) {
            // what the library writes to System.err from here on is kept (and still shown)
            java.io.PrintStream original = System.err;
            System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    stderr.write(b);
                    original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    stderr.write(b, off, len);
                    original.write(b, off, len);
                }
            }, true));
        }
        if (!flags.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + flags);
        }
        Module module = TraceApp.class.getModule();
        System.out.println("trace-app on JDK " + Runtime.version() + ", "
                + (module.isNamed() ? "module " + module.getName() + " (module path)" : "class path")
                + ", pathprobe-api in " + PathTracer.class.getModule());
        if (netty) {
            System.out.println("the application's own Netty: " + NettyUse.exercise());
        }
        PathTracer tracer;
        try {
            tracer = PathTracer.builder().offline().build();
        } catch (PathProbeException e) {
            if (!expectNettyError) {
                throw e;
            }
            String m = String.valueOf(e.getMessage());
            System.out.println("PathTracer.builder().build() refused: " + m);
            boolean ok = m.startsWith("pathprobe needs Netty 4.2") && m.contains("netty-handler 4.1.")
                    && m.contains("io.pathprobe:pathprobe-bom") && m.contains("io.netty:netty-bom:4.2.");
            System.out.println(ok ? "OK: the Netty 4.1 clash is reported with the versions and the fix"
                    : "FAILED: the message lacks the versions or the fix");
            System.exit(ok ? 0 : 1);
            return;
        }
        if (expectNettyError) {
            tracer.close();
            System.out.println("FAILED: the tracer was built beside an old Netty");
            System.exit(1);
        }
        boolean ok;
        try (tracer) {
            TraceResult r = tracer.trace(TraceRequest.builder(destination).build());
            System.out.println(r);
            List<String> got = new ArrayList<>();
            for (Hop h : r.hops()) {
                got.add(h.address().map(AddressText::of).orElse("*"));
            }
            ok = r.status() == TraceStatus.DESTINATION_REACHED && r.destinationReached()
                    && r.hops().size() == expected.size() && got.equals(expected);
            System.out.println("status " + r.status() + " via " + r.transport() + ", " + r.hops().size()
                    + " hops " + got + (ok ? " as expected" : ", expected " + expected.size() + " hops " + expected));
            if (ok) {
                ok &= Features.ping(tracer, destination);
                ok &= Features.multipath(tracer, destination, expected);
                ok &= Features.enrichment(destination);
                if (expectNoBufferbloat) {
                    ok &= Features.noBufferbloat(tracer);
                }
                if (expectNoOptional) {
                    ok &= Features.withoutOptionalJars();
                }
            }
            if (expectQuiet) {
                String err = stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
                System.out.println(err.isEmpty() ? "stderr: nothing, as expected"
                        : "FAILED: the library wrote " + err.length() + " characters to stderr: " + err.strip());
                ok &= err.isEmpty();
            }
        }
        if (expectQuiet) {
            // closed: nothing of the library's (nor Netty's on its behalf) may keep the JVM from ending
            List<String> lingering = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !t.isDaemon() && t != Thread.currentThread()
                            && !t.getName().equals("DestroyJavaVM"))
                    .map(Thread::getName).sorted().toList();
            System.out.println(lingering.isEmpty() ? "after close(): no thread keeps the JVM alive, as expected"
                    : "FAILED: after close(), threads that keep the JVM alive: " + lingering);
            ok &= lingering.isEmpty();
        }
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private TraceApp() {
    }
}
