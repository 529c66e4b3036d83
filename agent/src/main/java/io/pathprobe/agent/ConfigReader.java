package io.pathprobe.agent;

import io.pathprobe.MeasurementType;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.agent.AgentConfig.Limits;
import io.pathprobe.agent.AgentConfig.MetricsSettings;
import io.pathprobe.agent.metrics.MetricsServer;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.agent.sink.SinkSettings;
import io.pathprobe.check.Assertion;
import io.pathprobe.check.Assertions;
import io.pathprobe.core.internal.runtime.Targets;
import io.pathprobe.linux.privilege.Privileges;
import io.pathprobe.linux.privilege.User;
import io.pathprobe.options.ProbeOption;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.TrafficClass;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the agent's schedule from YAML nodes, which keep their line and column, so every error names where it
 * is. Unknown keys are errors (a typo must not silently leave an option at its default).
 */
final class ConfigReader {
    private static final Set<String> TOP = Set.of("limits", "defaults", "sinks", "metrics", "jobs", "user",
            "otlp");
    private static final Set<String> JOB = Set.of("name", "kind", "target", "targets", "interval", "jitter", "labels",
            "options", "count", "probeInterval", "assert");
    /** The shared probe options a job or the defaults may set ({@link ProbeOptions#OPTIONS}), by key. */
    private static final Map<String, ProbeOption<?>> OPTIONS = ProbeOptions.OPTIONS.stream()
            .collect(java.util.stream.Collectors.toMap(ProbeOption::name, o -> o));

    private final String source;

    ConfigReader(String source) {
        this.source = source;
    }

    AgentConfig read(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(4 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            var m = e.getProblemMark();
            throw new AgentConfigException(source, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                    "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new AgentConfigException(source, 0, 0, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new AgentConfigException(source, 0, 0, "is empty: give at least one job under 'jobs'");
        }
        Map<String, Node> top = map(root, "the schedule", TOP);
        Limits limits = limits(top.get("limits"));
        ProbeOptions defaults = top.containsKey("defaults") ? options(top.get("defaults"), "defaults")
                : ProbeOptions.NONE;
        List<SinkSettings> sinks = new ArrayList<>();
        Node s = top.get("sinks");
        if (s != null) {
            List<Node> list = list(s, "sinks");
            Map<String, Integer> types = new HashMap<>();
            for (Node n : list) {
                String t = text(map(n, "a sink", null).get("type"), n, "sinks[].type");
                types.merge(t.toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
            for (int i = 0; i < list.size(); i++) {
                sinks.add(sink(list.get(i), "sinks[" + i + "]", i, types));
            }
        }
        Optional<MetricsSettings> metrics = Optional.empty();
        Node mt = top.get("metrics");
        if (mt != null) {
            Map<String, Node> m = map(mt, "metrics", Set.of("host", "port", "path", "readTimeout", "user",
                    "passwordFile", "passwordEnv", "keystore", "keystorePasswordFile", "keystorePasswordEnv", "pages"));
            Duration readTimeout = m.containsKey("readTimeout") ? duration(m.get("readTimeout"), "metrics.readTimeout")
                    : MetricsServer.Options.DEFAULT_READ_TIMEOUT;
            Optional<MetricsAccess.Secret> password = secret(m, mt, "password");
            Optional<MetricsAccess.Secret> keystorePassword = secret(m, mt, "keystorePassword");
            MetricsAccess access = at(mt, () -> new MetricsAccess(
                    Optional.ofNullable(m.get("user")).map(u -> text(u, mt, "metrics.user")), password,
                    Optional.ofNullable(m.get("keystore")).map(k -> Path.of(text(k, mt, "metrics.keystore"))),
                    keystorePassword));
            String path = m.containsKey("path") ? text(m.get("path"), mt, "metrics.path") : "/metrics";
            Node pages = m.get("pages");
            Optional<String> at = pages == null ? MetricsSettings.defaultPages(path) : pages(pages, mt);
            metrics = Optional.of(at(pages != null ? pages : mt, () -> new MetricsSettings(
                    m.containsKey("host") ? text(m.get("host"), mt, "metrics.host") : MetricsSettings.DEFAULT_HOST,
                    integer(m, "port", "metrics", 9464), path, readTimeout, access, at)));
            at(mt, () -> access.options(readTimeout)); // the secrets and keystore read as start reads them
        }
        Node j = top.get("jobs");
        if (j == null) {
            throw error(root, "has no 'jobs': give at least one");
        }
        List<JobConfig> jobs = new ArrayList<>();
        List<Node> list = list(j, "jobs");
        for (int i = 0; i < list.size(); i++) {
            JobConfig job = job(list.get(i), "jobs[" + i + "]", defaults);
            for (JobConfig other : jobs) {
                if (other.name().equals(job.name())) {
                    throw error(list.get(i), "jobs[" + i + "].name: '" + job.name() + "' is the name of another job");
                }
            }
            jobs.add(job);
        }
        Node u = top.get("user");
        // looked up now (--check refuses an unknown user as start would); switched to by start, after the opening
        Optional<User> user = u == null ? Optional.empty() : Optional.of(user(u, text(u, root, "user")));
        Node o = top.get("otlp");
        Optional<OtlpSettings> otlp = Optional.empty();
        if (o != null) {
            Map<String, Node> m = map(o, "otlp", Set.of("endpoint", "timeout", "queue"));
            String endpoint = text(m.get("endpoint"), o, "otlp.endpoint");
            Duration timeout = m.containsKey("timeout") ? duration(m.get("timeout"), "otlp.timeout")
                    : OtlpSettings.DEFAULT_TIMEOUT;
            int queue = integer(m, "queue", "otlp", OtlpSettings.DEFAULT_QUEUE);
            otlp = Optional.of(at(o, () -> new OtlpSettings(java.net.URI.create(endpoint), timeout, queue)));
        }
        Limits lim = limits;
        Optional<MetricsSettings> met = metrics;
        Optional<OtlpSettings> ot = otlp;
        return at(root, () -> new AgentConfig(lim, defaults, sinks, met, jobs, user, ot));
    }

    private JobConfig job(Node n, String where, ProbeOptions defaults) {
        Map<String, Node> m = map(n, where, JOB);
        String name = required(m, n, "name", where);
        String kindText = required(m, n, "kind", where);
        MeasurementType<?, ?> kind = io.pathprobe.agent.sink.AgentRecord.KINDS.stream()
                .filter(k -> k.name().equalsIgnoreCase(kindText))
                .findFirst().orElseThrow(() -> error(nodeOf(m, "kind", n), where + ".kind: '" + kindText
                        + "' is not a kind: trace, ping, monitor, multipath or mtu"));
        List<String> targets = new ArrayList<>();
        if (m.containsKey("target") == m.containsKey("targets")) {
            throw error(n, where + ": give 'target' or 'targets' (one of them)");
        }
        if (m.containsKey("target")) {
            targets.add(text(m.get("target"), n, where + ".target"));
        } else {
            for (Node t : list(nodeOf(m, "targets", n), where + ".targets")) {
                targets.add(text(t, n, where + ".targets[]"));
            }
        }
        Node targetNode = nodeOf(m, m.containsKey("target") ? "target" : "targets", n);
        for (String t : targets) {
            if (t.isBlank()) {
                throw error(n, where + ": a target is blank");
            }
            try {
                Targets.literal(t); // as the CLI's commands parse a target, before any lookup
            } catch (UnknownTargetException e) {
                throw error(targetNode, where + (m.containsKey("target") ? ".target: " : ".targets: ")
                        + e.getMessage());
            }
        }
        Duration interval = m.containsKey("interval") ? duration(m.get("interval"), where + ".interval")
                : kind == MeasurementType.MONITOR ? Duration.ofSeconds(1) : null;
        if (interval == null) {
            throw error(n, where + ": give 'interval' (how often each target is measured, e.g. 60s)");
        }
        Duration floor = JobConfig.minimumInterval(kind); // JobConfig checks it too: here the line is named
        if (interval.compareTo(floor) < 0) {
            throw error(nodeOf(m, "interval", n), where + ".interval: " + interval.toMillis() + " ms is shorter than a "
                    + kind.name() + " job's floor, " + floor.toMillis() + " ms");
        }
        Duration jitter = m.containsKey("jitter") ? duration(m.get("jitter"), where + ".jitter") : Duration.ZERO;
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.containsKey("labels")) {
            for (Map.Entry<String, Node> e : map(m.get("labels"), where + ".labels", null).entrySet()) {
                if (!e.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*") || e.getKey().startsWith("__")) {
                    throw error(e.getValue(), where + ".labels: '" + e.getKey()
                            + "' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)");
                }
                labels.put(e.getKey(), text(e.getValue(), n, where + ".labels." + e.getKey()));
            }
        }
        ProbeOptions options = m.containsKey("options")
                ? defaults.with(options(m.get("options"), where + ".options")) : defaults;
        int count = integer(m, "count", where, 5);
        Duration probeInterval = m.containsKey("probeInterval")
                ? duration(m.get("probeInterval"), where + ".probeInterval") : Duration.ofSeconds(1);
        List<Assertion> assertions = m.containsKey("assert") ? assertions(m.get("assert"), where + ".assert", kind,
                name)
                : List.of();
        Duration iv = interval;
        JobConfig job = at(n, () -> new JobConfig(name, kind, targets, iv, jitter, labels, options, count,
                probeInterval, assertions));
        return at(n, () -> {
            Requests.check(job);
            return job;
        });
    }

    /**
     * A job's {@code assert}: {@code pathprobe check}'s options without {@code --}, a value or a list of them; one the
     * job's kind cannot show is refused as {@code pathprobe check} refuses it ({@link Assertions#refusal}).
     */
    private List<Assertion> assertions(Node n, String where, MeasurementType<?, ?> kind, String job) {
        if (kind != MeasurementType.TRACE && kind != MeasurementType.MONITOR && kind != MeasurementType.PING) {
            throw error(n, where + ": a " + kind.name() + " job takes no assertions (a trace, monitor or ping job "
                    + "does)");
        }
        List<Assertion> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : map(n, where, Set.copyOf(Assertion.OPTIONS)).entrySet()) {
            String key = where + "." + e.getKey();
            for (Node v : e.getValue() instanceof SequenceNode ? list(e.getValue(), key) : List.of(e.getValue())) {
                String t = text(v, n, key);
                Optional<Assertion> a;
                try {
                    a = Assertion.parse(e.getKey(), t);
                } catch (IllegalArgumentException x) {
                    throw error(v, key + ": " + x.getMessage());
                }
                Optional<String> refusal = a.flatMap(x -> Assertions.refusal(x, kind));
                if (refusal.isPresent()) {
                    throw error(v, key + ": job '" + job + "': " + refusal.get());
                }
                a.ifPresent(out::add);
            }
        }
        return out;
    }

    private SinkSettings sink(Node n, String where, int index, Map<String, Integer> types) {
        Map<String, Node> m = map(n, where, null);
        String type = required(m, n, "type", where).toLowerCase(Locale.ROOT);
        RecordFormat format = m.containsKey("format")
                ? at(m.get("format"), () -> RecordFormat.named(text(m.get("format"), n, where + ".format")))
                : RecordFormat.PATHPROBE;
        String name = m.containsKey("name") ? text(m.get("name"), n, where + ".name")
                : types.getOrDefault(type, 0) > 1 ? type + "-" + index : type;
        int buffer = integer(m, "bufferRecords", where, SinkSettings.DEFAULT_BUFFER_RECORDS);
        Map<String, String> options = new LinkedHashMap<>();
        Set<String> own = Set.of("type", "format", "name", "bufferRecords");
        for (Map.Entry<String, Node> e : m.entrySet()) {
            if (own.contains(e.getKey())) {
                continue;
            }
            if (e.getKey().equals("options")) {
                for (Map.Entry<String, Node> o : map(e.getValue(), where + ".options", null).entrySet()) {
                    options.put(o.getKey(), text(o.getValue(), n, where + ".options." + o.getKey()));
                }
            } else {
                options.put(e.getKey(), text(e.getValue(), n, where + "." + e.getKey()));
            }
        }
        SinkSettings settings = at(n, () -> new SinkSettings(name, type, format, buffer, options));
        at(n, () -> SinkCheck.check(settings));
        return settings;
    }

    private ProbeOptions options(Node n, String where) {
        Map<String, Node> m = map(n, where, OPTIONS.keySet());
        ProbeOptions.Builder b = ProbeOptions.builder();
        for (Map.Entry<String, Node> e : m.entrySet()) {
            ProbeOption<?> o = java.util.Objects.requireNonNull(OPTIONS.get(e.getKey()), "a known key");
            Object value = value(e.getValue(), where + "." + e.getKey(), o.type());
            at(e.getValue(), () -> {
                o.set(b, value);
                return b;
            });
        }
        return at(n, b::build);
    }

    /** An option's YAML value, read as its type reads. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object value(Node v, String key, Class<?> type) {
        return type == Integer.class ? integer(v, key)
                : type == Duration.class ? duration(v, key)
                : type == IpVersion.class ? choice(v, key, ConfigReader::ipVersion)
                : type == TrafficClass.class ? choice(v, key, ConfigReader::trafficClass)
                : type == Boolean.class ? choice(v, key, ConfigReader::bool)
                : choice(v, key, t -> Enum.valueOf((Class) type, upper(t)));
    }

    private static boolean bool(String t) {
        return switch (t.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + t + "' is not true or false");
        };
    }

    private static IpVersion ipVersion(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "4", "ipv4", "v4" -> IpVersion.IPV4;
            case "6", "ipv6", "v6" -> IpVersion.IPV6;
            case "any" -> IpVersion.ANY;
            default -> throw new IllegalArgumentException("'" + t + "' is not an IP version: 4, 6 or any");
        };
    }

    /**
     * A DSCP number or name ({@code 46}, {@code EF}, {@code AF41/ect0}), or, as the CLI's {@code -t} takes it, the ToS
     * byte in hex ({@code 0xb8} is DSCP 46), either optionally /ECN.
     */
    static TrafficClass trafficClass(String t) {
        String[] parts = t.strip().split("/", 2);
        String head = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!head.matches("0x[0-9a-f]{1,2}")) {
            return TrafficClass.parse(t);
        }
        TrafficClass c = TrafficClass.of(Integer.parseInt(head.substring(2), 16));
        return parts.length == 2 ? new TrafficClass(c.dscp(), Ecn.parse(parts[1])) : c;
    }

    private static String upper(String t) {
        return t.strip().toUpperCase(Locale.ROOT);
    }

    private <T> T choice(Node v, String key, Function<String, T> parse) {
        String t = text(v, v, key);
        try {
            return parse.apply(t);
        } catch (IllegalArgumentException e) {
            throw error(v, key + ": '" + t + "' is not allowed here" + (e.getMessage() != null
                    && e.getMessage().startsWith("'") ? " (" + e.getMessage() + ")" : ""));
        }
    }

    /** "10s", "500ms", "2m", "1h", "1.5s", or ISO-8601 ("PT10S"). */
    static Duration parseDuration(String t) {
        String s = t.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            String[][] units = {{"ms", "1000000"}, {"us", "1000"}, {"s", "1000000000"}, {"m", "60000000000"},
                {"h", "3600000000000"}, {"d", "86400000000000"}};
            for (String[] u : units) {
                if (s.endsWith(u[0]) && !(u[0].equals("s") && s.endsWith("ms")) && !(u[0].equals("s")
                        && s.endsWith("us"))) {
                    double v = Double.parseDouble(s.substring(0, s.length() - u[0].length()).strip());
                    if (!Double.isFinite(v)) {
                        break;
                    }
                    return Duration.ofNanos(Math.round(v * Long.parseLong(u[1])));
                }
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // falls through to the error
        }
        throw new IllegalArgumentException("'" + t + "' is not a duration (e.g. 10s, 500ms, 2m, 1h)");
    }

    /** {@code <name>File} or {@code <name>Env} of the metrics endpoint, one at most. */
    private Optional<MetricsAccess.Secret> secret(Map<String, Node> m, Node mt, String name) {
        Node file = m.get(name + "File");
        Node env = m.get(name + "Env");
        if (file != null && env != null) {
            throw error(env, "metrics." + name + "Env: give " + name + "File or " + name + "Env, not both");
        }
        if (file == null && env == null) {
            return Optional.empty();
        }
        return Optional.of(new MetricsAccess.Secret(
                Optional.ofNullable(file).map(f -> Path.of(text(f, mt, "metrics." + name + "File"))),
                Optional.ofNullable(env).map(e -> text(e, mt, "metrics." + name + "Env"))));
    }

    /** {@code metrics.pages}: a path, {@code false} (YAML's {@code off} and {@code no} too) for none. */
    private Optional<String> pages(Node v, Node parent) {
        String t = text(v, parent, "metrics.pages");
        if (v.getTag().equals(Tag.BOOL)) {
            return Set.of("true", "yes", "on").contains(t.toLowerCase(Locale.ROOT)) ? Optional.of("/")
                    : Optional.empty();
        }
        return Optional.of(t);
    }

    private Duration duration(Node v, String key) {
        String t = text(v, v, key);
        try {
            return parseDuration(t);
        } catch (IllegalArgumentException e) {
            throw error(v, key + ": " + e.getMessage());
        }
    }

    /** The schedule's limits: concurrency, the overall rate and the probing budget ({@code limits.budget}). */
    private Limits limits(@Nullable Node l) {
        if (l == null) {
            return Limits.DEFAULT;
        }
        Limits limits;
        Map<String, Node> m = map(l, "limits", Set.of("concurrency", "packetsPerSecond", "budget"));
        Node b = m.get("budget");
        Map<String, Node> bm = b == null ? Map.of() : map(b, "limits.budget",
                Set.of("perDestination", "perRouter", "perPrefix"));
        limits = at(l, () -> new Limits(integer(m, "concurrency", "limits", Limits.DEFAULT.concurrency()),
                integer(m, "packetsPerSecond", "limits", Limits.DEFAULT.packetsPerSecond())));
        if (b != null) {
            int overall = limits.packetsPerSecond();
            int concurrency = limits.concurrency();
            limits = at(b, () -> new Limits(concurrency, io.pathprobe.options.ProbeBudget.builder().overall(overall)
                    .perDestination(integer(bm, "perDestination", "limits.budget", 0))
                    .perRouter(integer(bm, "perRouter", "limits.budget", 0))
                    .perPrefix(integer(bm, "perPrefix", "limits.budget", 0)).build()));
        }
        return limits;
    }

    private int integer(Node v, String key) {
        String t = text(v, v, key);
        try {
            return Integer.parseInt(t.strip());
        } catch (NumberFormatException e) {
            throw error(v, key + ": '" + t + "' is not a whole number");
        }
    }

    private int integer(Map<String, Node> m, String name, String where, int otherwise) {
        Node v = m.get(name);
        return v == null ? otherwise : integer(v, where + "." + name);
    }

    private String required(Map<String, Node> m, Node n, String name, String where) {
        Node v = m.get(name);
        if (v == null) {
            throw error(n, where + ": '" + name + "' is missing");
        }
        return text(v, n, where + "." + name);
    }

    /** The schedule's {@code user:}, looked up in the user database. */
    private User user(Node n, String name) {
        try {
            return Privileges.user(name);
        } catch (IllegalArgumentException e) {
            throw error(n, "user: " + e.getMessage());
        }
    }

    private String text(@Nullable Node v, Node parent, String key) {
        if (v == null) {
            throw error(parent, key + " is missing");
        }
        if (!(v instanceof ScalarNode s)) {
            throw error(v, key + ": a single value was expected here");
        }
        return s.getValue();
    }

    private List<Node> list(Node n, String where) {
        if (!(n instanceof SequenceNode s)) {
            throw error(n, where + ": a list was expected here");
        }
        return s.getValue();
    }

    private Map<String, Node> map(Node n, String where, @Nullable Set<String> allowed) {
        if (!(n instanceof MappingNode mn)) {
            throw error(n, where + ": a map of keys was expected here");
        }
        Map<String, Node> m = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw error(t.getKeyNode(), where + ": a key must be a single word");
            }
            if (allowed != null && !allowed.contains(k.getValue())) {
                throw error(k, where + ": unknown key '" + k.getValue() + "' (known: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            if (m.put(k.getValue(), t.getValueNode()) != null) {
                // SnakeYAML's allowDuplicateKeys is its constructor's, not the composer's that gives these nodes
                throw error(k, where + ": the key '" + k.getValue() + "' is given twice");
            }
        }
        return m;
    }

    /** Runs a check that throws IllegalArgumentException, as an error at {@code n}. */
    private <T> T at(Node n, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (AgentConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(n, java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()));
        }
    }

    private AgentConfigException error(Node n, String message) {
        return new AgentConfigException(source, n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1,
                message);
    }

    /** The node of {@code key} in {@code m}, whose line a message names; {@code parent} where it has none. */
    private static Node nodeOf(Map<String, Node> m, String key, Node parent) {
        Node v = m.get(key);
        return v != null ? v : parent;
    }
}
