package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --mask N}: on every measurement command; a value out of 0-255 is a usage error (exit 2) naming the range. */
class CliMaskTest {
    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    @Test
    void everyMeasurementCommandTakesIt() {
        CommandLine cl = PathProbeCli.commandLine();
        for (String c : List.of("trace", "mtr", "multipath", "mtu", "ping", "compare")) {
            assertThat(cl.getSubcommands().get(c).getCommandSpec().findOption("--mask")).as(c).isNotNull();
        }
    }

    @Test
    void outOfRangeIsAUsageError() {
        for (String bad : List.of("-1", "256", "two")) {
            Run run = CLI.inProcess("trace", "--mask", bad, "127.0.0.1");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("--mask").contains("255");
            assertThat(run.out()).isEmpty();
        }
    }
}
