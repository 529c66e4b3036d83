package io.pathprobe.report;

import io.pathprobe.compare.CompareResult;
import io.pathprobe.compare.CompareRow;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.evidence.Masking;
import io.pathprobe.evidence.MonitorMasking;
import io.pathprobe.graph.GraphSvg;
import io.pathprobe.graph.PathGraph;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Text;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * A result as one self-contained HTML document, the offline report ({@code pathprobe report}, {@code --html}): inline
 * SVG and CSS, no script, a {@code Content-Security-Policy} that lets the page fetch nothing (no request to any server
 * when it is opened) and a print stylesheet. It shows what the result holds in the words every other output uses:
 * the hops with RTT and loss (the rate-limited replies apart from the lost ones), names, AS, IXP and segment (each a
 * coloured band down the table), GeoIP places where known, header changes at the hop that saw them; the path as a
 * graph ({@link PathGraph#toSvg()}: a multipath discovery's diamonds, with each path's loss in a legend); a
 * monitor's per-hop loss and RTT over its rounds as a heatmap with its route changes and outages marked at their
 * rounds; a compare's protocols side by side; the request and the version of pathprobe that wrote it.
 *
 * <p>Each result is masked first with the {@link Masking} given ({@link Masking#apply(TraceResult)} and its
 * overloads), as every output is: a report never shows what the command's other outputs hide. The drawn graph's
 * nodes and links carry {@code data-id}, {@code data-from} and {@code data-to}; a heatmap's cells
 * {@code data-round} and {@code data-ttl}; its markers {@code data-kind} ({@code route-change}, {@code outage},
 * {@code header-change}) and their rounds.
 */
public final class HtmlReport {
    /** The page's policy: nothing fetched, the inline styles allowed. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

    private static final String STYLE = """
            body{font:13px/1.4 sans-serif;margin:16px;color:#222}
            h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 6px}
            table{border-collapse:collapse;margin:4px 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;
            vertical-align:top}th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .meta{color:#555}.lost{color:#b00020;font-weight:bold}.limited{color:#1a56a0}.masked{color:#777}
            .as0{background:#e3f2fd}.as1{background:#fff3e0}.as2{background:#e8f5e9}.as3{background:#f3e5f5}
            .as4{background:#fffde7}.as5{background:#e0f7fa}.as6{background:#fce4ec}.as7{background:#efebe9}
            .seg-lan{background:#eceff1}.seg-isp{background:#e3f2fd}.seg-transit{background:#fff8e1}
            .seg-destination{background:#e8f5e9}svg{max-width:100%;height:auto}
            @media print{body{margin:0;font-size:10px}h2{break-after:avoid}table,svg{break-inside:avoid}
            *{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
            """;

    private HtmlReport() {}

    /**
     * {@return a trace's report: its hops and its path as a graph}
     *
     * @param trace the result
     * @param masking what every output of the command hides ({@link Masking#NONE} for nothing)
     */
    public static String of(TraceResult trace, Masking masking) {
        TraceResult t = masking.apply(trace);
        return page("trace to " + t.target(), t.request().toString(), t.startedAt(), t.duration(),
                t.status().toString(), t.masking(), traceBody(t));
    }

    /**
     * {@return a traceAll's report: each target's hops, and their paths merged into one graph}
     *
     * @param all the result
     * @param masking what every output of the command hides
     */
    public static String of(TraceAllResult all, Masking masking) {
        TraceAllResult a = new TraceAllResult(all.traces().stream().map(masking::apply).toList(), all.status(),
                all.startedAt(), all.duration(), all.probesSent(), all.hopsFromStopSet(), all.request());
        StringBuilder b = new StringBuilder(PathGraph.of(a).toSvg());
        for (TraceResult t : a.traces()) {
            b.append("<h2>").append(x("trace to " + t.target())).append("</h2>\n").append(hopTable(t));
            changes(b, t);
        }
        MaskStatement m = a.traces().isEmpty() ? MaskStatement.NONE : a.traces().get(0).masking();
        return page("trace of " + a.traces().size() + " targets", a.request().toString(), a.startedAt(),
                a.duration(), a.status().toString(), m, b.toString());
    }

    /**
     * {@return a multipath discovery's report: its topology as a graph (the diamonds' branches side by side), each
     * path with its flows and loss in a legend, and its diamonds}
     *
     * @param multipath the result
     * @param masking what every output of the command hides
     */
    public static String of(MultipathResult multipath, Masking masking) {
        MultipathResult r = masking.apply(multipath);
        StringBuilder b = new StringBuilder(PathGraph.of(r).toSvg());
        b.append("<h2>Paths</h2>\n<table class=\"legend\"><tr><th>path</th><th>flows</th><th>hops</th>"
                + "<th>sent</th><th>lost</th><th>rate-limited</th><th>RTT</th></tr>\n");
        for (int i = 0; i < r.paths().size(); i++) {
            MultipathPath p = r.paths().get(i);
            List<String> hops = new ArrayList<>();
            for (PathHop h : p.hops()) {
                hops.add(address(h.address(), h.masked()));
            }
            b.append("<tr class=\"path\" data-path=\"").append(i + 1).append("\"><td class=\"n\">").append(i + 1)
                    .append("</td><td>").append(x(p.flows().toString())).append("</td><td>")
                    .append(x(String.join(" → ", hops))).append("</td><td class=\"n\">").append(p.sent())
                    .append("</td>").append(lossCells(p.statistics(), false)).append("</tr>\n");
        }
        b.append("</table>\n");
        if (!r.diamonds().isEmpty()) {
            b.append("<h2>Diamonds</h2>\n<ul>");
            r.diamonds().forEach(d -> b.append("<li>").append(x(d.toString())).append("</li>"));
            b.append("</ul>\n");
        }
        notes(b, r.notes());
        return page("multipath discovery to " + AddressText.of(r.destination()), r.request().toString(),
                r.startedAt(), r.duration(), r.status().toString(), r.masking(), b.toString());
    }

    /**
     * {@return a monitor's report: its hops over the whole run, and per hop the loss and RTT of each round as a
     * heatmap with the route changes, outages and header changes at the rounds they happened}
     *
     * @param monitor the result
     * @param rounds the rounds heard, in order (as a {@link io.pathprobe.monitor.MonitorListener} hears them); empty
     *     when they are not known (a monitor document holds none): the heatmap draws the result's last round then,
     *     if it has one
     * @param masking what every output of the command hides
     */
    public static String of(MonitorResult monitor, List<MonitorRound> rounds, Masking masking) {
        MonitorMasking mm = new MonitorMasking(masking); // learns from the rounds in order, as the monitor's did
        List<MonitorRound> masked = (rounds.isEmpty() ? monitor.lastRound().stream().toList() : rounds).stream()
                .map(mm::apply).toList();
        MonitorResult r = mm.apply(monitor);
        StringBuilder b = new StringBuilder();
        b.append("<table class=\"hops\"><tr><th>TTL</th><th>address</th><th>name</th><th>AS</th><th>IXP</th>"
                + "<th>place</th><th>share</th><th>sent</th><th>lost</th><th>rate-limited</th><th>RTT</th></tr>\n");
        for (MonitorHop h : r.hops()) { // a row per responder, the hop's TTL and numbers on its first
            List<MonitorResponder> rs = h.responders();
            for (int i = 0; i < Math.max(1, rs.size()); i++) {
                b.append(i == 0 ? "<tr class=\"hop\" data-ttl=\"" + h.ttl() + "\"><td class=\"n\">" + h.ttl() + "</td>"
                        : "<tr><td></td>");
                if (rs.isEmpty()) {
                    b.append(h.masked() ? "<td class=\"masked\">masked</td>" : "<td>*</td>").append("<td></td>"
                            .repeat(5));
                } else {
                    MonitorResponder m = rs.get(i);
                    b.append(cells(h.masked() ? MaskStatement.MASKED : AddressText.of(m.address()), m.hostname(),
                            m.asn(), m.exchange(), m.location())).append("<td class=\"n\">")
                            .append(Text.percent(m.share())).append("</td>");
                }
                if (i == 0) {
                    monitorStatistics(b.append("<td class=\"n\">"), h.total());
                } else {
                    b.append("<td></td>".repeat(4));
                }
                b.append("</tr>\n");
            }
        }
        b.append("</table>\n");
        if (!masked.isEmpty()) {
            b.append("<h2>Rounds</h2>\n").append(Heatmap.draw(masked));
        }
        return page("monitor of " + r.target(), r.request().toString(), r.startedAt(), r.duration(),
                r.status() + ", " + r.rounds() + " rounds, " + r.pathChanges() + " path changes", r.masking(),
                b.toString());
    }

    /**
     * {@return the heatmap of a monitor's rounds as {@link #of(MonitorResult, List, Masking)} draws it, a fragment of
     * HTML (an inline SVG and the list of the events) to put in a page with this class's content security policy}
     *
     * @param rounds the rounds, in order, consecutive; not empty
     * @param masking what every output of the command hides (the rounds are masked in order, as a monitor's are)
     * @throws IllegalArgumentException if {@code rounds} is empty
     */
    public static String heatmap(List<MonitorRound> rounds, Masking masking) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no rounds to draw");
        }
        MonitorMasking mm = new MonitorMasking(masking);
        return Heatmap.draw(rounds.stream().map(mm::apply).toList());
    }

    /**
     * {@return a compare's report: its protocols side by side, TTL by TTL, their paths as one graph, and where they
     * part}
     *
     * @param compare the result
     * @param masking what every output of the command hides
     */
    public static String of(CompareResult compare, Masking masking) {
        CompareResult r = masking.apply(compare);
        List<ProbeProtocol> protocols = r.request().protocols();
        StringBuilder b = new StringBuilder("<table class=\"compare\"><tr><th>TTL</th>");
        protocols.forEach(p -> b.append("<th>").append(x(p.toString())).append("</th>"));
        b.append("</tr>\n");
        for (CompareRow row : r.rows()) {
            b.append("<tr><td class=\"n\">").append(row.ttl()).append("</td>");
            for (ProbeProtocol p : protocols) {
                Hop h = row.hops().get(p);
                b.append("<td>").append(h == null ? "" : x(h.toString().strip())).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        if (!r.divergences().isEmpty()) {
            b.append("<h2>Where they part</h2>\n<ul>");
            r.divergences().forEach(d -> b.append("<li>").append(x(d.toString())).append("</li>"));
            b.append("</ul>\n");
        }
        b.append(PathGraph.of(r).toSvg());
        for (TraceResult t : r.traces()) {
            changes(b, t);
        }
        MaskStatement m = r.traces().isEmpty() ? MaskStatement.NONE : r.traces().get(0).masking();
        return page("compare to " + r.request().target(), r.request().toString(), r.startedAt(), r.duration(),
                r.status().toString(), m, b.toString());
    }

    /**
     * {@return a path MTU discovery's report: each hop with the MTU found there and where a black hole is}
     *
     * @param mtu the result
     * @param masking what every output of the command hides
     */
    public static String of(MtuResult mtu, Masking masking) {
        MtuResult r = masking.apply(mtu);
        StringBuilder b = new StringBuilder("<table class=\"hops\"><tr><th>hop</th></tr>\n");
        for (MtuHop h : r.hops()) {
            b.append("<tr><td>").append(x(h.toString())).append("</td></tr>\n");
        }
        b.append("</table>\n<pre>").append(x(r.toString())).append("</pre>\n");
        return page("path MTU to " + r.target(), r.target() + " (" + r.transport() + ")", r.startedAt(), r.elapsed(),
                r.status().toString(), r.masking(), b.toString());
    }

    /**
     * {@return a ping's report: each target with its address, name, AS, place, loss (rate-limited apart) and RTT}
     *
     * @param ping the result
     * @param masking what every output of the command hides
     */
    public static String of(PingResult ping, Masking masking) {
        PingResult r = masking.apply(ping);
        StringBuilder b = new StringBuilder("<table class=\"hops\"><tr><th>target</th><th>address</th><th>name</th>"
                + "<th>AS</th><th>IXP</th><th>place</th><th>sent</th><th>lost</th><th>rate-limited</th><th>RTT</th>"
                + "<th>statistics</th></tr>\n");
        for (PingTargetResult t : r.targets()) {
            b.append("<tr><td>").append(x(t.target())).append("</td>").append(cells(t.address().map(AddressText::of)
                    .orElse("*"), t.hostname(), t.asn(), t.exchange(), t.location())).append("<td class=\"n\">")
                    .append(t.statistics().sent()).append("</td>").append(lost(t.statistics().lost(),
                            t.statistics().loss())).append(limited(t.statistics().rateLimited()))
                    .append(rtt(t.statistics().rtt())).append("<td>").append(x(t.statistics().toString()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        return page("ping", r.request().toString(), r.startedAt(), r.duration(), r.status().toString(), r.masking(),
                b.toString());
    }

    /**
     * {@return the version of pathprobe that writes the reports ({@code 0.1.0-SNAPSHOT}), read from the
     * {@code pom.properties} Maven packs into the jar; outside the jar, that it is not known}
     */
    public static String version() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(
                "/META-INF/maven/io.pathprobe/pathprobe-report/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
            }
        } catch (IOException e) {
            // as unknown
        }
        return "(version unknown: not run from its jar)";
    }

    private static String traceBody(TraceResult t) {
        StringBuilder b = new StringBuilder(hopTable(t));
        changes(b, t);
        return b.append(PathGraph.of(t).toSvg()).toString();
    }

    /** A trace's hops, a row per responder (a hop's first row holds its TTL, loss and RTT). */
    static String hopTable(TraceResult t) {
        StringBuilder b = new StringBuilder("<table class=\"hops\"><tr><th>TTL</th><th>address</th><th>name</th>"
                + "<th>AS</th><th>IXP</th><th>place</th><th>segment</th><th>sent</th><th>lost</th>"
                + "<th>rate-limited</th><th>RTT min/avg/max</th><th>received</th><th>interface / node</th></tr>\n");
        for (Hop h : t.hops()) {
            b.append("<tr class=\"hop\" data-ttl=\"").append(h.ttl()).append("\"><td class=\"n\">").append(h.ttl())
                    .append("</td>");
            if (h.masked() || h.responders().isEmpty()) {
                b.append(h.masked() ? "<td class=\"masked\">masked</td>" : "<td>*</td>").append("<td></td>"
                        .repeat(4));
            } else {
                b.append(cells(AddressText.of(h.responders().get(0).address()), h.hostname(), h.asn(), h.exchange(),
                        h.location()));
            }
            String segment = h.segment().toString().toLowerCase(Locale.ROOT);
            b.append("<td class=\"seg-").append(x(segment)).append("\">").append(x(segment)).append("</td>")
                    .append("<td class=\"n\">").append(h.statistics().sent()).append("</td>")
                    .append(lossCells(h.statistics(), true)).append("<td>").append(x(h.receivedText()))
                    .append("</td><td class=\"identity\">").append(x(String.join(" ", identities(h))))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    /**
     * The RFC 5837 interface and node objects a hop's answers carried: per address that sent them, the address and
     * its objects as {@code trace -e} prints them ({@code 198.18.251.1 <INC:101,"ge-0/0/1",mtu=1500;NODE:...>}),
     * each once.
     */
    static List<String> identities(Hop h) {
        return h.probes().stream().filter(p -> p.responder().isPresent() && !p.identityText().isEmpty())
                .map(p -> AddressText.of(p.responder().get()) + " " + p.identityText()).distinct().toList();
    }

    /** Address, name, AS (its colour band), IXP and place: five cells. */
    private static String cells(String address, Lookup<String> name, Lookup<AsnInfo> asn, Lookup<Exchange> ixp,
            Lookup<GeoLocation> place) {
        String band = asn.value().map(a -> " class=\"as" + Math.floorMod(Long.hashCode(a.number()), 8) + "\"")
                .orElse("");
        return "<td>" + x(address) + "</td><td>" + x(name.value().orElse("")) + "</td><td" + band + ">"
                + x(asn.value().map(AsnInfo::shortText).orElse("")) + "</td><td>"
                + x(ixp.value().map(Exchange::shortText).orElse("")) + "</td><td>"
                + x(place.value().map(GeoLocation::shortText).orElse("")) + "</td>";
    }

    /** Lost (with its share), rate-limited and RTT: three cells. */
    private static String lossCells(HopStatistics s, boolean lossRange) {
        String loss = lossRange && s.undecided() > 0 ? s.lossRange() : Text.percent(s.loss());
        return (s.lost() > 0 ? "<td class=\"n lost\">" : "<td class=\"n\">") + s.lost() + " (" + x(loss) + ")</td>"
                + limited(s.rateLimited()) + rtt(s.rtt());
    }

    private static String lost(long lost, double loss) {
        return (lost > 0 ? "<td class=\"n lost\">" : "<td class=\"n\">") + lost + " (" + x(Text.percent(loss))
                + ")</td>";
    }

    private static String limited(long rateLimited) {
        return rateLimited > 0 ? "<td class=\"n limited\">" + rateLimited + "</td>" : "<td class=\"n\">0</td>";
    }

    private static String rtt(Optional<RttStatistics> rtt) {
        return "<td class=\"n\">" + rtt.map(r -> x(Text.millis(r.min()) + " / " + Text.millis(r.avg()) + " / "
                + Text.ms(r.max()))).orElse("") + "</td>";
    }

    private static void monitorStatistics(StringBuilder b, MonitorStatistics s) {
        b.append(s.sent()).append("</td>").append(lost(s.lost(), s.loss())).append(limited(s.rateLimited()))
                .append(rtt(s.rtt()));
    }

    /** The header changes a trace saw, each at the hop that saw it first. */
    private static void changes(StringBuilder b, TraceResult t) {
        List<FirstChange> changes = t.headerChanges();
        if (!changes.isEmpty()) {
            b.append("<h2>Header changes</h2>\n<ul class=\"changes\">");
            changes.forEach(c -> b.append("<li data-ttl=\"").append(c.ttl()).append("\">").append(x(c.toString()))
                    .append("</li>"));
            b.append("</ul>\n");
        }
    }

    private static void notes(StringBuilder b, List<String> notes) {
        if (!notes.isEmpty()) {
            b.append("<h2>Notes</h2>\n<ul>");
            notes.forEach(n -> b.append("<li>").append(x(n)).append("</li>"));
            b.append("</ul>\n");
        }
    }

    private static String page(String title, String request, Instant startedAt, Duration duration, String status,
            MaskStatement masking, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CONTENT_SECURITY_POLICY + "\">\n"
                + "<meta name=\"generator\" content=\"pathprobe " + x(version()) + "\">\n"
                + "<title>" + x(title) + "</title>\n<style>\n" + STYLE + "</style></head>\n<body>\n"
                + "<h1>" + x(title) + "</h1>\n<p class=\"meta\">request: <code>" + x(request) + "</code><br>"
                + "started " + x(startedAt.toString()) + ", took " + x(Text.duration(duration)) + ", " + x(status)
                + (masking.equals(MaskStatement.NONE) ? "" : "<br>" + x(masking.toString())) + "<br>pathprobe "
                + x(version()) + "</p>\n" + body + "</body></html>\n";
    }

    /** Text for HTML: as the graph's SVG writes it. */
    static String x(String text) {
        return GraphSvg.xml(text);
    }

    /** {@return the address as every output prints it, {@code masked} where the masking hides it} */
    static String address(Optional<InetAddress> a, boolean masked) {
        return masked ? MaskStatement.MASKED : a.map(AddressText::of).orElse("*");
    }
}
