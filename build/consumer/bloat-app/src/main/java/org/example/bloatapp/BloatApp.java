package org.example.bloatapp;

import io.pathprobe.BufferbloatRequest;
import io.pathprobe.BufferbloatResult;
import io.pathprobe.BufferbloatStatus;
import io.pathprobe.PathTracer;
import io.pathprobe.server.ResponsivenessServer;
import java.net.InetAddress;
import java.net.URI;

/**
 * Measures bufferbloat against pathprobe's responsiveness server on loopback (TLS, self-signed) with
 * pathprobe-core and pathprobe-bufferbloat on the path: the quick test must end COMPLETE or TIME_LIMIT with an
 * idle latency and a download result. {@code BloatApp [ignored...]} (the lab runner passes the lab's destination
 * and path; nothing here leaves loopback). Exits 0 when it worked, 1 otherwise.
 */
public final class BloatApp {
    public static void main(String[] args) throws Exception {
        Module module = BloatApp.class.getModule();
        System.out.println("bloat-app on JDK " + Runtime.version() + ", "
                + (module.isNamed() ? "module " + module.getName() + " (module path)" : "class path"));
        boolean ok;
        try (ResponsivenessServer server = ResponsivenessServer.builder().bind(InetAddress.getLoopbackAddress(), 0).build()) {
            server.start();
            URI config = server.urls().config();
            try (PathTracer tracer = PathTracer.builder().offline().build()) {
                BufferbloatResult r = tracer.testBufferbloat(BufferbloatRequest.builder(config).quick().insecure(true).build());
                ok = (r.status() == BufferbloatStatus.COMPLETE || r.status() == BufferbloatStatus.TIME_LIMIT)
                        && r.download().isPresent() && !r.idleLatency().isNegative();
                System.out.println("bufferbloat against " + config + ": " + r.status() + ", idle " + r.idleLatency()
                        + ", grade " + r.grade().map(g -> g.text()).orElse("not graded") + ", download " + r.download().map(Object::toString).orElse("none")
                        + (ok ? ": OK" : ": FAILED"));
            }
        }
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private BloatApp() {
    }
}
