package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings are written and read with jackson-databind, a dependency of pathprobe-evidence that an application's
 * build can still leave out (an exclusion, a class path made by hand): on a class path with pathprobe-evidence and
 * without Jackson (this test's own, less every jackson-* jar, in a loader of its own) a tracer that does not record
 * builds and loads nothing of the recorder; one that records fails {@code build()} with the documented
 * {@code RecordingException} naming the artifact missing, before anything is opened or started (no file, no thread);
 * and {@code PathTracer.replay} says the same. Without the check both were a {@link NoClassDefFoundError} of
 * {@code com/fasterxml/jackson/databind/JsonNode}. (Without pathprobe-evidence itself: core's WithoutEvidenceTest.)
 */
class WithoutJacksonTest {
    @TempDir
    Path dir;

    /** This test's class path without Jackson, under the platform loader (nothing of the test's loader). */
    private static final class Isolated extends URLClassLoader {
        Isolated(URL[] urls) {
            super("without-jackson", urls, ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    private static Isolated withoutJackson() throws Exception {
        List<URL> urls = new ArrayList<>();
        int removed = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("jackson-")) {
                removed++;
                continue;
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        assertThat(removed).as("the test's class path has jackson-databind, -core and -annotations to leave out")
                .isGreaterThanOrEqualTo(3);
        return new Isolated(urls.toArray(URL[]::new));
    }

    /** {@code PathTracer.builder().offline()}, then {@code record(file)} if given, then {@code build()}. */
    private static Object build(ClassLoader loader, @org.jspecify.annotations.Nullable Path file) throws Exception {
        return inLoader(loader, () -> {
            Object b = loader.loadClass("io.pathprobe.PathTracer").getMethod("builder").invoke(null);
            b = b.getClass().getMethod("offline").invoke(b);
            if (file != null) {
                b = b.getClass().getMethod("record", Path.class).invoke(b, file);
            }
            return b.getClass().getMethod("build").invoke(b);
        });
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static Object inLoader(ClassLoader loader, Call call) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static Set<Thread> pathprobeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("pathprobe")).collect(Collectors.toSet());
    }

    private static Throwable cause(Executable e) {
        return Assertions.assertThrows(InvocationTargetException.class, e).getCause();
    }

    @Test
    void aRecordingTracerIsATypedErrorNamingTheArtifactBeforeAnythingOpens() throws Exception {
        try (Isolated loader = withoutJackson()) {
            assertThat(loader.getResource("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();
            Object tracer = build(loader, null);
            try {
                assertThat(tracer.getClass().getClassLoader()).isSameAs(loader);
            } finally {
                ((AutoCloseable) tracer).close();
            }
            Set<Thread> threadsBefore = pathprobeThreads();
            Path file = dir.resolve("run.ndjson");
            Throwable cause = cause(() -> build(loader, file));
            assertThat(cause.getClass().getName()).as(String.valueOf(cause)).isEqualTo("io.pathprobe.RecordingException");
            assertThat(cause.getMessage()).startsWith(file + ": recording needs jackson-databind")
                    .contains("com.fasterxml.jackson.core:jackson-databind");
            assertThat(file).doesNotExist();
            Set<Thread> started = pathprobeThreads();
            started.removeAll(threadsBefore);
            assertThat(started).as("threads the failed build() started").isEmpty();
            assertThat(loader.loaded("io.pathprobe.evidence.internal.Recorder")).as("Recorder loaded").isFalse();

            Path recording = Files.writeString(dir.resolve("old.ndjson"), "{\"type\":\"recording\",\"format\":1}\n");
            Throwable replay = cause(() -> inLoader(loader, () -> loader.loadClass("io.pathprobe.PathTracer")
                    .getMethod("replay", Path.class).invoke(null, recording)));
            assertThat(replay.getClass().getName()).as(String.valueOf(replay)).isEqualTo("io.pathprobe.RecordingException");
            assertThat(replay.getMessage()).startsWith(recording + ": replaying needs jackson-databind")
                    .contains("com.fasterxml.jackson.core:jackson-databind");
            assertThat(loader.loaded("io.pathprobe.evidence.internal.Replayer")).as("Replayer loaded").isFalse();
        }
    }
}
