package io.pathprobe.agent.metrics;

import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.evidence.Masking;
import io.pathprobe.graph.GraphSvg;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.report.HtmlReport;
import io.pathprobe.trace.TraceResult;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The agent's read-only pages on its metrics endpoint ({@link MetricsServer.Pages}): at its path (e.g. {@code /}) an
 * index of the schedule's jobs and targets with each one's state, linking to a page per job and target at
 * {@code <path>job/<job>/<target>} (each name percent-encoded): its newest result as {@link HtmlReport} draws it (a
 * monitor's newest round's trace) and its recent path changes, newest first: when, which flow, from what path to
 * what path, as {@code pathprobe_path_changes_total} counts them ({@link FlowPath#conflicts}). A monitor job's page
 * also draws its target's last {@link #ROUNDS} rounds as the report's heatmap ({@link HtmlReport#heatmap}).
 *
 * <p>Bounded for a run of any length: per target of the schedule the newest result, the newest failure, each flow's
 * known path, the last {@link #CHANGES} changes and a monitor's last {@link #ROUNDS} rounds; what the schedule no
 * longer has is forgotten. Thread-safe: the agent's callback thread records while the endpoint's thread draws.
 */
public final class AgentPages implements MetricsServer.Pages {
    /** The path changes kept per job and target. */
    public static final int CHANGES = 20;
    /** The monitor rounds kept per job and target, for the page's heatmap. */
    public static final int ROUNDS = 60;

    /**
     * One path change.
     *
     * @param time when the result that showed it ended
     * @param flow its flow ({@code classic} for a classic trace, else the flow's number)
     * @param from the path before, its hops' addresses ({@code *} for a silent TTL)
     * @param to the path after
     */
    record Change(Instant time, String flow, String from, String to) {
    }

    /** What one job's target showed last. */
    private static final class Target {
        @Nullable AgentRecord latest;
        @Nullable AgentRecord failure;
        final Map<String, FlowPath> paths = new HashMap<>();
        final ArrayDeque<Change> changes = new ArrayDeque<>();
        final ArrayDeque<MonitorRound> rounds = new ArrayDeque<>();
    }

    private record Key(String job, String target) {
    }

    private final String path;
    private final Supplier<Map<String, List<String>>> schedule;
    private final Map<Key, Target> targets = new HashMap<>();

    /**
     * Pages at {@code path}.
     *
     * @param path the index's path, starting with {@code /}; the target pages are under it
     * @param schedule each job's targets measured apart, by job name in order (read on every record and page)
     */
    public AgentPages(String path, Supplier<Map<String, List<String>>> schedule) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the pages' path must start with /, was " + path);
        }
        this.path = path;
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /**
     * Takes a record: a result becomes its target's newest (a trace's or monitor round's paths checked for a
     * change), a {@link AgentRecord.Failure} its newest failure. A record of a job or target the schedule does not
     * have is dropped.
     *
     * @param r the record
     */
    public void record(AgentRecord r) {
        Map<String, List<String>> now = schedule.get();
        if (!now.getOrDefault(r.job(), List.of()).contains(r.target())) {
            return;
        }
        synchronized (targets) {
            Target t = targets.computeIfAbsent(new Key(r.job(), r.target()), k -> new Target());
            if (targets.size() > now.values().stream().mapToInt(List::size).sum()) { // some left the schedule
                targets.keySet().removeIf(k -> !now.getOrDefault(k.job(), List.of()).contains(k.target()));
            }
            if (r.result() instanceof AgentRecord.Failure) {
                t.failure = r;
                return;
            }
            t.latest = r;
            TraceResult trace = r.kind() == MeasurementType.TRACE ? (TraceResult) r.result()
                    : r.kind() == MeasurementType.MONITOR ? ((MonitorRound) r.result()).trace() : null;
            if (trace != null) {
                FlowPath.of(trace).forEach((flow, p) -> follow(t, r.time(), flow, p));
            }
            if (r.kind() == MeasurementType.MONITOR) {
                keep(t.rounds, (MonitorRound) r.result());
            }
        }
    }

    /** Keeps {@code round}, the last {@link #ROUNDS}: a round not after the newest starts anew (a new monitor). */
    private static void keep(ArrayDeque<MonitorRound> rounds, MonitorRound round) {
        MonitorRound newest = rounds.peekLast();
        if (newest != null && round.number() <= newest.number()) {
            rounds.clear();
        }
        if (rounds.size() == ROUNDS) {
            rounds.removeFirst();
        }
        rounds.addLast(round);
    }

    /** A flow's newest path: a change where it conflicts with the known one, else the known one filled in. */
    private static void follow(Target t, Instant time, String flow, FlowPath p) {
        FlowPath known = t.paths.get(flow);
        if (!p.answered()) {
            return;
        }
        if (known != null && known.conflicts(p)) {
            if (t.changes.size() == CHANGES) {
                t.changes.removeLast();
            }
            t.changes.addFirst(new Change(time, flow, known.text(), p.text()));
        }
        t.paths.put(flow, known == null || known.conflicts(p) ? p : known.fill(p));
    }

    /**
     * Forgets a job that left the schedule (if it comes back, its history starts anew).
     *
     * @param job the job's name
     */
    public void jobRemoved(String job) {
        synchronized (targets) {
            targets.keySet().removeIf(k -> k.job().equals(job));
        }
    }

    @Override
    public Optional<MetricsServer.Page> page(String asked) {
        String base = path.endsWith("/") ? path : path + "/";
        if (asked.equals(path) || asked.equals(base)) {
            return Optional.of(html(index(base)));
        }
        if (!asked.startsWith(base + "job/")) {
            return Optional.empty();
        }
        String[] parts = asked.substring(base.length() + 4).split("/", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        String job;
        String target;
        try {
            job = decode(parts[0]);
            target = decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a broken escape
        }
        if (!schedule.get().getOrDefault(job, List.of()).contains(target)) {
            return Optional.empty();
        }
        return Optional.of(html(target(base, job, target)));
    }

    /** {@return the monitor rounds kept of a job's target, in order} */
    List<MonitorRound> rounds(String job, String target) {
        return snapshot(job, target).rounds;
    }

    /** {@return the recent changes of a job's target, newest first} */
    List<Change> changes(String job, String target) {
        synchronized (targets) {
            Target t = targets.get(new Key(job, target));
            return t == null ? List.of() : List.copyOf(t.changes);
        }
    }

    private String index(String base) {
        StringBuilder b = new StringBuilder("<table class=\"jobs\"><tr><th>job</th><th>kind</th><th>target</th>"
                + "<th>state</th><th>path changes kept</th></tr>\n");
        for (Map.Entry<String, List<String>> j : schedule.get().entrySet()) {
            for (String target : j.getValue()) {
                Snapshot s = snapshot(j.getKey(), target);
                b.append("<tr class=\"target\"><td>").append(x(j.getKey())).append("</td><td>")
                        .append(x(s.latest == null ? "" : kind(s.latest))).append("</td><td><a href=\"")
                        .append(x(href(base, j.getKey(), target))).append("\">").append(x(target))
                        .append("</a></td><td>").append(x(state(s))).append("</td><td class=\"n\">")
                        .append(s.changes.size()).append("</td></tr>\n");
            }
        }
        return document("pathprobe agent", b.append("</table>\n").toString());
    }

    private String target(String base, String job, String target) {
        Snapshot s = snapshot(job, target);
        String nav = "<p class=\"agent\"><a href=\"" + x(base) + "\">all jobs</a> · job " + x(job) + ", target "
                + x(target) + ": " + x(state(s)) + "</p>\n";
        StringBuilder changes = new StringBuilder("<h2>Recent path changes</h2>\n");
        if (s.changes.isEmpty()) {
            changes.append("<p class=\"path-changes\">none seen since the agent started or the job last changed (the "
                    + "last ").append(CHANGES).append(" are kept)</p>\n");
        } else {
            changes.append("<table class=\"path-changes\"><tr><th>when</th><th>flow</th><th>from</th><th>to</th>"
                    + "</tr>\n");
            for (Change c : s.changes) {
                changes.append("<tr class=\"path-change\"><td>").append(x(c.time().toString())).append("</td><td>")
                        .append(x(c.flow())).append("</td><td>").append(x(c.from())).append("</td><td>")
                        .append(x(c.to())).append("</td></tr>\n");
            }
            changes.append("</table>\n");
        }
        if (s.latest == null) {
            return document(job + " " + target, nav + "<p>no result yet</p>\n" + changes);
        }
        String report = report(s.latest);
        int body = report.indexOf("<body>\n") + "<body>\n".length();
        int end = report.lastIndexOf("</body>");
        String heatmap = s.rounds.isEmpty() ? "" : "<h2>Recent rounds</h2>\n<p class=\"rounds\">the last " + ROUNDS
                + " are kept</p>\n" + HtmlReport.heatmap(s.rounds, Masking.NONE);
        return report.substring(0, body) + nav + report.substring(body, end) + heatmap + changes
                + report.substring(end);
    }

    /** {@return the newest result as the offline report draws it (as measured: the agent masks nothing)} */
    private static String report(AgentRecord r) {
        MeasurementType<?, ?> kind = r.kind();
        Object result = r.result();
        if (kind == MeasurementType.TRACE) {
            return HtmlReport.of((TraceResult) result, Masking.NONE);
        } else if (kind == MeasurementType.MONITOR) {
            return HtmlReport.of(((MonitorRound) result).trace(), Masking.NONE);
        } else if (kind == MeasurementType.MULTIPATH) {
            return HtmlReport.of((MultipathResult) result, Masking.NONE);
        } else if (kind == MeasurementType.PING) {
            return HtmlReport.of((PingResult) result, Masking.NONE);
        }
        return HtmlReport.of((MtuResult) result, Masking.NONE);
    }

    private record Snapshot(@Nullable AgentRecord latest, @Nullable AgentRecord failure, List<Change> changes,
            List<MonitorRound> rounds) {
    }

    private Snapshot snapshot(String job, String target) {
        synchronized (targets) {
            Target t = targets.get(new Key(job, target));
            return t == null ? new Snapshot(null, null, List.of(), List.of())
                    : new Snapshot(t.latest, t.failure, List.copyOf(t.changes), List.copyOf(t.rounds));
        }
    }

    private static String state(Snapshot s) {
        AgentRecord f = s.failure;
        AgentRecord r = s.latest;
        if (f != null && (r == null || f.time().isAfter(r.time()))) {
            return "failed at " + f.time() + ": " + ((AgentRecord.Failure) f.result()).error();
        }
        if (r == null) {
            return "no result yet";
        }
        return "result at " + r.time() + ": " + status(r);
    }

    private static String status(AgentRecord r) {
        MeasurementType<?, ?> kind = r.kind();
        Object result = r.result();
        if (kind == MeasurementType.TRACE) {
            return status((TraceResult) result);
        } else if (kind == MeasurementType.MONITOR) {
            MonitorRound m = (MonitorRound) result;
            return "round " + m.number() + ", " + status(m.trace());
        } else if (kind == MeasurementType.MULTIPATH) {
            MultipathResult m = (MultipathResult) result;
            return m.status() + ", " + m.paths().size() + " paths";
        }
        return kind == MeasurementType.PING ? ((PingResult) result).status().toString()
                : ((MtuResult) result).status().toString();
    }

    private static String status(TraceResult t) {
        return t.status() + (t.destinationReached() ? ", destination reached" : ", destination not reached");
    }

    private static String kind(AgentRecord r) {
        return r.kind().name().toLowerCase(Locale.ROOT);
    }

    private static MetricsServer.Page html(String text) {
        return new MetricsServer.Page("text/html; charset=utf-8", text);
    }

    private static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + HtmlReport.CONTENT_SECURITY_POLICY
                + "\">\n<title>" + x(title) + "</title>\n<style>body{font:13px/1.4 sans-serif;margin:16px}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
                + "td.n{text-align:right}</style></head>\n<body>\n<h1>" + x(title) + "</h1>\n" + body
                + "</body></html>\n";
    }

    /** {@return the target page's path: the job's and target's names percent-encoded (a space as %20)} */
    static String href(String base, String job, String target) {
        return base + "job/" + encode(job) + "/" + encode(target);
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String x(String text) {
        return GraphSvg.xml(text);
    }
}
