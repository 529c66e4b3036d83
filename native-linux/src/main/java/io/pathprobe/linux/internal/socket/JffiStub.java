package io.pathprobe.linux.internal.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * jffi's native stub from a per-user cache instead of a fresh temporary copy in every JVM. Left to itself, jffi
 * copies {@code libjffi-1.2.so} out of its jar into a new temporary file each time a JVM first calls native code,
 * and loads that: about a third of what binding libc costs a fresh JVM. Before jffi starts, this copies the stub
 * once into {@code $XDG_CACHE_HOME/pathprobe/jffi/<crc>-<size>/} (else {@code ~/.cache/...}, made owner-only when
 * missing; the directory the user's alone) and names that directory in {@code jffi.boot.library.path}, where jffi
 * looks first. A later JVM checks the copy against the jar entry's size and CRC-32 (read from the jar's directory,
 * not inflated) and uses it.
 *
 * <p>Does nothing when {@code jffi.boot.library.path} is already set (the CLI's launcher sets it; so may an
 * application), when {@code -Dpathprobe.linux.jffiCache=off}, or when anything fails (no home, a read-only
 * file system, a jar without the stub): jffi then does what it always did.
 */
final class JffiStub {
    /** Made when first used: the first System.getLogger starts the platform's logging (see LinuxLog). */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(JffiStub.class.getName());
    }
    /** jffi's own property: the directories it loads its stub from before it extracts one. */
    static final String BOOT_PATH = "jffi.boot.library.path";
    /** {@code off}: leave jffi's stub to jffi. */
    static final String CACHE_PROPERTY = "pathprobe.linux.jffiCache";
    /** The stub's file name, as jffi 1.x names it (System.mapLibraryName("jffi-1.2")). */
    static final String STUB = "libjffi-1.2.so";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private JffiStub() {}

    /** Points jffi at the cached stub, copying it there first if needed; once, before jffi starts. */
    static void prepare() {
        if (System.getProperty(BOOT_PATH) != null || "off".equals(System.getProperty(CACHE_PROPERTY))) {
            return;
        }
        try {
            Path dir = cached(cacheRoot());
            if (dir != null) {
                System.setProperty(BOOT_PATH, dir.toString());
            }
        } catch (IOException | RuntimeException e) {
            Log.LOG.log(Level.DEBUG, "jffi's stub not cached: jffi extracts it itself", e);
        }
    }

    /** Where the cache goes: {@code $XDG_CACHE_HOME}, else {@code ~/.cache}; null without either. */
    static @Nullable Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg);
        }
        String home = System.getProperty("user.home");
        return home == null || !home.startsWith("/") ? null : Path.of(home, ".cache");
    }

    /** jffi's name for this platform's stub directory in its jar ({@code x86_64-Linux}), or null. */
    static @Nullable String platform() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "aarch64"
                : null;
        return cpu == null || !System.getProperty("os.name", "").startsWith("Linux") ? null : cpu + "-Linux";
    }

    /**
     * The directory under {@code root} holding a checked copy of the stub in jffi's jar, made if needed; null when
     * there is no root, no stub for this platform, or its jar entry gives no size and CRC.
     */
    static @Nullable Path cached(@Nullable Path root) throws IOException {
        String platform = platform();
        if (root == null || platform == null) {
            return null;
        }
        URL stub = com.kenai.jffi.Library.class.getClassLoader().getResource("jni/" + platform + "/" + STUB);
        if (stub == null) {
            return null;
        }
        URLConnection c = stub.openConnection();
        if (!(c instanceof JarURLConnection jar)) {
            return null;
        }
        JarEntry entry = jar.getJarEntry();
        long size = entry.getSize();
        long crc = entry.getCrc();
        if (size <= 0 || crc < 0) {
            return null;
        }
        Path base = root.resolve("pathprobe").resolve("jffi");
        Path dir = base.resolve(Long.toHexString(crc) + "-" + size);
        Path file = dir.resolve(STUB);
        if (Files.isRegularFile(file) && matches(file, size, crc)) {
            return dir;
        }
        if (!Files.isDirectory(root)) {
            // a fresh account, a container or a function's sandbox often has no ~/.cache yet: made as the XDG base
            // directory rules ask (owner only), else the stub was extracted anew by every JVM on such machines
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        createPrivate(root.resolve("pathprobe"));
        createPrivate(base);
        createPrivate(dir);
        Path tmp = Files.createTempFile(dir, STUB, ".part");
        try {
            try (InputStream in = jar.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            if (!matches(tmp, size, crc)) {
                return null;
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING); // another JVM's copy, or a bad one
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return matches(file, size, crc) ? dir : null;
    }

    /** A directory only its owner may enter, made if missing; one others may write to is refused. */
    private static void createPrivate(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by another JVM: checked below
            }
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " may be written by others: jffi's stub is not cached there");
        }
    }

    /** Whether the file has this size and CRC-32. */
    static boolean matches(Path file, long size, long crc) throws IOException {
        if (Files.size(file) != size) {
            return false;
        }
        CRC32 sum = new CRC32();
        sum.update(Files.readAllBytes(file));
        return sum.getValue() == crc;
    }
}
