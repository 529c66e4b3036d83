package io.pathprobe.bufferbloat.internal;

import static io.pathprobe.bufferbloat.internal.BufferbloatLoopbackTest.quick;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Measurement;
import io.pathprobe.PathTracer;
import io.pathprobe.bufferbloat.BufferbloatListener;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.server.ResponsivenessServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bufferbloat test's {@code cancel()} completes its result's futures with the result it returns before it
 * returns (as every measurement's, see core's CancelCompletesResultTest): against a server on 127.0.0.1, with a
 * listener slow to take its completed event, behind which the futures complete.
 */
class BufferbloatCancelTest {
    @Test
    void cancelCompletesTheFuturesWithItsResult() throws Exception {
        try (ResponsivenessServer s = ResponsivenessServer.builder().plain().bind(InetAddress.getLoopbackAddress(), 0)
                .build(); PathTracer tracer = PathTracer.builder().offline().build()) {
            s.start();
            CountDownLatch loading = new CountDownLatch(1);
            Measurement<BufferbloatRequest, BufferbloatResult> m = tracer.start(quick(s.urls().config().toString())
                    .deadline(Duration.ofSeconds(30)).listener(new BufferbloatListener() {
                        @Override
                        public void phaseStarted(BufferbloatPhase phase) {
                            if (phase != BufferbloatPhase.IDLE) {
                                loading.countDown();
                            }
                        }

                        @Override
                        public void completed(BufferbloatResult result) {
                            try {
                                Thread.sleep(300);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }).build());
            assertThat(loading.await(20, TimeUnit.SECONDS)).as("the load started").isTrue();
            CompletableFuture<BufferbloatResult> before = m.result();
            BufferbloatResult r = m.cancel();
            assertThat(r.status()).isEqualTo(BufferbloatStatus.CANCELLED);
            assertThat(before).as("a future result() gave before cancel()").isDone();
            assertThat(before.getNow(null)).isSameAs(r);
            assertThat(m.result()).as("a future result() gives after cancel()").isDone();
            assertThat(m.result().getNow(null)).isSameAs(r);
        }
    }
}
