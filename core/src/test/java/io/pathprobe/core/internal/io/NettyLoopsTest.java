package io.pathprobe.core.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NettyLoopsTest {
    @Test
    void closingFromOneOfItsOwnThreadsReturnsAndTheGroupsStillEnd() throws Exception {
        NettyLoops loops = new NettyLoops();
        EventLoopGroup io = loops.io();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        io.next().execute(() -> {
            loops.close(); // cannot wait for this very thread: starts the shutdown and returns
            closed.complete(null);
        });
        closed.get(30, TimeUnit.SECONDS); // liveness only
        assertThat(io.terminationFuture().await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void stopOnRunsTheStopOnTheLoopAndWaitsForIt() {
        try (NettyLoops loops = new NettyLoops()) {
            EventLoop loop = loops.io().next();
            CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
            NettyLoops.stopOn(loop, () -> onLoop.complete(loop.inEventLoop()), this, () -> false, "test");
            assertThat(onLoop).isCompletedWithValue(true); // done before stopOn returned
        }
    }

    @Test
    void stopOnAShutDownLoopRunsTheStopHereOnceUnlessItAlreadyRan() throws Exception {
        NettyLoops loops = new NettyLoops();
        EventLoop loop = loops.io().next();
        loops.close();
        assertThat(loop.terminationFuture().await(30, TimeUnit.SECONDS)).isTrue();
        AtomicInteger runs = new AtomicInteger();
        NettyLoops.stopOn(loop, runs::incrementAndGet, this, () -> runs.get() > 0, "test");
        NettyLoops.stopOn(loop, runs::incrementAndGet, this, () -> runs.get() > 0, "test");
        assertThat(runs).hasValue(1);
        assertThat(NettyLoops.runAndWait(loop, runs::incrementAndGet, "test")).isFalse();
        assertThat(runs).hasValue(1);
    }
}
