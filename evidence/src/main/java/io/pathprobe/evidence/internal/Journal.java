package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.RecordingException;
import io.pathprobe.evidence.RecordingOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The recording file: one JSON object per line, written from any thread, flushed at least once a second while
 * lines come, at each result and on close; rotated at {@link RecordingOptions#maxBytes()}, each new segment
 * beginning with the header and the lines that describe what is still running ({@link #head}).
 */
final class Journal implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Journal.class.getName());
    private static final long FLUSH_NANOS = 1_000_000_000L;

    private final RecordingOptions options;
    private final ObjectNode header;
    private final Map<String, String> heads = new LinkedHashMap<>();
    private @Nullable Writer out;
    private long bytes;
    private int segment = 1;
    private long lastFlush = System.nanoTime();
    private boolean failed;

    /**
     * Creates the file and writes its header.
     *
     * @throws RecordingException if the file cannot be created
     */
    Journal(RecordingOptions options, ObjectNode header) {
        this.options = options;
        this.header = header;
        try {
            open();
        } catch (IOException e) {
            throw new RecordingException(options.file(), "cannot be created: " + e, e);
        }
    }

    private void open() throws IOException {
        Path file = options.file();
        out = new BufferedWriter(new OutputStreamWriter(
                io.pathprobe.core.internal.runtime.PrivateFiles.newOutputStream(file), StandardCharsets.UTF_8),
                1 << 16);
        bytes = 0;
        ObjectNode h = header.deepCopy();
        h.put("segment", segment);
        writeLine(Codec.JSON.writeValueAsString(h));
        for (String line : heads.values()) {
            writeLine(line);
        }
    }

    private void writeLine(String line) throws IOException {
        Writer w = out;
        if (w == null) {
            return;
        }
        w.write(line);
        w.write('\n');
        bytes += line.length() + 1; // close enough for rotation (non-ASCII text is rare)
    }

    /** Writes a line. */
    void line(ObjectNode n) {
        write(n, null, false);
    }

    /** Writes a line and flushes the file (a result: what a reader most wants to find). */
    void lineAndFlush(ObjectNode n) {
        write(n, null, true);
    }

    /** Writes a line and repeats it at the start of every later segment, until {@link #dropHead}. */
    void head(String key, ObjectNode n) {
        write(n, key, false);
    }

    /** Stops repeating a {@link #head} line. */
    synchronized void dropHead(String key) {
        heads.remove(key);
    }

    private synchronized void write(ObjectNode n, @Nullable String headKey, boolean flush) {
        if (failed || out == null) {
            return;
        }
        try {
            String line = Codec.JSON.writeValueAsString(n);
            if (headKey != null) {
                heads.put(headKey, line);
            }
            writeLine(line);
            long now = System.nanoTime();
            if (flush || now - lastFlush >= FLUSH_NANOS) {
                lastFlush = now;
                Writer w = out;
                if (w != null) {
                    w.flush();
                }
            }
            if (bytes >= options.maxBytes()) {
                rotate();
            }
        } catch (JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "pathprobe recording: a line could not be written: " + e);
        } catch (IOException e) {
            failed = true;
            LOG.log(System.Logger.Level.WARNING, "pathprobe recording to " + options.file()
                    + " stopped: " + e + " (the measurements go on unrecorded)");
            closeQuietly();
        }
    }

    private void rotate() throws IOException {
        Writer w = out;
        if (w != null) {
            w.close();
        }
        out = null;
        Path file = options.file();
        int keep = options.maxFiles();
        if (keep == 1) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(file, keep - 1));
            for (int i = keep - 2; i >= 1; i--) {
                Path from = rotated(file, i);
                if (Files.exists(from)) {
                    Files.move(from, rotated(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        segment++;
        open();
    }

    static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void closeQuietly() {
        Writer w = out;
        out = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    @Override
    public synchronized void close() {
        Writer w = out;
        out = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "pathprobe recording to " + options.file()
                        + ": closing failed: " + e);
            }
        }
    }
}
