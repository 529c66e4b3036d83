package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The lab's C programs (lab/src/main/c: the middleboxes' daemons), compiled at run time from their class path
 * resources with {@code gcc -O2 -Wall}, each once per JVM, into a temporary directory of its own that is deleted
 * when the JVM exits. Each program is its {@code NAME.c} and the header every one of them includes,
 * {@value #HEADER}.
 */
final class CProgram {
    private static final String HEADER = "labpacket.h";
    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, Path> COMPILED = new HashMap<>(); // guarded by CProgram.class

    private CProgram() {
    }

    /**
     * {@return the program {@code name} compiled, once per JVM}
     *
     * @param name the program: its source is the resource {@code name + ".c"} beside this class
     * @param what what it is, for messages ("the quotenat daemon")
     * @throws LabException if gcc is missing or fails
     */
    static synchronized Path compiled(String name, String what) {
        Path existing = COMPILED.get(name);
        if (existing != null && Files.isExecutable(existing)) {
            return existing;
        }
        try {
            Path dir = Files.createTempDirectory("pathprobe-" + name + "-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "pathprobe-" + name + "-cleanup"));
            Path source = dir.resolve(name + ".c");
            copy(name + ".c", source);
            copy(HEADER, dir.resolve(HEADER));
            Path program = dir.resolve(name);
            List<String> cmd = List.of("gcc", "-O2", "-Wall", "-o", program.toString(), source.toString());
            Exec.Result r;
            try {
                r = Exec.run(cmd, null, COMPILE_TIMEOUT);
            } catch (LabException e) {
                throw new LabException("cannot compile " + what + " (gcc missing? build/deps installs it): "
                        + e.getMessage(), e);
            }
            if (!r.ok()) {
                throw new LabException(Exec.failure("compiling " + what, String.join(" ", cmd), r, null));
            }
            COMPILED.put(name, program);
            return program;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + what, e);
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = CProgram.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LabException("resource " + resource + " not found next to " + CProgram.class.getName()
                        + " (the lab module packages lab/src/main/c)");
            }
            Files.copy(in, to);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort at exit
                }
            });
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
