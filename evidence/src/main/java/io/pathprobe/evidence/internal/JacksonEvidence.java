package io.pathprobe.evidence.internal;

import io.pathprobe.ReplayApplication;
import io.pathprobe.core.internal.record.spi.Evidence;
import io.pathprobe.core.internal.record.spi.Recording;
import io.pathprobe.core.internal.record.spi.ReplayEngine;
import io.pathprobe.evidence.RecordingOptions;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.internal.TracerSettings;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The recorder and the replayer, as pathprobe-core finds them ({@link java.util.ServiceLoader}): recordings written
 * and read with jackson-databind. Names no Jackson type itself, so that it loads (and is found) without it; each use
 * checks Jackson is there first ({@link JacksonRequired}). Public only for {@link java.util.ServiceLoader}.
 */
public final class JacksonEvidence implements Evidence {
    @Override
    public Recording record(RecordingOptions options, TracerSettings settings, String library) {
        JacksonRequired.check(options.file(), "recording"); // before Recorder (it names Jackson) loads
        return Recorder.open(options, settings, library);
    }

    @Override
    public ReplayResult replay(Path file, ReplayEngine engine, @Nullable ReplayApplication application) {
        JacksonRequired.check(file, "replaying"); // before Replayer (Jackson) loads
        return Replayer.replay(file, engine, application);
    }
}
