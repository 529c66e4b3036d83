package io.pathprobe.core.internal.ping.app;

import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Maps the exceptions of socket calls to {@link FailureKind}s. */
final class Failures {
    private Failures() {}

    static FailureKind classify(Throwable t) {
        if (t instanceof PortUnreachableException || t instanceof ConnectException) {
            return FailureKind.REFUSED; // ICMP port unreachable (UDP), RST to the SYN (TCP)
        }
        if (t instanceof NoRouteToHostException) {
            return FailureKind.UNREACHABLE;
        }
        if (t instanceof HttpProbe.MalformedReply) {
            return FailureKind.MALFORMED;
        }
        if (t instanceof java.io.EOFException) {
            return FailureKind.CLOSED;
        }
        if (t instanceof SSLException) {
            return FailureKind.TLS;
        }
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("unreachable") || m.contains("no route")) {
            return FailureKind.UNREACHABLE;
        }
        if (m.contains("refused")) {
            return FailureKind.REFUSED;
        }
        if (m.contains("reset") || m.contains("broken pipe")) {
            return FailureKind.CLOSED;
        }
        return FailureKind.IO_ERROR;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
    }
}
