package io.pathprobe.core.internal.ping.app;

/**
 * One kind of application probe bound to one destination (a DNS server and question, or a URL):
 * each {@link #start} sends one request and reports one {@link ProbeOutcome}.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #start} never blocks and never calls {@code cb} itself; it returns true when the probe
 *       was taken, and then {@code cb} is called <em>exactly once</em>, later, on the {@link
 *       AppProbeLoop}'s thread: with a {@link ProbeOutcome.Reply}, or a {@link ProbeOutcome.Failure}
 *       (timeout, refused, ..., or {@link ProbeOutcome.FailureKind#CANCELLED CANCELLED} when the
 *       probe or its loop is closed first). It returns false, and {@code cb} is never called, when
 *       the probe or its loop is closed or the loop already has its maximum of probes in flight.
 *   <li>{@code cb} must be short and must not block or throw (it runs on the loop that does every
 *       probe's I/O): hand the outcome to your own thread and return.
 *   <li>{@link #close} cancels every probe of this instance still in flight: each callback is called
 *       with {@code CANCELLED} (on the loop's thread) and every socket is closed before {@code close}
 *       returns (unless called from the loop's thread itself, where it happens before the loop's next
 *       round). Idempotent. It does not close the loop, which other probes may share.
 * </ul>
 */
public interface ApplicationProbe extends AutoCloseable {

    /** Receives the outcome of one probe. */
    @FunctionalInterface
    interface Callback {
        void completed(ProbeOutcome outcome);
    }

    /**
     * Starts one probe, tagged {@code sequence} (echoed in its outcome, not interpreted).
     *
     * @return true if {@code cb} will be called exactly once; false if the probe was not taken
     *     (closed, or the loop is at its limit of probes in flight) and {@code cb} will never be called
     */
    boolean start(int sequence, Callback cb);

    /** Cancels the probes in flight (each completes with {@code CANCELLED}); later starts return false. */
    @Override
    void close();
}
