package io.pathprobe.linux.internal.socket;

/**
 * The Linux transports' logger ({@code io.pathprobe.linux}), made when something is first logged, not when the
 * classes that log are loaded: the first {@link System#getLogger} of a JVM starts the platform's logging (a
 * {@code LoggerFinder} looked up, java.util.logging configured), and those classes load on the set-up thread that
 * a fresh JVM's {@code build()} waits for (docs/startup.md).
 */
public final class LinuxLog {
    public static final System.Logger LOG = System.getLogger("io.pathprobe.linux");

    private LinuxLog() {
    }
}
