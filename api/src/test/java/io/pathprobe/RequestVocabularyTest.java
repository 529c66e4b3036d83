package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceStatus;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One word per concept: each option has one name on every request, each ending one name on every status. */
class RequestVocabularyTest {

    /** The names that lost to the one kept beside them (maxTtl, probeTimeout, destinationPort, probesPerTtl, deadline). */
    private static final Set<String> ALIASES = Set.of("maxHops", "timeout", "port", "probesPerHop", "probesPerFlow",
            "attempts", "timeLimit");

    /**
     * Every public type of the exported packages (read from the module descriptor, as the API baseline reads them):
     * a hand-typed list missed {@code io.pathprobe.options} and {@code CompareRequest} (issue 70).
     */
    static List<Class<?>> exportedTypes() throws Exception {
        java.nio.file.Path classes = java.nio.file.Path.of(TraceRequest.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        for (String pkg : ApiBaselineTest.exported(classes)) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                    classes.resolve(pkg.replace('.', '/')))) {
                for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    String name = f.getFileName().toString().replace(".class", "");
                    if (!name.equals("package-info")) {
                        Class<?> c = Class.forName(pkg + "." + name, false, RequestVocabularyTest.class.getClassLoader());
                        if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                            out.add(c);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The requests, their builders, the shared options and the results: where an option's name shows. */
    private static List<Class<?>> requests() throws Exception {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : exportedTypes()) {
            Class<?> outer = c.getEnclosingClass() == null ? c : c.getEnclosingClass();
            String n = outer.getSimpleName();
            if (n.endsWith("Request") || n.endsWith("Result") || outer.getPackageName().equals("io.pathprobe.options")) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void noRequestOrBuilderKeepsAnAlias() throws Exception {
        List<Class<?>> requests = requests();
        assertThat(requests).as("derived from the exports").contains(TraceRequest.class, TraceRequest.Builder.class,
                io.pathprobe.compare.CompareRequest.class, io.pathprobe.options.ProbeOptions.class,
                MultipathResult.class, BufferbloatRequest.Builder.class);
        List<String> found = new ArrayList<>();
        for (Class<?> type : requests) {
            for (Method m : type.getMethods()) {
                if (ALIASES.contains(m.getName())) {
                    found.add(type.getSimpleName() + "." + m.getName());
                }
                if (m.isAnnotationPresent(Deprecated.class)) {
                    found.add(type.getSimpleName() + "." + m.getName() + " @Deprecated");
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void everyStatusEndsWithTheSameWords() throws Exception {
        // a measurement's ending: a status a measurement can be cancelled into (a probe's and a lookup's are not)
        List<Class<?>> statuses = exportedTypes().stream().filter(c -> c.isEnum() && c.getSimpleName().endsWith("Status")
                && Arrays.stream(c.getEnumConstants()).anyMatch(e -> ((Enum<?>) e).name().equals("CANCELLED")))
                .toList();
        assertThat(statuses).as("derived from the exports").contains(TraceStatus.class, TraceAllStatus.class,
                PingStatus.class, MultipathStatus.class, MonitorStatus.class, BufferbloatStatus.class);
        for (Class<?> status : statuses) {
            List<String> names = Arrays.stream(status.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList();
            assertThat(names).as(status.getSimpleName()).doesNotContain("COMPLETE", "DEADLINE", "TIME_LIMIT", "TIMEOUT");
        }
        assertThat(MultipathStatus.valueOf("COMPLETED")).isNotNull();
        assertThat(BufferbloatStatus.valueOf("COMPLETED")).isNotNull();
        assertThat(MultipathStatus.valueOf("DEADLINE_EXCEEDED")).isNotNull();
        assertThat(BufferbloatStatus.valueOf("DEADLINE_EXCEEDED")).isNotNull();
    }

    @Test
    void maxTtlIsOneOptionOnEveryPathRequest() {
        assertThat(TraceRequest.builder("198.19.0.1").maxTtl(9).build().maxTtl()).isEqualTo(9);
        assertThat(MultipathRequest.builder("198.19.0.1").maxTtl(7).build().maxTtl()).isEqualTo(7);
        assertThat(MonitorRequest.builder(TraceRequest.builder("198.19.0.1").probesPerTtl(1).maxTtl(8).build()).build().trace().maxTtl()).isEqualTo(8);
    }

    @Test
    void aTtlOutOfRangeIsNamedAsTheCallerWroteIt() {
        assertThatThrownBy(() -> MultipathRequest.builder("198.19.0.1").maxTtl(256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
        assertThatThrownBy(() -> MultipathRequest.builder("198.19.0.1").maxTtl(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
        assertThatThrownBy(() -> MonitorRequest.builder(TraceRequest.builder("198.19.0.1").probesPerTtl(1).maxTtl(256).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
    }
}
