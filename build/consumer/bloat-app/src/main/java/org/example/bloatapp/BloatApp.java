package org.example.bloatapp;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.PathTracer;
import io.pathprobe.server.ResponsivenessServer;
import java.net.InetAddress;
import java.net.URI;

/**
 * Measures bufferbloat against pathprobe's responsiveness server on loopback (TLS, self-signed) with
 * pathprobe-core and pathprobe-bufferbloat on the path: the quick test must end COMPLETED or DEADLINE_EXCEEDED with an
 * idle latency and a download result. {@code BloatApp [ignored...]} (the lab runner passes the lab's destination
 * and path; nothing here leaves loopback). Like the plain trace application, it expects nothing on stderr from the
 * library (no SLF4J warning: the server is built before any tracer, so the server keeps SLF4J quiet itself).
 * Exits 0 when it worked, 1 otherwise.
 */
public final class BloatApp {
    public static void main(String[] args) throws Exception {
        Module module = BloatApp.class.getModule();
        System.out.println("bloat-app on JDK " + Runtime.version() + ", "
                + (module.isNamed() ? "module " + module.getName() + " (module path)" : "class path"));
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() { // kept, and still shown
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
        boolean ok;
        try (ResponsivenessServer server = ResponsivenessServer.builder().bind(InetAddress.getLoopbackAddress(), 0).build()) {
            server.start();
            URI config = server.urls().config();
            try (PathTracer tracer = PathTracer.builder().offline().build()) {
                BufferbloatResult r = tracer.testBufferbloat(BufferbloatRequest.builder(config).quick().insecure(true).build());
                ok = (r.status() == BufferbloatStatus.COMPLETED || r.status() == BufferbloatStatus.DEADLINE_EXCEEDED)
                        && r.download().isPresent() && !r.idleLatency().isNegative();
                System.out.println("bufferbloat against " + config + ": " + r.status() + (ok ? ": OK" : ": FAILED"));
                System.out.println(r);
            }
        }
        String err = stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
        System.out.println(err.isEmpty() ? "stderr: nothing, as expected"
                : "FAILED: the library wrote " + err.length() + " characters to stderr: " + err.strip());
        ok &= err.isEmpty();
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private BloatApp() {
    }
}
