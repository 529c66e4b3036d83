package io.pathprobe.agent.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * NDJSON files, one record per line, rotated by size as logrotate's {@code rotate N} does: when the file
 * would pass {@code maxBytes} it becomes {@code path.1} (and {@code path.1} {@code path.2}, ..., the oldest beyond
 * {@code files} deleted), so the sink never holds more than about {@code maxBytes × (files + 1)} on disk.
 * Options: {@code path} (required), {@code maxBytes} (default 100MB; suffixes KB, MB, GB), {@code files}
 * (rotated files kept, default 5; 0 keeps none).
 */
public final class FileSink implements ResultSink {
    private final Path path;
    private final long maxBytes;
    private final int files;
    private Writer out;
    private long size;

    /**
     * Opens (appends to) the file, creating its directory.
     *
     * @param path the file
     * @param maxBytes the size at which it is rotated
     * @param files how many rotated files are kept
     * @throws IOException if it cannot be opened
     */
    public FileSink(Path path, long maxBytes, int files) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (files < 0) {
            throw new IllegalArgumentException("files must be 0 or more, was " + files);
        }
        this.path = path;
        this.maxBytes = maxBytes;
        this.files = files;
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        this.out = open();
    }

    private Writer open() throws IOException {
        OutputStream s = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(path);
        return new OutputStreamWriter(s, StandardCharsets.UTF_8);
    }

    @Override
    public void write(String record) throws IOException {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length + 1 > maxBytes) {
            rotate();
        }
        out.write(record);
        out.write('\n');
        size += bytes.length + 1;
    }

    private void rotate() throws IOException {
        out.close();
        if (files == 0) {
            Files.deleteIfExists(path);
        } else {
            Files.deleteIfExists(rotated(files));
            for (int i = files - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        out = open();
    }

    private Path rotated(int i) {
        return path.resolveSibling(path.getFileName() + "." + i);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Parses "100MB", "512KB", "1GB", "4096". */
    static long bytes(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] s : new String[][] {{"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"}, {"B", "1"}}) {
            if (t.endsWith(s[0])) {
                unit = Long.parseLong(s[1]);
                t = t.substring(0, t.length() - s[0].length()).strip();
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 100MB, 512KB)");
        }
    }

    @Override
    public String toString() {
        return "file " + path;
    }

    /** The "file" sink type. */
    public static final class Provider implements ResultSinkProvider {
        @Override
        public String type() {
            return "file";
        }

        @Override
        public ResultSink open(SinkSettings s) throws IOException {
            long max = bytes(s.option("maxBytes").orElse("100MB"));
            int files;
            try {
                files = Integer.parseInt(s.option("files").orElse("5").strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sink " + s.name() + ": files must be a count, was '"
                        + s.option("files").orElse("") + "'");
            }
            return new FileSink(Path.of(s.required("path")), max, files);
        }
    }
}
