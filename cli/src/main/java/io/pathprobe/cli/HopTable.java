package io.pathprobe.cli;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Prints hops as a table while the trace runs: hops complete in any order when all TTLs are probed
 * at once, so each is printed as soon as it and every hop before it are complete. With enrichment a
 * hop waits for its lookups (its {@link TraceListener#hopEnriched}) and is printed with its host
 * name, AS and segment in aligned columns; a silent hop is printed once the next answering hop is
 * ready, with the segment of its neighbours when they agree. The AS and segment columns are there only where AS
 * numbers are looked up ({@code -A}, or a GeoIP database): a segment is told from the AS numbers.
 */
final class HopTable implements TraceListener {
    static final int HOST_WIDTH = 44;
    static final int AS_WIDTH = 20;
    static final int SEGMENT_WIDTH = 11;

    private final PrintStream out;
    private final int maxTtl;
    private final boolean enriched;
    private final boolean asColumn;
    private final boolean names;
    private final TreeMap<Integer, Hop> ready = new TreeMap<>();
    private final List<Hop> silentRun = new ArrayList<>();
    private Segment lastSegment = Segment.UNKNOWN;
    private int next;
    private int lastPrinted;
    private boolean ended;
    /**
     * The header line, until it is printed: at the first probe that left (or the first hop), so a
     * trace that cannot send at all (no route, no source address of the family) prints only its
     * one-line summary.
     */
    private @Nullable String header;
    /** What the table hides ({@code --mask}): grows with the addresses of the hidden hops as they are printed. */
    private io.pathprobe.evidence.Masking masking = io.pathprobe.evidence.Masking.NONE;

    HopTable(PrintStream out, int firstTtl, int maxTtl) {
        this(out, firstTtl, maxTtl, false);
    }

    HopTable(PrintStream out, int firstTtl, int maxTtl, boolean enriched) {
        this(out, firstTtl, maxTtl, enriched, true);
    }

    /** {@code asColumn}: the AS column is printed only when AS numbers are looked up (-A). */
    HopTable(PrintStream out, int firstTtl, int maxTtl, boolean enriched, boolean asColumn) {
        this(out, firstTtl, maxTtl, enriched, asColumn, true);
    }

    /** {@code names}: whether responders are shown with their host names (not with -n: addresses only). */
    HopTable(PrintStream out, int firstTtl, int maxTtl, boolean enriched, boolean asColumn, boolean names) {
        this.out = out;
        this.names = names;
        this.next = firstTtl;
        this.lastPrinted = firstTtl - 1;
        this.maxTtl = maxTtl;
        this.enriched = enriched;
        this.asColumn = asColumn;
    }

    /** Hides the first hops and the source ({@code --mask}); the statement is printed under the header. */
    synchronized void mask(io.pathprobe.evidence.Masking m) {
        masking = m;
    }

    @Override
    public synchronized void started(TraceRequest request, InetAddress destination, String transport) {
        String address = AddressText.of(destination);
        String target = request.target().equals(address) ? request.target() : request.target() + " (" + address + ")";
        header = String.format(Locale.ROOT, "pathprobe to %s, %d hops max, via %s", target, maxTtl, transport);
    }

    @Override
    public synchronized void probeSent(int ttl, int attempt) {
        printHeader();
    }

    private void printHeader() {
        if (header != null) {
            out.println(header);
            if (masking.active()) {
                out.println(masking); // "hops 1-2 and the source address masked"
            }
            out.flush();
            header = null;
        }
    }

    @Override
    public synchronized void hopCompleted(Hop hop) {
        if (!enriched || hop.lookupsSettled()) {
            ready(hop);
        }
    }

    @Override
    public synchronized void hopEnriched(Hop hop) {
        ready(hop);
    }

    private void ready(Hop hop) {
        if (ended || hop.ttl() < next) {
            return;
        }
        ready.put(hop.ttl(), hop);
        while (!ended) {
            Hop h = ready.remove(next);
            if (h == null) {
                return;
            }
            next++;
            take(h);
        }
    }

    /** In TTL order: silent hops wait for the next answering one (their segment is their neighbours'). */
    private void take(Hop h) {
        if (enriched && h.silent()) {
            silentRun.add(h);
            return;
        }
        flushSilent(h.segment());
        print(h, h.segment());
        lastSegment = h.segment();
        ended = h.isDestination();
    }

    private void flushSilent(Segment following) {
        Segment s = lastSegment == following ? following : Segment.UNKNOWN;
        for (Hop x : silentRun) {
            print(x, x.segment() != Segment.UNKNOWN ? x.segment() : s);
        }
        silentRun.clear();
    }

    private void print(Hop h, Segment segment) {
        if (h.ttl() <= lastPrinted) {
            return; // already shown
        }
        printHeader();
        out.println(masked(h, segment));
        out.flush();
        lastPrinted = h.ttl();
    }

    /** The hop's line, masked: a hidden hop as {@code masked} (its addresses hidden from then on). */
    private String masked(Hop h, Segment segment) {
        if (masking.hides(h.ttl())) {
            masking = masking.hiding(h.responders().stream().map(Responder::address).toList());
        }
        Hop shown = masking.apply(h);
        return enriched ? line(shown, segment, asColumn, names) : shown.toString();
    }

    /** Prints what the live table has not shown yet (partial hops, hops whose lookups did not end). */
    synchronized void finish(TraceResult result) {
        if (TraceCommand.cannotSend(result)) {
            header = null; // the summary's one line says why nothing was traced
            return;
        }
        printHeader();
        List<Hop> hops = result.hops();
        int shown = hops.size();
        while (shown > 0 && waiting(hops.get(shown - 1))) {
            shown--; // a stopped trace's TTLs still waiting (every probe abandoned): one line, not one a TTL
        }
        for (Hop h : hops.subList(0, shown)) {
            if (!ended && h.ttl() > lastPrinted && !silentRun.contains(h)) {
                take(h);
            }
        }
        // silent hops still waiting: the result's own segments (sandwich rule applied)
        for (Hop x : silentRun) {
            Hop fin = result.hop(x.ttl()).orElse(x);
            print(fin, fin.segment());
        }
        silentRun.clear();
        if (shown < hops.size() && hops.get(hops.size() - 1).ttl() > lastPrinted) {
            int first = Math.max(hops.get(shown).ttl(), lastPrinted + 1);
            int last = hops.get(hops.size() - 1).ttl();
            out.println("(" + (first == last ? "TTL " + first : "TTLs " + first + "-" + last)
                    + " still waiting when the trace stopped)");
        }
    }

    /** Whether every probe of a hop was still waiting when the trace stopped (abandoned): nothing was decided there. */
    static boolean waiting(Hop h) {
        return !h.probes().isEmpty() && h.probes().stream().allMatch(p -> p.status() == ProbeStatus.ABANDONED);
    }

    /**
     * One enriched hop: {@code " 3  core1.isp.example (198.18.1.1)   AS64500 LAB-ISP   ISP   0.050 ms ..."};
     * host, AS and segment in fixed-width columns; other responders of the hop are named before their
     * first RTT, as traceroute does.
     */
    static String line(Hop h, Segment segment) {
        return line(h, segment, true);
    }

    /**
     * As {@link #line(Hop, Segment)}; without the AS and segment columns when {@code asColumn} is false (no AS
     * lookups).
     */
    static String line(Hop h, Segment segment, boolean asColumn) {
        return line(h, segment, asColumn, true);
    }

    /** As {@link #line(Hop, Segment, boolean)}; addresses without host names when {@code names} is false (-n). */
    static String line(Hop h, Segment segment, boolean asColumn, boolean names) {
        java.util.function.Function<Responder, String> host = names ? HopTable::host
                : r -> AddressText.of(r.address()) + place(r);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%2d  ", h.ttl()));
        Responder first = h.responders().isEmpty() ? null : h.responders().get(0);
        b.append(pad(first != null ? host.apply(first) : h.masked() ? io.pathprobe.evidence.Masking.MASKED : "*",
                HOST_WIDTH));
        if (asColumn) {
            // the segment column only beside the AS numbers it is made of: without them every public hop's segment is
            // UNKNOWN (a column of UNKNOWN says nothing)
            b.append("  ").append(pad(first == null ? "" : as(first), AS_WIDTH)).append("  ");
            b.append(pad(segment.name(), SEGMENT_WIDTH));
        }
        boolean flows = h.probes().stream().map(ProbeResult::flow).filter(OptionalInt::isPresent)
                .distinct().count() > 1;
        InetAddress previous = first == null ? null : first.address();
        String identity = "";
        for (ProbeResult p : h.probes()) {
            b.append("  ");
            if (flows && p.flow().isPresent()) {
                b.append('#').append(p.flow().getAsInt()).append(' ');
            }
            if (p.answered() && p.responder().isPresent() && !p.responder().get().equals(previous)) {
                previous = p.responder().get();
                InetAddress a = previous;
                b.append(h.responders().stream().filter(r -> r.address().equals(a)).findFirst()
                        .map(host).orElse(AddressText.of(a))).append("  ");
            }
            b.append(p.outcomeText());
            if (!p.identityText().isEmpty() && !p.identityText().equals(identity)) { // as Hop.toString() prints it
                identity = p.identityText();
                b.append(' ').append(identity);
            }
        }
        if (!h.silent()) {
            b.append(h.statistics().missesText());
        }
        if (h.nat()) {
            b.append("  [NAT]");
        }
        String received = h.receivedText(); // -t: what the hop's router received, as the plain layout ends with it
        if (!received.isEmpty()) {
            b.append("  ").append(received);
        }
        return b.toString().stripTrailing();
    }

    /**
     * "name (address)", or the address alone when no name was found; then where the GeoIP databases place it and
     * the exchange it is on, when found: "core1.isp.example (198.18.0.6) [DE Frankfurt] IX LAB-IX".
     */
    static String host(Responder r) {
        String a = AddressText.of(r.address());
        return r.hostname().value().map(n -> n + " (" + a + ")").orElse(a) + place(r);
    }

    /** " [DE Frankfurt] IX LAB-IX" (offline GeoIP and the PeeringDB exchange), "" when neither was found. */
    static String place(Responder r) {
        return r.location().value().map(l -> " [" + l.shortText() + "]").orElse("")
                + r.exchange().value().map(x -> " " + x.shortText()).orElse("");
    }

    /** "AS64500 LAB-ISP", "" when not found, "AS?" when the lookup failed or did not end. */
    static String as(Responder r) {
        if (r.asn().value().isPresent()) {
            return asText(r.asn().value().get());
        }
        return r.asn().status() == LookupStatus.FAILED || r.asn().status() == LookupStatus.PENDING ? "AS?" : "";
    }

    /** "AS64500 LAB-ISP" ({@link AsnInfo#shortText()}). */
    static String asText(AsnInfo a) {
        return a.shortText();
    }

    /** The public-address line ({@link PathContext#toString()}), or null when it was not looked up or is pending. */
    static @Nullable String contextLine(PathContext c) {
        return c.publicAddress().value().isPresent() || c.publicAddress().status() == LookupStatus.FAILED
                ? c.toString() : null;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
    }
}
