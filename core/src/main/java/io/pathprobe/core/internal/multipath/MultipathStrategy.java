package io.pathprobe.core.internal.multipath;

import io.pathprobe.MultipathLink;
import io.pathprobe.MultipathNode;
import io.pathprobe.MultipathPath;
import io.pathprobe.MultipathRequest;
import io.pathprobe.MultipathResult;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Multipath discovery as a pure strategy (see {@link ProbingStrategy}): rounds over all TTLs at once,
 * the MDA stopping rule per node ({@link MdaBounds}), MDA-Lite where the diamond is unmeshed, then
 * the path-probe phase. Runs on a session with {@code FlowPolicy.EXPLICIT}: every probe carries the
 * flow the strategy chose ({@link ProbeSpec#flow()}, 0..{@code maxFlow}).
 *
 * <p>CONTRACT SKELETON (lead): the constructor and {@link Events} are the interface the handle and
 * the tests use; the algorithm is being written.
 */
public final class MultipathStrategy implements ProbingStrategy<MultipathResult> {
    /** What the handle forwards to the listener; called on the engine loop, in order. */
    public interface Events {
        default void nodeFound(MultipathNode node) {}

        default void linkFound(MultipathLink link) {}

        default void roundCompleted(int round, int probes) {}

        default void pathMeasured(MultipathPath path) {}
    }

    /**
     * @param request the request
     * @param destination the resolved destination
     * @param protocol the probe protocol of the session
     * @param transportName the session's transport
     * @param notes notes known before the start (e.g. from transport choice)
     * @param maxSequence the session's largest sequence number
     * @param maxFlow the session's largest flow number (the strategy never uses more flows; a
     *     stopping point above it is capped and noted)
     * @param startedAt the wall-clock start
     * @param startTick the engine tick of the start
     * @param events the handle's events, or null
     */
    public MultipathStrategy(MultipathRequest request, InetAddress destination, ProbeProtocol protocol,
            String transportName, List<String> notes, int maxSequence, int maxFlow, Instant startedAt,
            long startTick, @Nullable Events events) {
        throw new UnsupportedOperationException("multipath discovery is being written");
    }

    @Override
    public @Nullable ProbeSpec next(long now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, long now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void onAnswer(ProbeResponse response, long now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void onWakeup(long now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long nextWakeup(long now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean done() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MultipathResult outcome(Stop reason, long now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MultipathResult snapshot(long now) {
        throw new UnsupportedOperationException();
    }
}
