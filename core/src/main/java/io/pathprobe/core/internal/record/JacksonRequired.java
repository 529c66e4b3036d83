package io.pathprobe.core.internal.record;

import io.pathprobe.RecordingException;
import java.nio.file.Path;

/**
 * Recordings are written and read with jackson-databind, an optional dependency of pathprobe-core: this checks it is
 * there before any class of this package that names Jackson's types is loaded (those fail to link without it, a
 * {@link NoClassDefFoundError} out of {@code build()} or {@code replay}), so that a missing jar is the documented
 * {@link RecordingException} naming the artifact, thrown before anything is opened. Names no Jackson type itself.
 */
public final class JacksonRequired {
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
    public static void check(Path file, String doing) {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, JacksonRequired.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new RecordingException(file, doing + " needs jackson-databind (" + ARTIFACT + ", which brings "
                    + "jackson-core and jackson-annotations) on the class path: an optional dependency of "
                    + "pathprobe-core "
                    + "(on the module path: the module com.fasterxml.jackson.databind, resolved by a requires or "
                    + "--add-modules)", e);
        }
    }
}
