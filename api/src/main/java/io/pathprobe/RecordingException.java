package io.pathprobe;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A recording cannot be written or read: the file cannot be created or opened, it is not a pathprobe recording,
 * it needs a newer library (the message names the version), or it holds no measurement to replay; or the recorder
 * and replayer, artifact {@code io.pathprobe:pathprobe-evidence}, are not on the class path or module path (the
 * message names it; thrown before anything is opened). A file cut
 * mid-line is not an error: it replays up to its last complete line
 * ({@link io.pathprobe.evidence.ReplayResult#truncated()}).
 */
public class RecordingException extends PathProbeException {
    private static final long serialVersionUID = 1L;

    /** The file, as text (a {@link Path} is not serializable). */
    private final String file;

    /**
     * An exception about {@code file}.
     *
     * @param file the recording
     * @param message what is wrong with it
     * @param cause the cause, or null
     */
    public RecordingException(Path file, String message, @Nullable Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file.toString();
    }

    /** {@return the recording the error is about, as given} */
    public String file() {
        return file;
    }
}
