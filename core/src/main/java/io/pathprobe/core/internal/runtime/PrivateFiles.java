package io.pathprobe.core.internal.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files that hold addresses and names (recordings, sink files): created owner-only ({@code 0600}) at creation, where
 * the file system has POSIX permissions; an existing file keeps its mode.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    /** {@code 0600}: owner read and write only, the default of every file the library and its tools create. */
    public static final Set<PosixFilePermission> OWNER_ONLY = Set.copyOf(EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE));

    /**
     * Opens {@code file} for writing as {@link Files#newOutputStream} does (no options: create, truncate, write),
     * creating it {@code 0600}.
     *
     * @param file the file
     * @param options as {@link Files#newOutputStream}'s
     * @return the stream
     * @throws IOException as {@link Files#newOutputStream}'s
     */
    public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> open = new java.util.HashSet<>(java.util.Arrays.asList(options));
        if (open.isEmpty()) {
            open.addAll(Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
        }
        return Channels.newOutputStream(open(file, open, OWNER_ONLY));
    }

    /**
     * Opens {@code file} for writing with {@code options} ({@link StandardOpenOption#WRITE} is added), a file it
     * creates getting {@code mode} where the file system has POSIX permissions (the umask may take more away); an
     * existing file keeps its mode.
     *
     * @param file the file
     * @param options as {@link FileChannel#open(Path, Set, FileAttribute[])}'s
     * @param mode the permissions of a file it creates, e.g. {@link #OWNER_ONLY} or {@link #mode(String)}'s
     * @return the channel
     * @throws IOException as {@link FileChannel#open(Path, Set, FileAttribute[])}'s
     */
    public static FileChannel open(Path file, Set<? extends OpenOption> options, Set<PosixFilePermission> mode)
            throws IOException {
        Set<OpenOption> open = new java.util.HashSet<>(options);
        open.add(StandardOpenOption.WRITE);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
        return FileChannel.open(file, open, attributes);
    }

    /**
     * Parses a mode: octal permission bits of owner, group and others ({@code "0600"}, {@code "640"}).
     *
     * @param text the mode
     * @return its permissions
     * @throws IllegalArgumentException if it is not one (one line)
     */
    public static Set<PosixFilePermission> mode(String text) {
        String t = text.strip();
        if (!t.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("mode must be octal permissions such as 0600 or 0640, was '" + text
                    + "'");
        }
        int bits = Integer.parseInt(t, 8);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < all.length; i++) {
            if ((bits & (0400 >> i)) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }
}
