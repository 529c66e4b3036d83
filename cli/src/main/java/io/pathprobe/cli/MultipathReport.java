package io.pathprobe.cli;

import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The CLI's text form of a multipath discovery: its header line (printed before the discovery
 * starts), then the result's own text ({@link MultipathResult#toText(int)}) at the terminal's width.
 */
final class MultipathReport {
    private MultipathReport() {}

    /** Whether the discovery ended because no probe can leave this host (NO_ROUTE, SEND_FAILED). */
    static boolean cannotSend(MultipathResult r) {
        return r.status() == MultipathStatus.NO_ROUTE || r.status() == MultipathStatus.SEND_FAILED;
    }

    static String header(MultipathRequest request, InetAddress destination, String transport) {
        String address = AddressText.of(destination);
        String target = request.target().equals(address) ? address : request.target() + " (" + address + ")";
        return String.format(Locale.ROOT, "pathprobe multipath to %s, %s probes via %s, %s at %s%% per node, "
                        + "TTL %d..%d", target, request.protocol().name().toLowerCase(Locale.ROOT), transport,
                request.algorithm() == io.pathprobe.multipath.MultipathAlgorithm.MDA ? "MDA" : "MDA-Lite",
                percent(request.confidence()), request.firstTtl(), request.maxTtl());
    }

    /** Everything but the header line, each line ended; lines no longer than {@code width} where they can wrap. */
    static String render(MultipathResult r, int width) {
        return r.toText(Math.max(40, width));
    }

    /** 95 → "95", 90.25 → "90.25", 99.99499 → "99.995". */
    static String percent(double p) {
        String s = String.format(Locale.ROOT, "%.3f", p);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
