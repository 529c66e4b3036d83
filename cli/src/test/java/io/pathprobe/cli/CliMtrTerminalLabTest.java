package io.pathprobe.cli;

import static io.pathprobe.cli.TmuxScreen.counted;
import static io.pathprobe.cli.TmuxScreen.line;
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
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe mtr} in a real terminal, as a person tries it: a tmux session on a private server (started from
 * this JVM, so in the lab's namespace) runs the shipped launcher on two targets of the lab, {@code tmux send-keys}
 * presses mtr's keys and {@code tmux capture-pane} reads the screen after each: what it shows changes as mtr's does.
 * The pane is resized and the screen is drawn again to its new width. After {@code q}, Ctrl-C and a SIGTERM to the
 * java process the shell behind the screen prints the exit code and {@code stty -a}: the terminal is sane again
 * (canonical input, echo) and the report replaced the screen.
 */
@LabTest
@Timeout(240)
class CliMtrTerminalLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(5).inCurrentNamespace());

    private final TmuxScreen tmux = new TmuxScreen();

    @AfterEach
    void killServer() throws Exception {
        tmux.close();
    }

    /** {@code mtr} on the lab's destination and its second router, as a shell command line. */
    private static String mtr() {
        String dest = LAB.lab().destination().getHostAddress();
        String router = LAB.lab().expectedPath().get(1).orElseThrow().getHostAddress();
        return TmuxScreen.pathprobe(CliRuns.Via.JAR, "mtr", "--no-enrich", "-i", "0.5", dest, router);
    }

    /** Starts {@code mtr} on the lab's destination and its second router in a 150x50 pane. */
    private void start() throws Exception {
        tmux.run(mtr(), 150, 50);
        screen(s -> s.contains(" counted") && counted(s) >= 3, "the live screen after 3 rounds");
    }

    private String screen(Predicate<String> seen, String what) throws Exception {
        return tmux.screen(seen, what);
    }

    private String key(String key, Predicate<String> seen, String what) throws Exception {
        return tmux.key(key, seen, what);
    }

    @Test
    void mtrsKeysChangeTheScreenAResizeRedrawsItAndQRestoresTheTerminal() throws Exception {
        start();
        String live = screen(s -> true, "the table");
        System.out.println(live);
        assertThat(live.lines().filter(l -> l.startsWith(" Host")).count()).as("one table:%n%s", live).isEqualTo(1);
        for (Optional<InetAddress> hop : LAB.lab().expectedPath()) {
            hop.ifPresent(a -> assertThat(live).as("hop %s", a.getHostAddress()).contains(a.getHostAddress()));
        }
        assertThat(line(live, " Host")).containsSubsequence("Loss%", "Snt", "Last", "Avg", "Best", "Wrst", "StDev");
        key("?", s -> s.contains("Keys, as mtr's:"), "the help");
        key("x", s -> s.contains("Loss%"), "the table again");
        key("j", s -> s.contains("Jttr") && !s.contains("StDev"), "the jitter fields");
        key("j", s -> s.contains("StDev"), "the latency fields again");
        key("d", s -> s.contains("Scale:") && !s.contains("Loss%"), "the strip chart");
        key("d", s -> s.contains("RTT to hop 5 "), "the latency chart of the last hop");
        key("d", s -> s.contains("Loss%"), "the table again");
        key("z", s -> line(s, " 1. ").contains("AS??? "), "the AS column (lookups off: AS???)");
        key("y", s -> line(s, " Host").contains("(prefix first)"), "the next information column");
        key("z", s -> !line(s, " 1. ").contains("???"), "no information column");
        String paused = key("p", s -> s.contains("PAUSED"), "paused");
        long before = counted(paused);
        Thread.sleep(1500); // three rounds end meanwhile: none is counted
        assertThat(counted(screen(s -> true, "paused"))).isEqualTo(before);
        key("Space", s -> !s.contains("PAUSED") && counted(s) > before, "counting again");
        String reset = key("r", s -> counted(s) < before, "the statistics started again");
        assertThat(line(reset, " Host")).contains("Loss%");
        key("o", s -> s.contains("Fields ("), "the field prompt");
        for (int i = 0; i < 8; i++) {
            tmux.tmux("send-keys", "-t", "mtr", "BSpace");
        }
        tmux.tmux("send-keys", "-t", "mtr", "DL");
        key("Enter", s -> line(s, " Host").matches(" Host +Drop +Loss%"), "the fields D and L only");
        key("Tab", s -> s.contains("target 2/2") && !s.contains(" 5. "), "the second target (the router at TTL 2)");
        key("Tab", s -> s.contains("target 1/2") && s.contains(" 5. "), "the first target again");
        int wide = line(screen(s -> true, "before the resize"), " Host").length();
        tmux.tmux("resize-window", "-t", "mtr", "-x", "100", "-y", "40");
        String narrow = screen(s -> line(s, " Host").endsWith("Loss%") && line(s, " Host").length() < wide,
                "the screen drawn to 100 columns");
        assertThat(narrow.lines()).allMatch(l -> l.length() <= 100);
        assertThat(line(narrow, " Host")).hasSize(100 - 1); // the fields end one column from the edge
        tmux.tmux("send-keys", "-t", "mtr", "q");
        tmux.restored("0");
    }

    /** {@code ip route VERB ROUTE} on the lab's last router. */
    private static void route(String verb, String route) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "route", verb));
        command.addAll(List.of(route.split(" ")));
        Process p = LAB.lab().command(LAB.lab().hops() - 1, command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ip route %s %s", verb, route).isTrue();
        assertThat(p.exitValue()).as("ip route %s %s: %s", verb, route, out).isZero();
    }

    /** The destination black-holed at the last router, then routed again: both show in the status lines. */
    @Test
    void anOutageShowsInTheStatusLines() throws Exception {
        start();
        String dest = LAB.lab().destination().getHostAddress();
        String hole = "blackhole " + dest + "/32";
        route("add", hole);
        try {
            screen(s -> s.contains("event: " + dest + ": round ") && s.contains(": destination lost since round "),
                    "the outage in the status lines");
        } finally {
            route("del", hole);
        }
        String back = screen(s -> s.contains("event: " + dest + ": round ")
                && s.contains(": destination regained after "), "the destination back in the status lines");
        System.out.println(back);
        assertThat(back).as("the outage stays in the status lines")
                .containsPattern("event: " + Pattern.quote(dest) + ": round \\d+: destination lost since round");
    }

    @Test
    void ctrlCRestoresTheTerminalAndPrintsTheReports() throws Exception {
        start();
        tmux.tmux("send-keys", "-t", "mtr", "C-c");
        tmux.restored("130");
    }

    /**
     * Ctrl-Z in an interactive shell (job control): the job stops with the terminal restored ({@code stty -a} shows
     * canonical input and echo, the screen is the shell's), {@code fg} draws the live screen again and its keys work
     * ({@code n}, then {@code q} ends it with exit code 0).
     */
    @Test
    void ctrlZRestoresTheTerminalAndFgRedrawsTheScreen() throws Exception {
        tmux.session("bash --norc --noprofile -i", 150, 50);
        tmux.tmux("send-keys", "-t", "mtr", mtr(), "Enter");
        screen(s -> s.contains(" counted") && counted(s) >= 3, "the live screen after 3 rounds");
        tmux.tmux("send-keys", "-t", "mtr", "C-z");
        screen(s -> s.contains("Stopped"), "the shell's job stopped");
        tmux.tmux("send-keys", "-t", "mtr", "stty -a; echo shown-$((6*7))", "Enter");
        String stopped = screen(s -> s.contains("icanon") && s.contains("shown-42"), "stty -a while stopped");
        System.out.println(stopped);
        assertThat(stopped).doesNotContain(" counted").containsPattern("(?m)(^| )icanon( |$)")
                .containsPattern("(?m)(^| )echo( |$)").doesNotContain("-icanon")
                .doesNotContainPattern("(?m)(^| )-echo( |$)");
        tmux.tmux("send-keys", "-t", "mtr", "clear; fg", "Enter");
        String again = screen(s -> s.contains(" counted") && !s.contains("shown-42"), "the live screen after fg");
        long before = counted(again);
        screen(s -> s.contains(" counted") && counted(s) > before, "rounds counted after fg");
        tmux.tmux("send-keys", "-t", "mtr", "q");
        screen(s -> s.contains("Start: "), "the report after q");
        tmux.tmux("send-keys", "-t", "mtr", "echo " + TmuxScreen.EXITED + " $?; stty -a", "Enter");
        tmux.restored("0");
    }

    @Test
    void sigtermRestoresTheTerminal() throws Exception {
        start();
        long shell = Long.parseLong(tmux.tmux("list-panes", "-t", "mtr", "-F", "#{pane_pid}").strip());
        ProcessHandle java = ProcessHandle.of(shell).orElseThrow().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(java.pid())).start().waitFor()).isZero();
        tmux.restored("143");
    }
}
