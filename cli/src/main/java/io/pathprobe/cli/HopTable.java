package io.pathprobe.cli;

import io.pathprobe.AddressText;
import io.pathprobe.Hop;
import io.pathprobe.TraceListener;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints hops as a table while the trace runs: hops complete in any order when all TTLs are probed
 * at once, so each is printed as soon as it and every hop before it are complete.
 */
final class HopTable implements TraceListener {
    private final PrintStream out;
    private final int maxTtl;
    private final TraceListener ordered = TraceListener.inTtlOrder(this::print);
    private int lastPrinted;
    private boolean ended;

    HopTable(PrintStream out, int firstTtl, int maxTtl) {
        this.out = out;
        this.lastPrinted = firstTtl - 1;
        this.maxTtl = maxTtl;
    }

    @Override
    public synchronized void traceStarted(TraceRequest request, InetAddress destination, String transport) {
        String address = AddressText.of(destination);
        String target = request.target().equals(address) ? request.target() : request.target() + " (" + address + ")";
        out.printf(Locale.ROOT, "pathprobe to %s, %d hops max, via %s%n", target, maxTtl, transport);
        out.flush();
        ordered.traceStarted(request, destination, transport);
    }

    @Override
    public synchronized void hopCompleted(Hop hop) {
        ordered.hopCompleted(hop);
    }

    private void print(Hop h) {
        if (ended || h.ttl() <= lastPrinted) {
            return; // already shown
        }
        out.println(h);
        out.flush();
        lastPrinted = h.ttl();
        ended = h.isDestination();
    }

    /** Prints what the live table has not shown yet (partial hops of a cancelled or expired trace). */
    synchronized void finish(TraceResult result) {
        for (Hop h : result.hops()) {
            if (!ended && h.ttl() > lastPrinted) {
                print(h);
            }
        }
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
    }
}
