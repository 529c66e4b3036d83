package io.pathprobe.cli;

import io.pathprobe.PathTracerBuilder;
import io.pathprobe.evidence.Masking;
import io.pathprobe.evidence.RecordingOptions;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --record FILE} (with {@code --record-max-bytes} and {@code --record-files}), shared by the commands whose
 * measurements a recording replays: trace, mtr, multipath, mtu and ping. {@code pathprobe replay FILE} replays it.
 */
final class RecordOptions {
    @Option(names = "--record", paramLabel = "FILE",
            description = "Record the measurement to FILE (NDJSON: every probe, answer, lookup and the result; "
                    + "replayed by 'pathprobe replay FILE' with no probe sent, see docs/evidence.md).")
    @Nullable Path file;

    @Option(names = "--record-max-bytes", paramLabel = "BYTES",
            description = "Rotate the recording at this size (default 268435456: 256 MiB; at least 65536).")
    long maxBytes = RecordingOptions.DEFAULT_MAX_BYTES;

    @Option(names = "--record-files", paramLabel = "N",
            description = "How many recording files rotation keeps, FILE.1 the newest old one (default 4).")
    int maxFiles = RecordingOptions.DEFAULT_MAX_FILES;

    /**
     * The recording asked for, onto {@code tb}, hiding what {@code --mask} hides (a recording to share: see
     * {@link RecordingOptions#masking()}); bad values are the options' typed errors.
     */
    PathTracerBuilder apply(PathTracerBuilder tb, Masking masking) {
        Path f = file;
        if (f != null) {
            tb.record(new RecordingOptions(f, maxBytes, maxFiles, masking));
        }
        return tb;
    }
}
