package io.pathprobe.bufferbloat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

/** BoringSSL is optional: without it (or forced off) the JDK's engine is chosen, and its context offers h2 then http/1.1. */
class TlsTest {
    @Test
    void theJdkEngineWhenBoringSslIsNotUsableOrForcedOff() {
        assertThat(Tls.choose("", () -> false)).isEqualTo(SslProvider.JDK);
        assertThat(Tls.choose("jdk", () -> true)).isEqualTo(SslProvider.JDK);
        assertThat(Tls.choose("JDK", () -> true)).isEqualTo(SslProvider.JDK);
        assertThat(Tls.choose("", () -> true)).isEqualTo(SslProvider.OPENSSL);
    }

    @Test
    void aJdkClientContextOffersH2ThenHttp11() {
        for (boolean insecure : new boolean[] {true, false}) {
            SslContext c = Tls.clientContext(insecure, SslProvider.JDK);
            assertThat(c.isClient()).isTrue();
            assertThat(c.applicationProtocolNegotiator().protocols())
                    .containsExactly(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
        }
    }
}
