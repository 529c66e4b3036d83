package io.pathprobe.multipath;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Segment;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
/**
 * The text form (see {@link MultipathResult#toText(int)}) of a multipath result: the topology one line per TTL with its
 * nodes side by side in aligned columns (wrapped to the width), the links only where they are not obvious (both TTLs
 * have several nodes, or not every node links to every next one), the diamonds, the per-packet
 * balancers, a table of paths with loss and RTT, and the totals.
 */
final class MultipathText {
    /** Marks a per-packet load balancer in the topology. */
    static final String PER_PACKET_MARK = "!";
    private static final String INDENT = "       ";

    private MultipathText() {}

    /** Everything but the header line, each line ended; lines no longer than {@code width} where they can wrap. */
    static String render(MultipathResult r, int width) {
        if (r.status() == MultipathStatus.NO_ROUTE || r.status() == MultipathStatus.SEND_FAILED) {
            // one line: no probe can leave this host for the destination, and why
            String cause = r.notes().stream().filter(n -> n.startsWith("send failed: "))
                    .map(n -> n.substring("send failed: ".length())).reduce((a, b) -> b).orElse("send failed");
            return String.format(Locale.ROOT, "%s to %s: %s (transport %s)%n",
                    r.status() == MultipathStatus.NO_ROUTE ? "no route from this host"
                            : "no probe can be sent from this host",
                    AddressText.of(r.destination()), cause, r.transport());
        }
        StringBuilder b = new StringBuilder(r.masking().active() ? r.masking() + "\n" : "");
        topology(b, r, width);
        names(b, r);
        diamonds(b, r, width);
        paths(b, r, width);
        totals(b, r, width);
        return b.toString();
    }

    // ---- topology ------------------------------------------------------------------------------

    /** Host names, AS numbers and segments of the answering nodes, when enrichment found any. */
    private static void names(StringBuilder b, MultipathResult r) {
        List<MultipathNode> known = r.nodes().stream().filter(n -> !n.silent()).toList();
        if (known.stream().allMatch(n -> n.hostname().status() == LookupStatus.OFF
                && n.segment() == Segment.UNKNOWN && n.location().value().isEmpty()
                && n.exchange().value().isEmpty())) {
            return;
        }
        int addr = known.stream().mapToInt(n -> n.addressText().length()).max().orElse(1);
        int host = known.stream().mapToInt(n -> n.hostname().value().orElse("").length()).max().orElse(1);
        b.append("names\n");
        for (MultipathNode n : known) {
            if (n.masked()) {
                b.append(String.format(Locale.ROOT, "%3d    %s\n", n.ttl(), n.addressText()));
                continue;
            }
            String as = n.asn().value().map(AsnInfo::shortText).orElse(
                    n.asn().status() == LookupStatus.FAILED ? "AS?" : "");
            String place = n.location().value().map(l -> "  [" + l.shortText() + "]").orElse("")
                    + n.exchange().value().map(x -> "  " + x.shortText()).orElse("");
            b.append(String.format(Locale.ROOT, "%3d    %-" + addr + "s  %-" + Math.max(1, host) + "s  %-20s  %s",
                    n.ttl(), n.addressText(), n.hostname().value().orElse(""), as, n.segment().name() + place)
                    .stripTrailing()).append('\n');
        }
        PathContext c = r.context();
        if (c.publicAddress().value().isPresent() || c.publicAddress().status() == LookupStatus.FAILED) {
            b.append(c).append('\n');
        }
    }

    private static String label(MultipathNode n) {
        return n.addressText() + (n.loadBalancing() == LoadBalancing.PER_PACKET ? PER_PACKET_MARK : "");
    }

    private static void topology(StringBuilder b, MultipathResult r, int width) {
        if (r.nodes().isEmpty()) {
            b.append("no node answered\n");
            return;
        }
        TreeSet<Integer> ttls = r.nodes().stream().map(MultipathNode::ttl)
                .collect(Collectors.toCollection(TreeSet::new));
        int column = r.nodes().stream().mapToInt(n -> label(n).length()).max().orElse(1) + 2;
        int perLine = Math.max(1, (width - INDENT.length()) / column);
        b.append("ttl    nodes").append(r.perPacketLoadBalancing()
                ? "  (" + PER_PACKET_MARK + " per-packet load balancer)" : "")
                .append('\n');
        for (int ttl : ttls) {
            List<MultipathNode> here = r.nodesAt(ttl);
            if (here.stream().allMatch(MultipathNode::masked)) { // one line: how many nodes is hidden with them
                b.append(String.format(Locale.ROOT, "%3d    %s\n", ttl, io.pathprobe.probe.MaskStatement.MASKED));
                links(b, r, ttl, width);
                continue;
            }
            for (int i = 0; i < here.size(); i += perLine) {
                StringBuilder line = new StringBuilder(i == 0 ? String.format(Locale.ROOT, "%3d    ", ttl) : INDENT);
                List<MultipathNode> part = here.subList(i, Math.min(here.size(), i + perLine));
                for (int j = 0; j < part.size(); j++) {
                    String l = label(part.get(j));
                    line.append(j == part.size() - 1 ? l : String.format(Locale.ROOT, "%-" + column + "s", l));
                }
                b.append(line).append('\n');
            }
            links(b, r, ttl, width);
        }
    }

    /** The links from {@code ttl} to the next TTL, when they are not obvious. */
    private static void links(StringBuilder b, MultipathResult r, int ttl, int width) {
        List<MultipathNode> from = r.nodesAt(ttl);
        List<MultipathNode> to = r.nodesAt(ttl + 1);
        if (to.isEmpty()) {
            return;
        }
        List<MultipathLink> links = r.links().stream().filter(l -> l.ttl() == ttl).toList();
        long pairs = links.stream().map(l -> List.of(r.from(l), r.to(l))).distinct().count();
        boolean everyToEvery = pairs == (long) from.size() * to.size();
        if (everyToEvery && (from.size() == 1 || to.size() == 1)) {
            return; // one node fans out or all meet: nothing to say
        }
        if (everyToEvery) {
            b.append(INDENT).append("(each of these links to each of the next)\n");
            return;
        }
        Map<Object, List<String>> byFrom = new LinkedHashMap<>(); // by node: masked nodes all read "masked"
        for (MultipathNode n : from) {
            byFrom.put(n, new ArrayList<>());
        }
        for (MultipathLink l : links) {
            byFrom.computeIfAbsent(r.from(l).map(n -> (Object) n).orElse(l), k -> new ArrayList<>())
                    .add(r.to(l).map(MultipathNode::addressText).orElse(l.to().map(AddressText::of).orElse("*")));
        }
        for (Map.Entry<Object, List<String>> e : byFrom.entrySet()) {
            List<String> targets = e.getValue().isEmpty() ? List.of("(no link seen)") : e.getValue();
            String name = e.getKey() instanceof MultipathNode n ? n.addressText()
                    : ((MultipathLink) e.getKey()).from().map(AddressText::of).orElse("*");
            wrap(b, INDENT + "  " + name + " → ", targets, width);
        }
    }

    /** {@code prefix} then the items separated by spaces, wrapped under the first item. */
    private static void wrap(StringBuilder b, String prefix, List<String> items, int width) {
        StringBuilder line = new StringBuilder(prefix);
        String hang = " ".repeat(prefix.length());
        boolean first = true;
        for (String item : items) {
            if (!first && line.length() + 1 + item.length() > width) {
                b.append(line).append('\n');
                line = new StringBuilder(hang);
                first = true;
            }
            line.append(first ? "" : " ").append(item);
            first = false;
        }
        b.append(line).append('\n');
    }

    // ---- diamonds ------------------------------------------------------------------------------

    private static void diamonds(StringBuilder b, MultipathResult r, int width) {
        if (r.diamonds().isEmpty() && !r.perPacketLoadBalancing()) {
            b.append("\nno load balancing: one path\n");
            return;
        }
        b.append('\n');
        for (Diamond d : r.diamonds()) {
            b.append(d).append('\n');
        }
        for (MultipathNode n : r.nodes()) {
            if (n.loadBalancing() == LoadBalancing.PER_PACKET) {
                b.append("per-packet load balancer at ").append(n.addressText()).append(" (ttl ").append(n.ttl())
                        .append("): one flow reached several next hops, so the branches after it are what was seen, "
                                + "not a width\n");
            }
        }
    }

    // ---- paths ---------------------------------------------------------------------------------

    private static void paths(StringBuilder b, MultipathResult r, int width) {
        if (r.paths().isEmpty()) {
            return;
        }
        int probes = r.request().pathProbes();
        b.append('\n').append(r.paths().size()).append(r.paths().size() == 1 ? " path" : " paths")
                .append(probes == 0 ? " (not measured: --path-probes 0)" : ", " + probes + " probes per hop")
                .append(":\n");
        List<String> rtts = r.paths().stream().map(p -> p.statistics().rtt().map(MultipathText::rtt).orElse("-"))
                .toList();
        int rttWidth = Math.max("rtt min/avg/max ms".length(), rtts.stream().mapToInt(String::length).max().orElse(1));
        b.append(String.format(Locale.ROOT, "  #    loss  95%% range  forward backward   %-" + rttWidth + "s  flows%n",
                "rtt min/avg/max ms"));
        int i = 0;
        for (MultipathPath p : r.paths()) {
            HopStatistics s = p.statistics();
            boolean measured = s.received() + s.lost() > 0;
            b.append(String.format(Locale.ROOT, "%3d  %6s  %9s  %7s %8s   %-" + rttWidth + "s  %s%n", i + 1,
                    measured ? Text.percent(s.loss()) : "-", range(p), measured ? Text.percent(s.forwardLoss()) : "-",
                    measured ? Text.percent(s.backwardLoss()) : "-", rtts.get(i), flows(p.flows())));
            wrap(b, "     ", arrows(p.hops().stream().map(PathHop::addressText).toList()), width);
            i++;
        }
    }

    /**
     * The 95 % interval of a path's loss whichever way its rate-limited probes went ({@link MultipathPath#lossLow()}),
     * "0-28%", or "-" with no probe decided.
     */
    private static String range(MultipathPath p) {
        HopStatistics s = p.statistics();
        if (s.received() + s.lost() + s.rateLimited() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f-%.0f%%", 100 * p.lossLow(), 100 * p.lossHigh());
    }

    private static List<String> arrows(List<String> addresses) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            out.add(i == 0 ? addresses.get(i) : "→ " + addresses.get(i));
        }
        return out;
    }

    private static String flows(List<Integer> flows) {
        int shown = Math.min(flows.size(), 6);
        return flows.size() + (flows.isEmpty() ? "" : ": " + flows.subList(0, shown).stream().map(String::valueOf)
                .collect(Collectors.joining(" ")) + (flows.size() > shown ? " …" : ""));
    }

    static String rtt(RttStatistics s) {
        return Text.millis(s.min()) + "/" + Text.millis(s.avg()) + "/" + Text.millis(s.max());
    }

    // ---- totals --------------------------------------------------------------------------------

    private static void totals(StringBuilder b, MultipathResult r, int width) {
        String how = switch (r.status()) {
            case COMPLETED -> "complete";
            case PROBE_BUDGET -> "cut short: the probe budget (" + r.request().maxProbes() + " probes) ran out";
            case DEADLINE_EXCEEDED -> "cut short: the deadline (" + Text.duration(r.request().deadline()) + ") passed";
            case CANCELLED -> "cancelled";
            case NO_ROUTE -> "ended: no route from this host";
            case SEND_FAILED -> "ended: no probe can be sent from this host";
            case RUNNING -> "still running";
        };
        List<InetAddress> answeredFrom = r.destinationAnsweredFrom();
        String reached = !r.destinationReached() ? "destination " + AddressText.of(r.destination()) + " not reached"
                : answeredFrom.equals(List.of(r.destination())) || answeredFrom.isEmpty() ? "destination reached"
                : "destination reached (destination answered from " + answeredFrom.stream().map(AddressText::of)
                        .collect(java.util.stream.Collectors.joining(", ")) + ")";
        b.append('\n').append(how).append(", ").append(reached).append(": ")
                .append(String.format(Locale.ROOT, "%d probes (%d to discover, %d %s) in %s ms, "
                                + "%d nodes, %d links, max width %d%n", r.probes(), r.discoveryProbes(),
                        r.probes() - r.discoveryProbes(),
                        r.request().pathProbes() == 0 ? "per-packet checks" : "per path",
                        Text.millis(r.duration()), r.nodes().size(), r.links().size(), r.maxWidth()));
        b.append("confidence ").append(percent(r.confidence())).append("% per node, ")
                .append(percent(r.globalConfidence())).append("% for the whole topology")
                .append(r.complete() ? "" : " (where it was explored)").append('\n');
        if (!r.unexplored().isEmpty()) {
            wrap(b, "unexplored (" + r.unexplored().size() + "): ", r.unexplored().stream()
                    .map(n -> n.addressText() + "@" + n.ttl()).toList(), width);
        }
        for (String note : r.notes()) {
            b.append("note: ").append(note).append('\n');
        }
    }

    /** 95 → "95", 90.25 → "90.25", 99.99499 → "99.995". */
    static String percent(double p) {
        String s = String.format(Locale.ROOT, "%.3f", p);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
