package io.pathprobe.cli;

import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorRound;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --html FILE}, shared by trace, multipath, mtr, compare, mtu and ping: the result also written as the offline
 * HTML report ({@link io.pathprobe.report.HtmlReport}, masked as the command's other output), beside what the command
 * prints. The file is written whole or not at all (a temporary file beside it, moved into place). mtr keeps the rounds
 * it hears for the report's heatmap ({@link #rounds(String)}: the last {@link #ROUNDS} of each target).
 */
final class HtmlOption {
    /** The rounds of a target an mtr keeps for its report: a day of one a minute. */
    static final int ROUNDS = 1440;

    @Option(names = "--html", paramLabel = "FILE", converter = Writable.class, description = "Also write the result "
            + "as an offline HTML report to FILE (one self-contained file, nothing fetched when it is opened; "
            + "docs/report.md), masked as the output.")
    @Nullable Path file;

    /** A file to write: its directory exists (a usage error before anything is sent otherwise). */
    static final class Writable implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = Path.of(value);
            Path dir = p.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir) || Files.isDirectory(p)) {
                throw new CommandLine.TypeConversionException("'" + value + "': " + (Files.isDirectory(p)
                        ? "a directory, not a file" : "no directory " + dir + " to write it in"));
            }
            return p;
        }
    }

    private final Map<String, ArrayDeque<MonitorRound>> rounds = new ConcurrentHashMap<>();

    /** Writes the report {@code html} makes, when {@code --html} was given. */
    void write(Supplier<String> html) {
        if (file != null) {
            write(file, html.get());
        }
    }

    /** {@code text} written to {@code file} whole: a temporary file beside it, moved into place. */
    static void write(Path file, String text) {
        Path target = file.toAbsolutePath();
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), ".pathprobe-report", ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // the first failure is the one reported
            }
            throw new UncheckedIOException("cannot write the HTML report " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@return {@code request} built, with {@code --html} hearing its rounds too (kept for the report) beside the
     * listener it has}
     */
    MonitorRequest keeping(MonitorRequest.Builder request) {
        MonitorRequest built = request.build();
        if (file == null) {
            return built;
        }
        MonitorListener inner = built.listener();
        ArrayDeque<MonitorRound> kept = rounds.computeIfAbsent(built.target(), t -> new ArrayDeque<>());
        return request.listener(new MonitorListener() {
            @Override
            public void started(MonitorRequest r, InetAddress destination, String transport) {
                inner.started(r, destination, transport);
            }

            @Override
            public void roundCompleted(MonitorRound round) {
                synchronized (kept) {
                    if (kept.size() == ROUNDS) {
                        kept.removeFirst();
                    }
                    kept.addLast(round);
                }
                inner.roundCompleted(round);
            }

            @Override
            public void event(MonitorEvent event) {
                inner.event(event);
            }
        }).build();
    }

    /** {@return the rounds kept of {@code target}, in order} */
    List<MonitorRound> rounds(String target) {
        ArrayDeque<MonitorRound> kept = rounds.getOrDefault(target, new ArrayDeque<>());
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }
}
