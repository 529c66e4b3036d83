package io.pathprobe.evidence.internal;

import io.pathprobe.RecordingException;
import java.nio.file.Path;

/**
 * Recordings are written and read with jackson-databind, a dependency of pathprobe-evidence (which an application's
 * build may have left out: an exclusion, a hand-made class path): this checks it is there before any class of this
 * package that names Jackson's types is loaded (those fail to link without it, a {@link NoClassDefFoundError} out of
 * {@code build()} or {@code replay}), so that a missing jar is the documented {@link RecordingException} naming the
 * artifact, thrown before anything is opened. Names no Jackson type itself.
 */
final class JacksonRequired {
    /** The artifact an application adds. */
    static final String ARTIFACT = "com.fasterxml.jackson.core:jackson-databind";

    private JacksonRequired() {
    }

    /**
     * Returns if jackson-databind (with the jackson-core it needs) loads.
     *
     * @param file the recording to be written or read
     * @param doing what needs it: "recording", "replaying"
     * @throws RecordingException naming the artifact to add if it does not
     */
    static void check(Path file, String doing) {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, JacksonRequired.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new RecordingException(file, doing + " needs jackson-databind (" + ARTIFACT + ", which brings "
                    + "jackson-core and jackson-annotations) on the class path: a dependency of pathprobe-evidence, "
                    + "left out of this one", e);
        }
    }
}
