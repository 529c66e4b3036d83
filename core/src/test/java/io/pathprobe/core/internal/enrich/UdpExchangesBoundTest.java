package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.Ticker;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The enrichment loop's queue is bounded: with every socket taken by exchanges to a server that
 * never answers, at most {@link UdpExchanges#MAX_WAITING} exchanges are accepted (open or waiting for a
 * socket); the next one fails at once with a {@link RejectedExecutionException} (the lookup ends
 * FAILED), and closing the loop ends every accepted one.
 */
class UdpExchangesBoundTest {

    @Test
    @Timeout(120)
    void exchangesBeyondTheBoundFailAtOnce() throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(2);
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            UdpExchanges.Exchange<String> never = new UdpExchanges.Exchange<>() {
                @Override
                public InetSocketAddress target() {
                    return target;
                }

                @Override
                public byte[] request() {
                    return new byte[] {1};
                }

                @Override
                public long[] retransmitNanos() {
                    return new long[0];
                }

                @Override
                public long timeoutNanos() {
                    return TimeUnit.MINUTES.toNanos(10);
                }

                @Override
                public @Nullable String answer(ByteBuffer datagram) {
                    return null;
                }

                @Override
                public Exception timeout() {
                    return new java.io.IOException("timeout");
                }
            };
            List<CompletableFuture<String>> accepted = new ArrayList<>();
            UdpExchanges loop = new UdpExchanges(exec, 4, Ticker.SYSTEM);
            try {
                for (int i = 0; i < UdpExchanges.MAX_WAITING; i++) {
                    accepted.add(loop.exchange(never));
                }
                CompletableFuture<String> over = loop.exchange(never);
                assertThat(over).isCompletedExceptionally();
                assertThat(catchCause(over)).isInstanceOf(RejectedExecutionException.class)
                        .hasMessageContaining(String.valueOf(UdpExchanges.MAX_WAITING));
                assertThat(accepted).noneMatch(CompletableFuture::isDone);
                assertThat(loop.openSockets()).isLessThanOrEqualTo(4);
            } finally {
                loop.close();
            }
            for (CompletableFuture<String> f : accepted) {
                assertThat(catchCause(f)).as("ended by close()").isNotNull();
            }
            assertThat(loop.openSockets()).isZero();
        } finally {
            exec.shutdownNow();
        }
    }

    private static Throwable catchCause(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not completed", e);
        }
    }
}
