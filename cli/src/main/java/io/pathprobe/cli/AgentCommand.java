package io.pathprobe.cli;

import io.pathprobe.agent.AgentConfig;
import io.pathprobe.agent.AgentStatistics;
import io.pathprobe.agent.JobConfig;
import io.pathprobe.agent.PathProbeAgent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pathprobe agent --config FILE}: runs a schedule of measurements until Ctrl-C (or SIGTERM, as Kubernetes
 * stops a pod), its records to the configured sinks, then prints what it did on standard error.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run a schedule of traces, pings, monitors, multipath and MTU discoveries from a YAML or JSON "
                + "file (docs/agent.md): records to NDJSON files, standard output or Kafka, in pathprobe's, RIPE "
                + "Atlas's or scamper's JSON; Prometheus metrics. The file is read again when it changes. Runs "
                + "until Ctrl-C or SIGTERM.",
            "Exit code 0 when stopped, 2 for a file that cannot be run as written (the message names the line)."})
final class AgentCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The schedule (YAML or JSON).")
    Path config = Path.of("");

    @Option(names = "--check", description = "Read the file, print the schedule and exit (0 if it can run, 2 if not).")
    boolean check;

    @Option(names = "--reload-interval", paramLabel = "SECONDS", converter = SecondsConverter.class,
            description = "How often the file is read again for changes (default 5).")
    Duration reloadInterval = Duration.ofSeconds(5);

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (check) {
            AgentConfig c = AgentConfig.read(config); // AgentConfigException: exit 2, one line
            out.println(config + ": " + c.jobs().size() + " job(s), " + c.sinks().size() + " sink(s), at most "
                    + c.limits().concurrency() + " at once, " + c.limits().packetsPerSecond() + " probes/s"
                    + c.metrics().map(m -> ", metrics on " + m.address() + m.path()).orElse("")
                    + c.user().map(u -> ", then as user " + u).orElse(""));
            for (JobConfig j : c.jobs()) {
                out.println("  " + j.name() + ": " + j.kind().name() + " of "
                        + j.targets().size() + " target(s) every " + j.interval().toMillis() / 1000.0 + " s"
                        + (j.labels().isEmpty() ? "" : " " + j.labels()) + (j.options().isEmpty() ? "" : " "
                        + j.options()));
            }
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        PathProbeAgent agent = PathProbeAgent.builder().configFile(config).reloadInterval(reloadInterval).build();
        agent.start();
        Thread hook = new Thread(() -> {
            agent.close();
            AgentStatistics s = agent.statistics();
            err.println("pathprobe agent: stopped: " + s);
            err.flush();
            stopped.countDown();
            // A JVM that a signal ends exits with 128 + the signal (143 for SIGTERM, as Kubernetes stops a pod; 130
            // for Ctrl-C) whatever main returns. The agent stopped as asked, with everything closed and said: exit 0,
            // as the README's exit codes give
            Runtime.getRuntime().halt(0);
        }, "pathprobe-agent-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("pathprobe agent: " + agent.config().jobs().size() + " job(s) from " + config
                + "; stop with Ctrl-C");
        err.flush();
        stopped.await();
        return 0;
    }

    /** "5", "0.5": seconds, as a duration. */
    static final class SecondsConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            double s;
            try {
                s = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not a number of seconds");
            }
            if (!(s > 0) || s > 86_400) {
                throw new IllegalArgumentException("'" + value + "' is not a reload interval: give 0.1 to 86400");
            }
            return Duration.ofNanos(Math.round(s * 1e9));
        }
    }
}
