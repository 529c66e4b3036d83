package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MaxMind's reader is optional in pathprobe-core: on a class path without it (this test's own, less the
 * maxmind-db jar, in a loader of its own) a tracer without GeoIP databases builds and loads none of its
 * classes, and one given a database fails the build with the typed error naming the file and what to add,
 * not a {@link NoClassDefFoundError}.
 */
class WithoutMaxMindTest {
    @TempDir
    Path dir;

    /** This test's class path without maxmind-db, under the platform loader (nothing of the test's loader). */
    private static final class Isolated extends URLClassLoader {
        Isolated(URL[] urls) {
            super("without-maxmind", urls, ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    private static Isolated withoutMaxMind() throws Exception {
        List<URL> urls = new ArrayList<>();
        boolean removed = false;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("maxmind-db")) {
                removed = true;
                continue;
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        assertThat(removed).as("the test's class path has maxmind-db to leave out").isTrue();
        return new Isolated(urls.toArray(URL[]::new));
    }

    /** {@code PathTracer.builder().offline()}, then {@code geoDatabase(mmdb)} if given, then {@code build()}. */
    private static Object build(ClassLoader loader, Path mmdb) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            Object b = loader.loadClass("io.pathprobe.PathTracer").getMethod("builder").invoke(null);
            b = b.getClass().getMethod("offline").invoke(b);
            if (mmdb != null) {
                b = b.getClass().getMethod("geoDatabase", Path.class).invoke(b, mmdb);
            }
            return b.getClass().getMethod("build").invoke(b);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Test
    void aTracerWithoutGeoIpBuildsAndAGeoIpDatabaseIsATypedErrorSayingWhatToAdd() throws Exception {
        try (Isolated loader = withoutMaxMind()) {
            assertThat(loader.getResource("com/maxmind/db/Reader.class")).isNull();
            Object tracer = build(loader, null);
            try {
                assertThat(tracer.getClass().getClassLoader()).isSameAs(loader);
            } finally {
                ((AutoCloseable) tracer).close();
            }
            Path mmdb = Files.write(dir.resolve("city.mmdb"), new byte[] {1, 2, 3});
            InvocationTargetException e = org.junit.jupiter.api.Assertions.assertThrows(
                    InvocationTargetException.class, () -> build(loader, mmdb));
            Throwable cause = e.getCause();
            assertThat(cause.getClass().getName()).as(String.valueOf(cause))
                    .isEqualTo("io.pathprobe.EnrichmentDataException");
            assertThat(cause.getMessage()).contains(mmdb.toString()).contains("com.maxmind.db:maxmind-db");
            assertThat(loader.loaded("io.pathprobe.core.internal.enrich.GeoDatabases")).as("GeoDatabases loaded")
                    .isFalse();
        }
    }
}
