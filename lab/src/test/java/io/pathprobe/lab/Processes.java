package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.namespace.Namespaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command in a test and returns its output; fails the test if it fails. */
final class Processes {
    private Processes() {}

    static String output(ProcessBuilder builder) {
        try {
            Process p = builder.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished: %s", builder.command()).isTrue();
            assertThat(p.exitValue()).as("%s: %s", builder.command(), out).isZero();
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + builder.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String output(String... command) {
        return output(new ProcessBuilder(command));
    }

    /** This process's lab namespaces (those of other processes are none of a test's business). */
    static List<String> ourNamespaces() {
        String prefix = Namespaces.PREFIX + ProcessHandle.current().pid() + "-";
        return Namespaces.list().stream().filter(n -> n.startsWith(prefix)).sorted().toList();
    }
}
