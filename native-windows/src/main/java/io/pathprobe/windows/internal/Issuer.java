package io.pathprobe.windows.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The one thread, for the whole process, that issues every ICMP echo request (IcmpSendEcho2Ex /
 * Icmp6SendEcho2): a daemon thread that never ends, to which {@link WindowsSession#send} hands each
 * request and waits for the call's result (tens of microseconds of hand-off; the send time is taken on
 * this thread, right before the call, so RTTs are not lengthened by it).
 *
 * <p>Why: a request belongs to the thread that issued it. Windows cancels the I/O a thread initiated
 * when that thread exits (documented for sockets: "All I/O initiated by a given thread is canceled
 * when that thread exits", learn.microsoft.com, WSASend function; assumed to hold for the ICMP API,
 * whose requests are device I/O of the same kind). An engine thread, or an application's thread calling
 * a blocking method, may end while its probes are in flight, and their answers would be lost. Under
 * Wine 8 it is worse: a process that exits with a request pending whose issuing thread had ended leaves
 * the wineserver wedged, and every later process of that Wine prefix hangs at start
 * (shared/research/windows-under-wine.md, reproduced by build/wine-check's first runs). With one
 * issuer that lives as long as the process, no request outlives its thread.
 */
final class Issuer {
    /**
     * A request's issue: when (System.nanoTime, just before the call), what the call returned, GetLastError() when 0.
     */
    record Issued(long sentNanos, int result, int lastError) {}

    /** One core thread that never times out: started with the first transport, alive until the process ends. */
    private static final ThreadPoolExecutor THREAD = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "pathprobe-" + WindowsTransport.NAME + "-issuer");
                t.setDaemon(true);
                return t;
            });

    private Issuer() {}

    /**
     * Starts the issuer thread if it is not running yet (a transport's open: its one thread is not a per-session one).
     */
    static void start() {
        THREAD.prestartCoreThread();
    }

    /**
     * Runs {@code call} (an IcmpSendEcho2Ex or Icmp6SendEcho2 of {@code api}) on the issuer thread and
     * waits for it; an interrupt while waiting is kept for the caller (the request is issued whatever
     * happens). What the call throws is thrown here.
     */
    static Issued issue(IcmpApi api, IntSupplier call) {
        Future<Issued> f = THREAD.submit(() -> {
            long sent = System.nanoTime();
            int r = call.getAsInt();
            return new Issued(sent, r, r == 0 ? api.lastError() : 0);
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
