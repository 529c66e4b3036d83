package io.pathprobe.bufferbloat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.ResponsivenessServerException.Reason;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How connection failures become a {@link ResponsivenessServerException}'s reason and words. */
class ClassifyTest {
    static final URI URL = URI.create("https://198.19.0.1:4443/.well-known/nq");

    @Test
    void anUnreachableServerIsNamedWithItsPortAndTheOsWordsWithoutNettysNullPrefix() {
        // what Netty's epoll connect gives when the OS has no text for the error: "null: /addr:port"
        ResponsivenessServerException e = NettyLoadSession.classify(URL,
                new CompletionException(new ConnectException("null: /198.19.0.1:4443")));
        assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(e.getMessage()).isEqualTo("cannot reach 198.19.0.1:4443 (ConnectException: /198.19.0.1:4443)")
                .doesNotContain("null");
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aFailureWithoutAMessageIsNamedByItsClass() {
        ResponsivenessServerException e = NettyLoadSession.classify(URL, new UnknownHostException());
        assertThat(e.getMessage()).isEqualTo("cannot reach 198.19.0.1:4443 (UnknownHostException)");
    }

    @Test
    void aRefusedConnectionStaysRefused() {
        ResponsivenessServerException e = NettyLoadSession.classify(URL,
                new ConnectException("finishConnect(..) failed: Connection refused: /198.19.0.1:4443"));
        assertThat(e.reason()).isEqualTo(Reason.REFUSED);
        assertThat(e.getMessage()).isEqualTo("connection refused by 198.19.0.1:4443");
    }
}
