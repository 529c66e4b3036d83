package io.pathprobe.cli;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathProbeException;
import io.pathprobe.PathTracer;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.TransportInfo;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.json.ErrorJson;
import io.pathprobe.trace.TcpMode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar pathprobe.jar <command>}. */
@Command(name = "pathprobe", mixinStandardHelpOptions = true, versionProvider = PathProbeCli.Version.class,
        description = "Network path diagnostics: traceroute with all TTLs probed at once.")
public final class PathProbeCli implements Runnable {
    /**
     * The commands, in the order the usage lists them. Not the annotation's {@code subcommands}: picocli would build
     * every command's model (its options, converters, mixins and the classes their fields name) before running any,
     * a third of a short command's start-up; {@link #commandLine(String...)} builds only the one that runs.
     */
    static final List<Class<?>> COMMANDS = List.of(TraceCommand.class, PingCommand.class, MtrCommand.class,
            MultipathCommand.class, MtuCommand.class, CompareCommand.class, ReplayCommand.class, ReportCommand.class,
            DiffCommand.class, BufferbloatCommand.class, CheckCommand.class, TransportsCommand.class,
            ServeCommand.class, AgentCommand.class);

    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    public static void main(String[] args) {
        oneLineLogs(args);
        System.exit(run(args));
    }

    /**
     * A warning the library logs while a command runs (a recording that stopped, a listener that threw) reads as one
     * line, as the command's own errors do ({@code WARNING: pathprobe recording to r.ndjson stopped: ...}), not the
     * JDK's two lines of date and method. The long-running services ({@code agent}, {@code serve}) keep the JDK's
     * form, with its time; a format the user set ({@code -Djava.util.logging.SimpleFormatter.format}) is kept.
     */
    static void oneLineLogs(String... args) {
        String format = "java.util.logging.SimpleFormatter.format";
        boolean service = args.length > 0 && (args[0].equals("agent") || args[0].equals("serve"));
        if (!service && System.getProperty(format) == null) {
            System.setProperty(format, "%4$s: %5$s%6$s%n");
        }
    }

    /**
     * Runs the command line and returns its exit code (for tests and embedding). Errors read as the field's tools
     * print them: one line on stderr naming the command ({@code pathprobe trace: Unknown option: '-x'}), then, for
     * a usage error, one hint line ({@code see 'pathprobe trace --help'}), never the whole usage; exit code 2 for bad
     * input, as the README's table gives. An option given twice takes its last value, as getopt does.
     */
    public static int run(String... args) {
        CommandLine cl = commandLine(args);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // --mask: no hidden address in an error either; a request's checks in the command's words (its flags)
            String message = MaskOptions.of(cmd).redact(e instanceof IllegalArgumentException
                    ? inCliWords(message(e), apiWords(cmd.getCommandSpec())) : message(e));
            cmd.getErr().println(prefix(cmd) + message);
            cmd.getErr().flush();
            if (OutputOptions.jsonRequested(cmd)) {
                printJsonError(errorType(e), message);
                return USAGE;
            }
            return e instanceof PathProbeException || e instanceof IllegalArgumentException ? USAGE : 1;
        });
        cl.setParameterExceptionHandler((e, rest) -> {
            CommandLine cmd = e.getCommandLine();
            String line = oneLine(message(e));
            cmd.getErr().println(prefix(cmd) + line);
            if (OutputOptions.jsonRequested(List.of(args))) {
                cmd.getErr().flush();
                printJsonError("usage", line);
            } else {
                cmd.getErr().println(hint(e));
                cmd.getErr().flush();
            }
            return USAGE;
        });
        cl.setExecutionStrategy(PathProbeCli::execute);
        return cl.execute(args);
    }

    /**
     * Runs the command parsed; a command that records ({@code --record FILE}) has what it prints on stdout copied,
     * and appended to its recording once it has ended ({@link RecordOptions#printed(Path, RecordOptions.Printed)}):
     * what {@code pathprobe replay} prints if the replay leaves the record. A command run by a replay is not copied.
     */
    private static int execute(CommandLine.ParseResult parsed) {
        java.nio.file.Path recording = recording(parsed);
        if (recording == null || ReplayCommand.replaying() != null) {
            return new CommandLine.RunLast().execute(parsed);
        }
        java.io.PrintStream original = System.out;
        CopiedOutput copied = new CopiedOutput(original);
        RecordOptions.hostReadCleared();
        System.setOut(copied);
        int code = 1;
        try {
            code = new CommandLine.RunLast().execute(parsed);
        } finally {
            copied.flush();
            System.setOut(original);
        }
        // a recording that could not be written (or finished: a full disk) fails the command, in one line
        boolean kept = RecordOptions.printed(recording, new RecordOptions.Printed(copied.text(), code,
                System.console() != null, RecordOptions.hostRead()));
        return kept || code != 0 ? code : 1;
    }

    /** The file the parsed command records to ({@code --record}), or null. */
    private static java.nio.file.@Nullable Path recording(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult sub = parsed.subcommand();
        CommandLine.Model.OptionSpec record = sub == null ? null : sub.commandSpec().findOption("--record");
        return record == null ? null : record.getValue(); // RecordOptions#file, in TracerOptions or its own mixin
    }

    /**
     * The command line as {@link #run} parses it (no handlers): enum values in any case, a repeated option's last;
     * every command.
     */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for these arguments: when the first names a command, that command alone (what it parses,
     * prints and exits with is the same: its usage, errors and qualified name do not name its siblings); otherwise
     * (no command, {@code --help}, {@code --version}, a mistyped command that picocli's guesses need the others
     * for) every command.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new PathProbeCli(), new Factory());
        @Nullable Class<?> named = args.length == 0 ? null : COMMANDS.stream().filter(c -> names(c).contains(args[0]))
                .findFirst().orElse(null);
        for (Class<?> c : named == null ? COMMANDS : List.of(named)) {
            cl.addSubcommand(c);
        }
        // after the commands are added: these settings reach the subcommands the CommandLine has at the call
        return cl.setCaseInsensitiveEnumValuesAllowed(true).setOverwrittenOptionsAllowed(true);
    }

    /**
     * picocli's factory, but the CLI's own classes (commands, mixins, converters: package-private, as the module's
     * classes are) made through their constructor made accessible at once. picocli's {@code DefaultFactory} first
     * tries {@code Class.newInstance()}, which throws an {@link IllegalAccessException} for each such class (17 in a
     * trace's start, each a stack trace and a message built by the interpreter) before it does the same.
     */
    static final class Factory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls.getName().startsWith("io.pathprobe.cli.") && !cls.isInterface()) {
                java.lang.reflect.Constructor<K> c = cls.getDeclaredConstructor();
                c.setAccessible(true);
                return c.newInstance();
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /**
     * A command whose request's checks have words no single option stands for: a whole call or a qualified name
     * ({@code protocol(ProbeProtocol.TCP)}, {@code FlowMode.PARIS}) and the flags that say it ({@code -T},
     * {@code --flow paris}). The words options stand for are their {@link ApiWord}s.
     */
    interface ApiWords {
        /** {@return each such word and the flags a user types for it} */
        java.util.Map<String, String> apiWords();
    }

    /**
     * {@return each word of the request builders' messages ({@code firstTtl}, {@code destinationPort}) and the option
     * of this command that sets it, as a user types it ({@code -f}, {@code -p}): its options' (and mixins')
     * {@link ApiWord}s, and the command's own {@link ApiWords}}
     *
     * @param spec a command
     */
    static java.util.Map<String, String> apiWords(CommandLine.Model.CommandSpec spec) {
        java.util.Map<String, String> words = new java.util.LinkedHashMap<>();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            ApiWord w = o.userObject() instanceof java.lang.reflect.AnnotatedElement e
                    ? e.getAnnotation(ApiWord.class) : null;
            if (w != null) {
                words.put(w.value(), w.name().isEmpty() ? o.names()[0] : w.name());
            }
        }
        if (spec.userObject() instanceof ApiWords w) {
            words.putAll(w.apiWords());
        }
        return words;
    }

    /**
     * The message with the API's words replaced by the command's: a word called with a value ({@code flows(2)} →
     * {@code --flows 2}), or standing for its value, followed by {@code must}, {@code is}, {@code applies},
     * {@code needs} or a number ({@code firstTtl 5 is beyond maxTtl 3} → {@code -f 5 is beyond -m 3}); a key that is
     * a whole call or a qualified name ({@code protocol(ProbeProtocol.TCP)}, {@code FlowMode.PARIS}) as written.
     * Other text, the same words in a sentence ({@code at most 1 flows from this port}) included, is left as it is.
     */
    static String inCliWords(String message, java.util.Map<String, String> words) {
        String m = message;
        for (var e : words.entrySet()) {
            if (literal(e.getKey())) {
                m = m.replace(e.getKey(), e.getValue());
            }
        }
        for (var e : words.entrySet()) {
            if (literal(e.getKey())) {
                continue;
            }
            String word = java.util.regex.Pattern.quote(e.getKey());
            String flag = java.util.regex.Matcher.quoteReplacement(e.getValue());
            m = m.replaceAll("(?<![\\w.-])" + word + "\\(([^()]*)\\)", flag + " $1")
                    .replaceAll("(?<![\\w.-])" + word + "(?= (?:must|is|applies|needs|[-\\d]))", flag);
        }
        return m;
    }

    /** Whether a key of {@link ApiWords#apiWords()} is replaced as written: a whole call, or a qualified name. */
    private static boolean literal(String apiWord) {
        return apiWord.endsWith(")") || apiWord.contains(".");
    }

    /** A command's name and aliases, read from its annotation alone (no model is built). */
    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new java.util.ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    /** The exit code of bad input (a usage error), in every command. */
    static final int USAGE = 2;

    /** {@code "pathprobe trace: "}: what starts every error line of a command. */
    static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    /**
     * Prints an error of a command that ran (no probe could leave this host, a target it could not probe) as every
     * error is printed: one line on stderr, {@code pathprobe trace: no route from this host to ...}; the message's
     * own lines are joined into one ({@link #oneLine}).
     */
    static void error(CommandLine.Model.@Nullable CommandSpec spec, String message) {
        CommandLine cmd = spec == null ? null : spec.commandLine(); // a mixin's spec (nested too): its command's
        java.io.PrintWriter err = cmd == null ? new java.io.PrintWriter(System.err, true) : cmd.getErr();
        err.println((cmd == null ? "pathprobe" : cmd.getCommandSpec().qualifiedName()) + ": " + oneLine(message));
        err.flush();
    }

    /** The one line under a usage error: {@code see 'pathprobe trace --help'}. */
    static String hint(CommandLine cmd) {
        return "see '" + cmd.getCommandSpec().qualifiedName() + " --help'";
    }

    /** The hint line, led by picocli's guesses at a mistyped command or option: {@code did you mean 'trace'? ...}. */
    static String hint(CommandLine.ParameterException e) {
        List<String> guesses = e instanceof CommandLine.UnmatchedArgumentException u ? u.getSuggestions() : List.of();
        return guesses.isEmpty() ? hint(e.getCommandLine()) : "did you mean " + String.join(" or ", guesses.stream()
                .limit(3).map(g -> "'" + g + "'").toList()) + "? " + hint(e.getCommandLine());
    }

    /** A message on one line: its lines joined by "; ". */
    static String oneLine(String message) {
        return String.join("; ", message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /**
     * With JSON output, an error is one JSON document on stdout ({@link ErrorJson#write}: type and
     * message) and exit code 2.
     */
    static void printJsonError(String type, String message) {
        System.out.println(ErrorJson.write(type, message));
        System.out.flush();
    }

    /**
     * The error document's type: usage, unknown_target, no_transport, server, invalid_argument, pathprobe or internal
     * (the enum of docs/schema/error.schema.json; CliErrorTypeTest).
     */
    static String errorType(Throwable e) {
        if (e instanceof CommandLine.ParameterException) {
            return "usage";
        }
        if (e instanceof UnknownTargetException) {
            return "unknown_target";
        }
        if (e instanceof NoTransportAvailableException) {
            return "no_transport";
        }
        if (e instanceof ResponsivenessServerException) {
            return "server";
        }
        if (e instanceof IllegalArgumentException) {
            return "invalid_argument";
        }
        return e instanceof PathProbeException ? "pathprobe" : "internal";
    }

    /**
     * The error in a CLI user's words: a missing transport's advice names the option
     * ({@code --protocol udp}), not the Java method the library's message names.
     */
    static String message(Throwable e) {
        if (e instanceof NoTransportAvailableException n) {
            // one line: what and why in brief; every transport's reason is in 'pathprobe transports'
            return withoutSlashes(n.summary()) + n.usableProtocol().map(p -> "; " + p + " probes are usable here: "
                    + "--protocol " + p.name().toLowerCase(Locale.ROOT) + ", or leave --protocol out").orElse("")
                    + " (every transport: pathprobe transports)";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            // a file the command could not open: Java's message is the bare path ("/nonexistent"); say why
            if (c instanceof java.nio.file.NoSuchFileException f) {
                return f.getFile() + ": no such file";
            }
            if (c instanceof java.nio.file.AccessDeniedException f) {
                return f.getFile() + ": permission denied";
            }
        }
        return withoutSlashes(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** An address as Java's {@code InetAddress.toString()} writes it inside a message: {@code /198.19.0.1}. */
    private static final java.util.regex.Pattern SLASHED = java.util.regex.Pattern.compile(
            "(^|[\\s(\\[,;'\"=])/(\\d{1,3}(?:\\.\\d{1,3}){3}\\b|\\[?[0-9a-fA-F]{0,4}:[0-9a-fA-F:.%]*\\]?)");

    /**
     * A message with its addresses as people write them: {@code 198.19.0.1:4444}, not Java's
     * {@code /198.19.0.1:4444}; a path such as {@code /nonexistent} is left as it is.
     */
    static String withoutSlashes(String message) {
        return SLASHED.matcher(message).replaceAll("$1$2");
    }

    /**
     * {@code pathprobe} alone: a usage error (exit 2), one line naming the commands and the hint, as a command
     * without its target; {@code pathprobe --help} prints the usage.
     */
    @Override
    public void run() {
        if (spec != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no command given: "
                    + String.join(", ", COMMANDS.stream().map(c -> c.getAnnotation(Command.class).name()).toList()));
        }
    }

    @Command(name = "transports", mixinStandardHelpOptions = true,
            description = "List the probe transports on this machine, whether each is usable here and why not.")
    static final class TransportsCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            try (PathTracer tracer = PathTracer.create()) {
                for (TransportInfo t : tracer.transports()) {
                    System.out.println(line(t));
                }
            }
            return 0;
        }

        /**
         * A transport as this command lists it: {@code linux-raw-icmp  unavailable  needs CAP_NET_RAW (socket(...):
         * EPERM ...)}, or its capabilities when it is usable.
         */
        static String line(TransportInfo t) {
            return String.format(Locale.ROOT, "%-23s %-11s %s", t.name(), t.available() ? "available" : "unavailable",
                    t.available() ? t.capabilities().stream().map(Enum::name).sorted().toList() : t.reason());
        }

        /**
         * {@code --verbose} under a note that a protocol was passed over: every transport this tracer knows that is
         * not usable here, as this command lists it, each line led by two spaces.
         */
        static String unusable(PathTracer tracer) {
            return tracer.transports().stream().filter(t -> !t.available()).map(t -> "  " + line(t))
                    .collect(java.util.stream.Collectors.joining("\n"));
        }
    }

    /**
     * {@code --version}: the version the build gave the jar ({@code pathprobe 0.1.0-SNAPSHOT}), read as the HTML report
     * reads it ({@link io.pathprobe.report.HtmlReport#version()}: the {@code pom.properties} Maven packs into the jar,
     * the one build's version); outside the jar (classes on a class path), that it is not known.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pathprobe " + io.pathprobe.report.HtmlReport.version()};
        }
    }

    /** {@code syn} or {@code in-connection} (also {@code in_connection}), in any case. */
    static final class TcpModeConverter implements CommandLine.ITypeConverter<TcpMode> {
        @Override
        public TcpMode convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            return switch (v) {
                case "syn" -> TcpMode.SYN;
                case "in-connection" -> TcpMode.IN_CONNECTION;
                default -> throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a TCP mode: syn or in-connection");
            };
        }
    }

    /**
     * A duration as the field's tools take one: a plain number is seconds ({@code traceroute -w 1.5},
     * {@code ping -W 0.5}), or a number with a unit ({@code 250us}, {@code 500ms}, {@code 1.5s},
     * {@code 2m}), or ISO-8601 ({@code PT1S}). Anything else, or a negative value, is a usage error
     * naming what is accepted.
     */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final java.util.regex.Pattern FORM =
                java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(us|µs|ms|s|m|min)?");

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            java.util.regex.Matcher m = FORM.matcher(v);
            if (m.matches()) {
                double n = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                double nanos = switch (unit) {
                    case "us", "µs" -> n * 1e3;
                    case "ms" -> n * 1e6;
                    case "m", "min" -> n * 60e9;
                    default -> n * 1e9;
                };
                if (nanos > Long.MAX_VALUE / 2.0) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is too long");
                }
                return Duration.ofNanos(Math.round(nanos));
            }
            try {
                Duration d = Duration.parse(value.trim());
                if (!d.isNegative()) {
                    return d;
                }
            } catch (java.time.format.DateTimeParseException e) {
                // falls through to the message below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: give seconds (1.5) or "
                    + "a number with us, ms, s or m (500ms, 2s)");
        }
    }
}
