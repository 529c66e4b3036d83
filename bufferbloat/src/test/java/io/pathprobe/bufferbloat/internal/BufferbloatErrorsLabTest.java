package io.pathprobe.bufferbloat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pathprobe.PathTracer;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.ResponsivenessServerException.Reason;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.server.LabResponsivenessServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code testBufferbloat} says about servers it cannot use, against real ones in a lab: an
 * address nothing answers for (router 1 answers "network unreachable"), a port nothing listens on, a
 * plain HTTP/1.1 server given an https URL, the self-signed server without "insecure", an HTTP server
 * that is no responsiveness server (the lab's LabHttpServer: no /.well-known/nq), and a TLS server that
 * speaks HTTP/1.1 only (the client falls back: no self probes, a note).
 */
@LabTest
@Timeout(30)
class BufferbloatErrorsLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(2).httpServer(8000).inCurrentNamespace());

    private static PathTracer tracer;
    private static URI tls;
    private static URI plainHttp1;
    private static URI tlsHttp1;

    @BeforeAll
    static void start() {
        Lab lab = LAB.lab();
        tls = lab.responsivenessServer(4443, true);
        plainHttp1 = lab.responsivenessServer(8080, LabResponsivenessServer.Mode.PLAIN_HTTP1_ONLY).configUrl();
        tlsHttp1 = lab.responsivenessServer(4444, LabResponsivenessServer.Mode.TLS_HTTP1_ONLY).configUrl();
        tracer = PathTracer.builder().offline().packetsPerSecond(0).build();
    }

    @AfterAll
    static void close() {
        tracer.close();
    }

    private static BufferbloatRequest.Builder request(String url) {
        return BufferbloatRequest.builder(url).direction(LoadDirection.DOWNLOAD).deadline(Duration.ofSeconds(5));
    }

    private static ResponsivenessServerException failure(BufferbloatRequest request) {
        long start = System.nanoTime();
        ResponsivenessServerException e = catchThrowableOfType(() -> tracer.testBufferbloat(request),
                ResponsivenessServerException.class);
        long took = System.nanoTime() - start;
        assertThat(e).as("%s fails with ResponsivenessServerException", request.url()).isNotNull();
        System.out.printf("%s -> %s in %.2f s: %s%n", request.url(), e.reason(), took / 1e9, e.getMessage());
        assertThat(e.getMessage()).isNotBlank();
        // liveness: a failure ends the test (how soon is no property a busy machine keeps exactly)
        assertThat(took).as("liveness: fails within 10x the deadline").isLessThan(request.deadline().multipliedBy(10)
                .toNanos());
        return e;
    }

    @Test
    void anAddressNothingAnswersForIsUnreachable() {
        String host = LAB.lab().unroutedAddress().getHostAddress();
        assertThat(failure(request("https://" + host + ":4443").insecure(true).build()).reason())
                .isEqualTo(Reason.UNREACHABLE);
    }

    @Test
    void aPortNothingListensOnIsRefused() {
        assertThat(failure(request("https://198.19.0.1:4999").insecure(true).build()).reason()).isEqualTo(Reason.REFUSED);
    }

    @Test
    void aPlainHttp1ServerGivenAnHttpsUrlIsNotTls() {
        URI https = URI.create(plainHttp1.toString().replace("http://", "https://"));
        ResponsivenessServerException e = failure(request(https.toString()).insecure(true).build());
        assertThat(e.reason()).isEqualTo(Reason.NOT_TLS);
        // what it sent, in words, not the TLS layer's hex dump of a whole page
        assertThat(e.getMessage()).hasSizeLessThan(200).doesNotContainPattern("[0-9a-f]{16}");
    }

    @Test
    void theSelfSignedCertificateIsRejectedWithoutInsecure() {
        ResponsivenessServerException e = failure(request(tls.toString()).insecure(false).build());
        assertThat(e.reason()).isEqualTo(Reason.CERTIFICATE_REJECTED);
        assertThat(e.getMessage()).containsIgnoringCase("insecure");
    }

    @Test
    void anHttpServerWithoutTheConfigurationIsABadConfiguration() {
        assertThat(failure(request(LAB.lab().httpUri("/").toString()).build()).reason())
                .isEqualTo(Reason.BAD_CONFIGURATION);
    }

    @Test
    void aTlsServerThatSpeaksHttp1OnlyIsUsedWithoutSelfProbes() {
        BufferbloatResult r = tracer.testBufferbloat(request(tlsHttp1.toString()).insecure(true)
                .deadline(Duration.ofSeconds(6)).build());
        System.out.println("HTTP/1.1-only server: " + BufferbloatLabTest.describe(r));
        assertThat(r.notes()).anyMatch(n -> n.contains("HTTP/1.1"));
        assertThat(r.samples()).noneMatch(s -> s.kind() == io.pathprobe.bufferbloat.LatencySample.Kind.HTTP_SELF);
        assertThat(r.download()).isPresent();
    }

    @Test
    void thePlainHttp1ServerOverHttpIsUsedToo() {
        BufferbloatResult r = tracer.testBufferbloat(request(plainHttp1.toString()).deadline(Duration.ofSeconds(6)).build());
        System.out.println("plain HTTP/1.1 server: " + BufferbloatLabTest.describe(r));
        assertThat(r.download()).isPresent();
    }
}
