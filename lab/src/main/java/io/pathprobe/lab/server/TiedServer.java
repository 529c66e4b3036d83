package io.pathprobe.lab.server;

import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.TiedProcess;
import java.time.Duration;

/**
 * A lab server in a process of its own whose life is tied to this JVM ({@link TiedProcess}): {@link LabHttpServer},
 * {@link LabResponsivenessServer}, {@link StunServer}, {@link TcpListener}.
 */
abstract class TiedServer implements AutoCloseable {
    final Process process;
    private final String description;
    /** How long {@link #close()} waits after closing the input before it kills the process. */
    private final Duration grace;

    TiedServer(Process process, String description) {
        this(process, description, Duration.ofSeconds(5));
    }

    TiedServer(Process process, String description, Duration grace) {
        this.process = process;
        this.description = description;
        this.grace = grace;
    }

    /**
     * Ends the server (closing its input, then killing it if it lingers) and waits for it; idempotent. A lab ends
     * the servers it started when it closes.
     */
    @Override
    public void close() {
        Exec.endTiedProcess(process, grace);
    }

    @Override
    public String toString() {
        return description;
    }
}
