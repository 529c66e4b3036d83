package io.pathprobe.core.internal.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
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

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

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
        open.add(StandardOpenOption.WRITE);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        return Channels.newOutputStream(Files.newByteChannel(file, open, attributes));
    }
}
