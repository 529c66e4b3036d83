package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.LatencySample;
import java.net.InetAddress;

/**
 * What {@link BufferbloatStrategy} asks of its adapter after an event: load and probe work for the
 * {@link io.pathprobe.bufferbloat.internal.strategy.LoadSession}, pings, listener events, and the end.
 */
public sealed interface LoadCommand {
    /** Fetch the server's configuration (answered by {@code onConfigured} or {@code onSetupFailed}). */
    record FetchConfig(int connectTimeoutMillis) implements LoadCommand {}

    /** Start the pings of the server (and of the first hop when asked for): {@code onPing} hears them. */
    record StartPings(InetAddress target) implements LoadCommand {}

    /** Open load connection {@code id}: an endless upload when {@code upload}, else an endless download. */
    record OpenConnection(int id, boolean upload, int connectTimeoutMillis) implements LoadCommand {}

    /** Close load connection {@code id} (a close asked for is no failure). */
    record CloseConnection(int id) implements LoadCommand {}

    /** Close every load connection. */
    record CloseAll() implements LoadCommand {}

    /**
     * Send foreign probe {@code id} (a new connection: TCP, TLS, GET of the small object) and, when
     * {@code selfOn >= 0}, a self probe with the same id on load connection {@code selfOn}.
     */
    record Probe(int id, int selfOn) implements LoadCommand {}

    /** Tell the listener a phase started. */
    record PhaseStarted(BufferbloatPhase phase) implements LoadCommand {}

    /** Tell the listener how the phase goes. */
    record Progress(BufferbloatPhase phase, long elapsedNanos, double bitsPerSecond, int flows, double latencyMillis)
            implements LoadCommand {}

    /** Tell the listener of a latency sample. */
    record Sample(LatencySample sample) implements LoadCommand {}

    /** The test ended with a result (any status): stop pings and probes, close the session. */
    record Finish(BufferbloatResult result) implements LoadCommand {}

    /** The test could not run: the server cannot be used. */
    record Fail(ResponsivenessServerException error) implements LoadCommand {}
}
