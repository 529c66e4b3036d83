package io.pathprobe.agent.sink;

import io.pathprobe.core.internal.runtime.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Set;

/**
 * NDJSON files, one record per line, rotated by size as logrotate's {@code rotate N} does: when the file
 * would pass {@code maxBytes} it becomes {@code path.1} (and {@code path.1} {@code path.2}, ..., the oldest beyond
 * {@code files} deleted), so the sink never holds more than about {@code maxBytes × (files + 1)} on disk.
 * Options: {@code path} (required), {@code maxBytes} (default 100MB; suffixes KB, MB, GB), {@code files}
 * (rotated files kept, default 5; 0 keeps none), {@code mode} (the permissions of the files it creates, octal,
 * default {@code 0600}; the umask may take more away).
 *
 * <p>Nothing is lost silently: each record is written straight to the file (no buffer that could fail later), and
 * a write that fails (a full disk, an I/O error) truncates the file back to the end of the last whole record before
 * the failure is reported, so the retry starts on a line of its own; where truncation fails too, the retry starts
 * on a new line and the fragment is counted ({@link #fragments()}). A path that is not a regular file (a directory,
 * a device, a file of {@code /proc} or {@code /sys}), or that cannot be opened for writing, is refused when the
 * sink opens.
 */
public final class FileSink implements ResultSink {
    private static final System.Logger LOG = System.getLogger(FileSink.class.getName());
    /** The default {@code mode}: owner read and write only. */
    public static final String DEFAULT_MODE = "0600";
    private static final Set<String> PSEUDO = Set.of("proc", "sysfs", "devtmpfs", "devpts", "debugfs", "tracefs",
            "securityfs", "cgroup", "cgroup2", "configfs", "efivarfs", "bpf");
    private final Path path;
    private final long maxBytes;
    private final int files;
    private final Set<PosixFilePermission> mode;
    private final Opener opener;
    private FileChannel out;
    private long size;
    private boolean fragment;
    private volatile long fragments;

    /** Opens a file for writing (the seam the tests fail writes through). */
    interface Opener {
        FileChannel open(Path path, Set<PosixFilePermission> mode) throws IOException;
    }

    /**
     * Opens (appends to) the file with the default mode, creating its directory.
     *
     * @param path the file
     * @param maxBytes the size at which it is rotated
     * @param files how many rotated files are kept
     * @throws IOException if it cannot be opened, or is not a regular file
     */
    public FileSink(Path path, long maxBytes, int files) throws IOException {
        this(path, maxBytes, files, PrivateFiles.OWNER_ONLY);
    }

    /**
     * Opens (appends to) the file, creating its directory.
     *
     * @param path the file
     * @param maxBytes the size at which it is rotated
     * @param files how many rotated files are kept
     * @param mode the permissions of the files it creates (where the file system has POSIX permissions)
     * @throws IOException if it cannot be opened, or is not a regular file
     */
    public FileSink(Path path, long maxBytes, int files, Set<PosixFilePermission> mode) throws IOException {
        this(path, maxBytes, files, mode, FileSink::openChannel);
    }

    FileSink(Path path, long maxBytes, int files, Set<PosixFilePermission> mode, Opener opener) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (files < 0) {
            throw new IllegalArgumentException("files must be 0 or more, was " + files);
        }
        this.path = path;
        this.maxBytes = maxBytes;
        this.files = files;
        this.mode = Set.copyOf(mode);
        this.opener = opener;
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IOException("cannot create the directory " + dir + ": " + reason(e), e);
            }
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new IOException(path + " is not a regular file");
        }
        FileStore store = Files.getFileStore(Files.exists(path) ? path : dir == null ? Path.of(".") : dir);
        if (PSEUDO.contains(store.type())) {
            throw new IOException(path + " is on a " + store.type() + " file system, not a file for records");
        }
        this.out = open();
    }

    private static FileChannel openChannel(Path path, Set<PosixFilePermission> mode) throws IOException {
        return PrivateFiles.open(path, Set.of(StandardOpenOption.CREATE), mode);
    }

    private FileChannel open() throws IOException {
        FileChannel c;
        try {
            c = opener.open(path, mode);
        } catch (IOException e) {
            throw new IOException("cannot open " + path + " for writing: " + reason(e), e);
        }
        try {
            size = c.size();
            c.position(size);
        } catch (IOException e) {
            c.close();
            throw new IOException("cannot append to " + path + ": " + reason(e), e);
        }
        fragment = size > 0 && !endsWithNewline(c, size);
        return c;
    }

    private static boolean endsWithNewline(FileChannel c, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        return c.read(last, size - 1) == 1 && last.get(0) == '\n';
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it exists and is not a directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return String.valueOf(e.getMessage());
    }

    @Override
    public void write(String record) throws IOException {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length + 1 > maxBytes) {
            rotate();
        }
        ByteBuffer line = ByteBuffer.allocate(bytes.length + 2);
        if (fragment) {
            line.put((byte) '\n'); // a fragment that could not be truncated ends here
        }
        line.put(bytes).put((byte) '\n').flip();
        long start = size;
        int length = line.remaining();
        try {
            while (line.hasRemaining()) {
                out.write(line);
            }
        } catch (IOException e) {
            undo(start);
            throw e;
        }
        size = start + length;
        fragment = false;
    }

    /** Cuts a partly written record off; where that fails, the next record starts on a new line. */
    private void undo(long start) {
        try {
            out.truncate(start);
            out.position(start);
        } catch (IOException t) {
            if (!fragment) {
                fragments++;
                LOG.log(System.Logger.Level.WARNING, path + ": a partly written record could not be cut off ("
                        + t.getMessage() + "); the next record starts on a new line");
            }
            fragment = true;
            try {
                size = out.size();
                out.position(size);
            } catch (IOException ignored) {
                // size stays where the last whole record ended; the fragment's line feed separates it
            }
        }
    }

    /** {@return partly written records that could not be cut off (each ends where the next record's line starts)} */
    @Override
    public long fragments() {
        return fragments;
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
    public void close() throws IOException {
        out.close();
    }

    /**
     * Parses a size as the file sink's {@code maxBytes} takes it: "100MB", "512KB", "1GB", "4096".
     *
     * @throws IllegalArgumentException if {@code text} is not a size (one line)
     */
    public static long bytes(String text) {
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
        public void check(SinkSettings s) {
            options(s);
        }

        @Override
        public ResultSink open(SinkSettings s) throws IOException {
            Options o = options(s);
            return new FileSink(o.path, o.maxBytes, o.files, o.mode);
        }

        private record Options(Path path, long maxBytes, int files, Set<PosixFilePermission> mode) {}

        private static Options options(SinkSettings s) {
            s.onlyKnown(Set.of("path", "maxBytes", "files", "mode"));
            String path = s.required("path");
            if (path.isBlank()) {
                throw bad(s, "path is empty");
            }
            long max;
            try {
                max = bytes(s.option("maxBytes").orElse("100MB"));
            } catch (IllegalArgumentException e) {
                throw bad(s, "maxBytes " + e.getMessage());
            }
            if (max < 1) {
                throw bad(s, "maxBytes must be positive, was " + s.option("maxBytes").orElse(""));
            }
            String files = s.option("files").orElse("5").strip();
            if (!files.matches("[0-9]{1,6}")) {
                throw bad(s, "files must be a count 0 or more, was '" + files + "'");
            }
            try {
                return new Options(Path.of(path), max, Integer.parseInt(files),
                        PrivateFiles.mode(s.option("mode").orElse(DEFAULT_MODE)));
            } catch (IllegalArgumentException e) { // an invalid path, or a mode
                throw bad(s, java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()));
            }
        }

        private static IllegalArgumentException bad(SinkSettings s, String what) {
            return new IllegalArgumentException("sink " + s.name() + " (file): " + what);
        }
    }
}
