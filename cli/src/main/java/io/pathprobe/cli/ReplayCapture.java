package io.pathprobe.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What a command a replay runs again prints, kept until the replay has ended ({@link ReplayCommand}): in memory up
 * to {@link #MEMORY} bytes, beyond that in a temporary file only this user reads, deleted when closed. A long
 * recording's replay prints as much as its command did, in bounded memory (compared with the recorded text, at most
 * {@link CopiedOutput#TEXT_CAP} characters, only if it is not longer).
 */
final class ReplayCapture extends OutputStream implements AutoCloseable {
    /** The most bytes kept in memory. */
    static final int MEMORY = 1 << 20;

    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private @Nullable Path spill;
    private @Nullable OutputStream spilled;

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        OutputStream s = spilled;
        if (s == null && memory.size() + (long) len > MEMORY) {
            Path p = Files.createTempFile("pathprobe-replay-", ".out");
            spill = p;
            p.toFile().deleteOnExit();
            s = new java.io.BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
            memory.writeTo(s);
            memory = new ByteArrayOutputStream();
            spilled = s;
        }
        if (s != null) {
            s.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
    }

    /** {@return whether what was printed, read as UTF-8, is {@code text}} */
    synchronized boolean is(String text) {
        OutputStream s = spilled;
        Path p = spill;
        if (s == null || p == null) {
            return memory.toString(StandardCharsets.UTF_8).equals(text);
        }
        try {
            s.flush();
            // each character read comes from at least one byte, and takes at most three: longer is another text
            return Files.size(p) <= 3L * text.length()
                    && new String(Files.readAllBytes(p), StandardCharsets.UTF_8).equals(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints what was printed on {@code out}. */
    synchronized void printOn(PrintStream out) {
        try {
            OutputStream s = spilled;
            Path p = spill;
            if (s == null || p == null) {
                memory.writeTo(out);
            } else {
                s.flush();
                Files.copy(p, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** Deletes the temporary file, if there is one. */
    @Override
    public synchronized void close() {
        memory = new ByteArrayOutputStream();
        try {
            OutputStream s = spilled;
            if (s != null) {
                s.close();
            }
            Path p = spill;
            if (p != null) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary file: deleted on exit at the latest
        } finally {
            spilled = null;
            spill = null;
        }
    }
}
