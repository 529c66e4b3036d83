package io.pathprobe.bufferbloat.internal;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Which TLS implementation the bufferbloat load and the responsiveness server use: BoringSSL through
 * netty-tcnative when its native library loads and supports ALPN, else the JDK's SSLEngine.
 *
 * <p>Why it matters: the JDK's engine allocates per TLS record, so 16 load connections at 100 Mbit/s
 * make young GC pauses of milliseconds (G1 pauses of 3-12 ms seen in {@code -Xlog:gc}), which stop
 * the probe engine's thread too and shift the pings the test measures. BoringSSL works in Netty's
 * pooled direct buffers (measured: no GC at all during 2 s of the same load).
 * {@code -Dpathprobe.tls=jdk} forces the JDK's engine (to compare, or where a native library may not
 * be loaded). netty-tcnative is an optional dependency of pathprobe-bufferbloat: without it the JDK's
 * engine is used, and everything works the same.
 */
public final class Tls {
    private static final System.Logger LOG = System.getLogger(Tls.class.getName());
    private static volatile @Nullable SslProvider chosen;

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

    /**
     * The load's and the probes' client context: {@link #provider()}, HTTP/2's ciphers, ALPN offering
     * h2 then http/1.1; {@code insecure} trusts any certificate and checks no host name.
     */
    public static SslContext clientContext(boolean insecure) {
        return clientContext(insecure, provider());
    }

    /** {@link #clientContext(boolean)} with the provider given. */
    static SslContext clientContext(boolean insecure, SslProvider provider) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            if (insecure) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                b.endpointIdentificationAlgorithm("HTTPS");
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    private static SslProvider choose() {
        return choose(System.getProperty("pathprobe.tls", ""), Tls::openSslUsable);
    }

    /**
     * The JDK's engine when {@code forced} is "jdk" or when BoringSSL is not usable (netty-tcnative absent: it is
     * an optional dependency; its native library not loading; no ALPN), else BoringSSL.
     */
    static SslProvider choose(String forced, java.util.function.BooleanSupplier openSslUsable) {
        if ("jdk".equalsIgnoreCase(forced)) {
            LOG.log(System.Logger.Level.DEBUG, "TLS: the JDK's SSLEngine (-Dpathprobe.tls=jdk)");
            return SslProvider.JDK;
        }
        return openSslUsable.getAsBoolean() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    private static boolean openSslUsable() {
        try {
            if (OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
                LOG.log(System.Logger.Level.DEBUG, "TLS: " + OpenSsl.versionString() + " (netty-tcnative)");
                return true;
            }
            Throwable cause = OpenSsl.unavailabilityCause();
            LOG.log(System.Logger.Level.DEBUG, "TLS: the JDK's SSLEngine; netty-tcnative unavailable: "
                    + (cause == null ? "no ALPN" : cause.toString()));
        } catch (LinkageError e) {
            // netty-tcnative missing from the class path (it is optional), or its classes unusable
            LOG.log(System.Logger.Level.DEBUG, "TLS: the JDK's SSLEngine; netty-tcnative unusable: " + e);
        }
        return false;
    }
}
