package io.pathprobe.core.internal.bufferbloat;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation the bufferbloat load and the responsiveness server use: BoringSSL through
 * netty-tcnative when its native library loads and supports ALPN, else the JDK's SSLEngine.
 *
 * <p>Why it matters: the JDK's engine allocates per TLS record, so 16 load connections at 100 Mbit/s
 * make young GC pauses of milliseconds (G1 pauses of 3-12 ms seen in {@code -Xlog:gc}), which stop
 * the probe engine's thread too and shift the pings the test measures. BoringSSL works in Netty's
 * pooled direct buffers (measured: no GC at all during 2 s of the same load).
 * {@code -Dpathprobe.tls=jdk} forces the JDK's engine (to compare, or where a native library may not
 * be loaded).
 */
public final class Tls {
    private static final System.Logger LOG = System.getLogger(Tls.class.getName());
    private static volatile SslProvider chosen;

    private Tls() {}

    /** The provider to build TLS contexts with; decided once. */
    public static SslProvider provider() {
        SslProvider p = chosen;
        if (p == null) {
            p = choose();
            chosen = p;
        }
        return p;
    }

    private static SslProvider choose() {
        if ("jdk".equalsIgnoreCase(System.getProperty("pathprobe.tls", ""))) {
            LOG.log(System.Logger.Level.DEBUG, "TLS: the JDK's SSLEngine (-Dpathprobe.tls=jdk)");
            return SslProvider.JDK;
        }
        try {
            if (OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
                LOG.log(System.Logger.Level.DEBUG, "TLS: " + OpenSsl.versionString() + " (netty-tcnative)");
                return SslProvider.OPENSSL;
            }
            Throwable cause = OpenSsl.unavailabilityCause();
            LOG.log(System.Logger.Level.DEBUG, "TLS: the JDK's SSLEngine; netty-tcnative unavailable: "
                    + (cause == null ? "no ALPN" : cause.toString()));
        } catch (LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "TLS: the JDK's SSLEngine; netty-tcnative unusable: " + e);
        }
        return SslProvider.JDK;
    }
}
