package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe mtr} in a real terminal: a tmux session on a private server (started from this
 * JVM, so in the lab's namespace) runs the command, and {@code tmux capture-pane} reads the screen.
 * While it runs the screen holds one table, redrawn in place (not a scroll of copies), naming every hop
 * of the lab's path; when the rounds end the report replaces it, and stays once the command exited.
 */
@LabTest
@Timeout(180)
class CliMtrTerminalLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(5).inCurrentNamespace());

    /** What the shell prints once the command has exited: the screen then holds what it left. */
    private static final String EXITED = "mtr-exited";

    private final String server = "pathprobe-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    private String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", server));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theTableIsRedrawnInPlaceThenTheReportReplacesIt() throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        // java -jar: tmux runs the command line alone, without the environment (JAVA_HOME) the launcher would take
        String mtr = new CliRuns(CliRuns.Enrichment.AS_GIVEN).call().via(CliRuns.Via.JAR)
                .command("mtr", "--no-enrich", "-c", "8", "-i", "0.5", dest).command().stream().map(a -> "'" + a + "'")
                .collect(java.util.stream.Collectors.joining(" "));
        String command = mtr + "; echo " + EXITED + "; sleep 60";
        try {
            tmux("new-session", "-d", "-s", "mtr", "-x", "150", "-y", "50", command);
            String running = null;
            String done = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < until && done == null) {
                String screen = tmux("capture-pane", "-p", "-t", "mtr");
                if (screen.contains("RUNNING") && screen.contains(" 3 rounds")) {
                    running = screen;
                }
                if (screen.contains(EXITED)) {
                    done = screen;
                }
                Thread.sleep(100);
            }
            assertThat(running).as("a live table seen while the monitor ran").isNotNull();
            String live = running;
            System.out.println(live);
            assertThat(live).contains("pathprobe mtr (Ctrl-C");
            assertThat(count(live, "HOST: ")).as("one table on the screen:%n%s", live).isEqualTo(1);
            for (Optional<InetAddress> hop : LAB.lab().expectedPath()) {
                hop.ifPresent(a -> assertThat(live).as("hop %s", a.getHostAddress()).contains(a.getHostAddress()));
            }
            assertThat(done).as("the screen once the command exited").isNotNull();
            // the report replaced the table, and no late redraw drew the table over it again
            assertThat(done).contains("8 rounds, COMPLETED").doesNotContain("pathprobe mtr (Ctrl-C");
            assertThat(count(done, "HOST: ")).isEqualTo(1);
            System.out.println(done);
        } finally {
            tmux("kill-server");
        }
    }
}
