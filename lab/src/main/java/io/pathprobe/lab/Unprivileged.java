package io.pathprobe.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs programs as an unprivileged user (uid/gid 65534, "nobody": no supplementary groups, no capabilities)
 * through {@code setpriv}, from a world-readable copy of what they need (a build's files usually live under a
 * 0700 home directory): {@link #copyOf(List)} copies given files, e.g. the shipped {@code pathprobe.jar} and its
 * launcher, which the command line's tests run as a user would; {@link #copyOfClassPath()} copies this JVM's
 * class path, for tests of a library module's own classes. The child inherits this process's network namespace,
 * so inside the lab it probes the lab.
 *
 * <p>Close it to delete the copy.
 */
public final class Unprivileged implements AutoCloseable {
    /** The user and group the programs run as. */
    public static final int NOBODY = 65534;

    private final Path directory;
    private final String classPath;

    private Unprivileged(Path directory, String classPath) {
        this.directory = directory;
        this.classPath = classPath;
    }

    /** Copies every entry of {@code java.class.path} to a new world-readable temporary directory. */
    public static Unprivileged copyOfClassPath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.exists(source)) {
                entries.add(source);
            }
        }
        return copy(entries, true);
    }

    /**
     * Copies each file or directory of {@code files} to a new world-readable temporary directory, under its own
     * name (the names must differ); {@link #classPath()} is the copies, in this order. A file keeps its
     * permissions' executable bits for the owner, so that a copied launcher script still runs.
     */
    public static Unprivileged copyOf(List<Path> files) {
        return copy(files, false);
    }

    private static Unprivileged copy(List<Path> sources, boolean numbered) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("pathprobe-cp-");
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (Path source : sources) {
                Path target = dir.resolve((numbered ? i++ + "-" : "") + source.getFileName());
                if (Files.exists(target)) {
                    throw new IllegalArgumentException("two files named " + source.getFileName() + ": " + sources);
                }
                copy(source, target);
                entries.add(target.toString());
            }
            makeReadable(dir);
            return new Unprivileged(dir, String.join(File.pathSeparator, entries));
        } catch (IOException e) {
            if (dir != null) {
                deleteQuietly(dir);
            }
            throw new UncheckedIOException("could not copy " + sources, e);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** The copied class path. */
    public String classPath() {
        return classPath;
    }

    /** The copy of {@code name} (a file given to {@link #copyOf(List)}). */
    public Path resolve(String name) {
        return directory.resolve(name);
    }

    /**
     * A process running {@code command} as nobody (uid/gid 65534, no supplementary groups, no capabilities); its
     * working directory is the copy.
     */
    public ProcessBuilder command(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--inh-caps=-all"));
        cmd.addAll(command);
        return new ProcessBuilder(cmd).directory(directory.toFile());
    }

    /**
     * A process running {@code mainClass} as nobody with this JVM's java, the copied class path and
     * {@code args}; its working directory is the copy.
     */
    public ProcessBuilder java(String mainClass, List<String> args) {
        return command(Lab.javaCommand(classPath, List.of("-Djava.io.tmpdir=/tmp"), mainClass, args));
    }

    @Override
    public void close() {
        deleteQuietly(directory);
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()),
                        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void makeReadable(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                        Files.isExecutable(file) ? "rwxr-xr-x" : "rw-r--r--"));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteQuietly(@Nullable Path root) {
        if (root == null) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
