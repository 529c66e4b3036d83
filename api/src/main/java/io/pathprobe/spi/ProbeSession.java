package io.pathprobe.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A flow of probes toward one destination. {@link #send} is never called concurrently for one
 * session; different sessions may be used from different threads at once. A session's {@link #send}
 * and {@link #close} may be called from a thread other than the one that opened it (a tracer's sender
 * threads send the probes of concurrent measurements), each session from one thread at a time.
 */
public interface ProbeSession extends AutoCloseable {

    /**
     * {@return the largest sequence number {@link #send} accepts; sequences run from 0 to this} A measurement
     * that sends more probes reuses numbers modulo {@code maxSequence() + 1} (the engine never has
     * two outstanding probes with one number), so a session may run for days.
     */
    int maxSequence();

    /**
     * {@return the largest flow {@link ProbeSpec#flow()} accepts when the session's policy is
     * {@link FlowPolicy#EXPLICIT}; 0 otherwise}
     */
    default int maxFlow() {
        return 0;
    }

    /**
     * {@return the most probes of this session that may be outstanding at once; the engine sends no more
     * until one is answered or given up} Unlimited by default. A transport whose flow needs one
     * kernel object per probe says so here (an unprivileged TCP connect() session of one fixed
     * flow: the kernel allows one connection per address and port pair, so 1); sending a new probe
     * then releases the previous one, whose answer, should it still come, is lost.
     */
    default int maxInFlight() {
        return Integer.MAX_VALUE;
    }

    /**
     * Sends one probe. Returns at once (never waits for an answer).
     *
     * @param probe the probe's number, TTL and flow
     * @return when the probe was sent, in nanoseconds of the transport's clock: the same clock as
     *     {@link ProbeResponse#receivedNanos()} (only differences are meaningful)
     * @throws SendFailedException if the operating system refused the probe (nothing was sent)
     * @throws IllegalArgumentException if the sequence is beyond {@link #maxSequence()} or the flow
     *     beyond {@link #maxFlow()}
     * @throws IllegalStateException if the session or its transport is closed
     */
    long send(ProbeSpec probe) throws SendFailedException;

    /**
     * Sends probes in their order, as {@link #send} would one after the other, in as few system calls as the
     * transport can (Linux: one {@code sendmmsg(2)} for the batch). Returns at once. Each probe's outcome is data:
     * {@code sentNanos[i]} when probe {@code i} left (the same clock and meaning as {@link #send}'s result), or
     * {@code failures[i]} when the operating system refused it (what {@link #send} would have thrown; the other
     * probes are still sent).
     *
     * <p>Returns how many probes, from the first, were handled (sent or refused): at least 1. When that is fewer than
     * {@code probes.size()}, the probe at that index was not sent, because the batch stopped after a
     * {@linkplain SendFailedException#permanent() permanent} failure (no probe to this destination can leave: the
     * caller does not send the rest) or before a probe {@link #send} would refuse with an unchecked exception (the
     * caller sends the rest again: a call that starts with that probe throws what {@link #send} would throw for it).
     * The default sends them one by one with {@link #send}: a transport without a batch of its own needs nothing more.
     *
     * @param probes the probes, at least one
     * @param sentNanos receives each sent probe's send time, at the probe's index (at least {@code probes.size()} long)
     * @param failures receives each refused probe's failure, at the probe's index, and null for each probe sent
     *     (at least {@code probes.size()} long)
     * @return how many probes, from the first, were handled (1 to {@code probes.size()})
     * @throws IllegalArgumentException if the first probe is one {@link #send} refuses, the batch is empty or an
     *     array is too short
     * @throws IllegalStateException if the session or its transport is closed
     */
    default int sendBatch(List<ProbeSpec> probes, long[] sentNanos, @Nullable SendFailedException[] failures) {
        int n = probes.size();
        if (n == 0 || sentNanos.length < n || failures.length < n) {
            throw new IllegalArgumentException("a batch of " + n + " probes needs at least one probe and arrays of "
                    + n + ", were " + sentNanos.length + " and " + failures.length);
        }
        for (int i = 0; i < n; i++) {
            try {
                sentNanos[i] = send(probes.get(i));
                failures[i] = null;
            } catch (SendFailedException e) {
                failures[i] = e;
                if (e.permanent()) {
                    return i + 1;
                }
            } catch (RuntimeException e) {
                if (i == 0) {
                    throw e;
                }
                return i;
            }
        }
        return n;
    }

    /**
     * Runs {@code action} once every answer this session had received when this was called (that
     * is, answers the kernel had already queued) has been handed to the session's listener. The
     * engine calls it before it gives up on a probe, so an answer that arrived in time but was not
     * yet read (a busy or descheduled I/O thread) is never taken for a loss.
     *
     * <p>{@code action} must be fast; it may run on the I/O thread or the calling thread. The default
     * runs it at once: right for transports that deliver answers synchronously. If the session is
     * closed, {@code action} runs at once.
     *
     * @param action what to run once the pending answers have been handed over
     */
    default void afterPendingAnswers(Runnable action) {
        action.run();
    }

    /** Releases the session's resources; once it returns the listener is not called again. Idempotent. */
    @Override
    void close();
}
