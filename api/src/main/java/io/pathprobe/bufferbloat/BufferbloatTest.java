package io.pathprobe.bufferbloat;

import java.util.concurrent.CompletableFuture;

import io.pathprobe.PathTracer;
/** A running bufferbloat test, returned by {@link PathTracer#startBufferbloat(BufferbloatRequest)}. */
public interface BufferbloatTest {
    /** {@return the request it runs} */
    BufferbloatRequest request();

    /**
     * {@return the result, as a future} It completes normally when the test ends (time limit, cancellation
     * and a failed load connection included, see {@link BufferbloatResult#status()}), on the tracer's
     * executor after {@link BufferbloatListener#completed}. It completes exceptionally with
     * {@link io.pathprobe.ResponsivenessServerException} when the server cannot be used at all (absent, refusing, not TLS
     * where https was asked, certificate rejected, no valid {@code /.well-known/nq}).
     */
    CompletableFuture<BufferbloatResult> result();

    /** Stops the test, closes its connections; {@link #result()} completes with what was measured. */
    void cancel();

    /** {@return what is known so far} */
    BufferbloatResult snapshot();
}
