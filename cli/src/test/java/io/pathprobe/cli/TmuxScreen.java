package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A terminal a person looks at, for the lab tests of {@code pathprobe mtr}'s live screen: a tmux server of its own
 * (started from this JVM, so in the lab's namespace) with one session, {@code mtr}; {@link #key} presses a key as
 * {@code tmux send-keys} does and {@link #screen} reads what {@code tmux capture-pane} shows until it shows what the
 * test waits for (a liveness bound only). {@link #close} kills the server.
 */
final class TmuxScreen implements AutoCloseable {
    /** What the shell prints once the command has exited, then its exit code and the terminal's modes. */
    static final String EXITED = "mtr-exited";

    private final String server = "pathprobe-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    /** {@code tmux -L SERVER ARGS}; {@return what it printed} */
    String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", server));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /**
     * {@code pathprobe ARGS} as the build ships it ({@code via} the jar, {@code java -jar}, or the launcher with this
     * JVM as its {@code JAVA_HOME}), as a shell command line (each argument quoted).
     */
    static String pathprobe(CliRuns.Via via, String... args) {
        ProcessBuilder pb = new CliRuns(CliRuns.Enrichment.AS_GIVEN).call().via(via).command(args);
        String home = pb.environment().get("JAVA_HOME");
        return (via == CliRuns.Via.LAUNCHER && home != null ? "JAVA_HOME='" + home + "' " : "")
                + pb.command().stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
    }

    /**
     * Runs {@code command} in a {@code width}x{@code height} pane; once it exits the shell prints {@link #EXITED},
     * its exit code and {@code stty -a} (see {@link #restored}).
     */
    void run(String command, int width, int height) throws Exception {
        session(command + "; echo " + EXITED + " $?; stty -a; sleep 60", width, height);
    }

    /** Starts the session {@code mtr} running {@code command} (as it is) in a {@code width}x{@code height} pane. */
    void session(String command, int width, int height) throws Exception {
        tmux("new-session", "-d", "-s", "mtr", "-x", String.valueOf(width), "-y", String.valueOf(height), command);
    }

    /** The screen once it shows what {@code seen} looks for (it fails the test after 60 s without: liveness). */
    String screen(Predicate<String> seen, String what) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen = "";
        while (System.nanoTime() < until) {
            screen = tmux("capture-pane", "-p", "-t", "mtr");
            if (seen.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " not seen; the screen:\n" + screen);
    }

    /** Presses {@code key} ({@code tmux send-keys}); {@return the screen once it shows what {@code seen} looks for} */
    String key(String key, Predicate<String> seen, String what) throws Exception {
        tmux("send-keys", "-t", "mtr", key);
        return screen(seen, "after " + key + ": " + what);
    }

    /** {@return the rounds the live screen's title says it counted} */
    static long counted(String screen) {
        Matcher m = Pattern.compile("round \\d+, (\\d+) counted").matcher(screen);
        assertThat(m.find()).as(screen).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** {@return the screen's first line that starts with {@code start}} */
    static String line(String screen, String start) {
        return screen.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(
                "no line starting with '" + start + "' in:\n" + screen));
    }

    /** After the command: its exit code, and the terminal in canonical mode with echo (stty prints no '-' then). */
    void restored(String exit) throws Exception {
        String done = screen(s -> s.contains(EXITED) && s.contains("icanon"), "the shell after the command");
        System.out.println(done);
        assertThat(done).contains(EXITED + " " + exit).contains("Start: ").doesNotContain("pathprobe mtr: ")
                .containsPattern("(?m)(^| )icanon( |$)").containsPattern("(?m)(^| )echo( |$)")
                .doesNotContain("-icanon").doesNotContainPattern("(?m)(^| )-echo( |$)");
    }

    @Override
    public void close() throws Exception {
        tmux("kill-server");
    }
}
