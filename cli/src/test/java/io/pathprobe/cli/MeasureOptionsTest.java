package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.evidence.Masking;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The options every measuring command shares ({@link MeasureOptions}, a mixin holding the output, HTML, mask and
 * family mixins): inside it they still speak for the command, as they did as the command's own mixins.
 */
class MeasureOptionsTest {
    private static final List<String> COMMANDS = List.of("trace", "multipath", "mtr", "compare", "mtu", "ping");

    private static CommandLine parsed(String... args) {
        return PathProbeCli.commandLine().parseArgs(args).subcommand().commandSpec().commandLine();
    }

    private static MeasureOptions shared(CommandLine cmd) {
        return MeasureOptions.find(cmd.getCommandSpec(), MeasureOptions.class).orElseThrow();
    }

    @Test
    void anErrorLineNamesTheCommandNotTheMixin() {
        for (String name : COMMANDS) {
            CommandLine cmd = parsed(name, "198.18.0.1");
            StringWriter err = new StringWriter();
            cmd.setErr(new PrintWriter(err));
            PathProbeCli.error(shared(cmd).output.spec, "no route from this host to 198.18.0.1");
            assertThat(err.toString()).as(name)
                    .isEqualTo("pathprobe " + name + ": no route from this host to 198.18.0.1" + System.lineSeparator());
            assertThat(shared(cmd).output.usage("bad").getCommandLine()).as(name).isSameAs(cmd);
        }
    }

    @Test
    void theErrorHandlersFindTheNestedFormatAndMask() {
        for (String name : COMMANDS) {
            CommandLine plain = parsed(name, "198.18.0.1");
            assertThat(OutputOptions.jsonRequested(plain)).as(name).isFalse();
            assertThat(MaskOptions.of(plain)).as(name).isEqualTo(Masking.NONE);
            CommandLine json = parsed(name, "--json", "--mask", "2", "198.18.0.1");
            assertThat(OutputOptions.jsonRequested(json)).as(name).isTrue();
            assertThat(MaskOptions.of(json).hops()).as(name).isEqualTo(2);
        }
    }

    @Test
    void aCommandWithoutThemHasNone() {
        CommandLine diff = parsed("diff", "a.json", "b.json");
        assertThat(MeasureOptions.find(diff.getCommandSpec(), MeasureOptions.class)).isEmpty();
        assertThat(MaskOptions.of(diff)).isEqualTo(Masking.NONE);
    }

    @Test
    void mtuSaysItsTransportNeedsThePathMtuCapabilityAndTheOthersDoNot() {
        // one --transport option (TracerOptions) in every command; mtu's help adds what docs/mtu.md says
        for (String name : List.of("mtu", "mtr", "ping", "multipath")) {
            String help = parsed(name, "198.18.0.1").getUsageMessage(CommandLine.Help.Ansi.OFF)
                    .replaceAll("\\s+", " ");
            assertThat(help).as(name)
                    .contains("--transport=<transport> Use this transport (see 'pathprobe transports'");
            if (name.equals("mtu")) {
                assertThat(help).contains("(see 'pathprobe transports'; it needs the PATH_MTU capability).");
            } else {
                assertThat(help).as(name).doesNotContain("PATH_MTU");
            }
        }
    }
}
