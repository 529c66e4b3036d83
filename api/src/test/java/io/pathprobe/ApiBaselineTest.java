package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
/**
 * The public API against its committed baseline ({@code api/api-baseline.txt}, the 0.1 API): every
 * public and protected type, constructor, method and field of the exported packages, one line each,
 * generic signatures included. A change that is not recorded there fails the build, so every change
 * to the API is deliberate: review it, then record it with
 * {@code mvn -pl api test -Dtest=ApiBaselineTest -Dpathprobe.api.update=true} and commit the file with
 * the change (the diff of the baseline is the API's change log). The role japicmp or revapi play
 * against a released jar, without a released jar to compare with.
 */
class ApiBaselineTest {
    /**
     * The packages module-info exports to everyone, read from the compiled module descriptor (a hand-typed list
     * missed {@code io.pathprobe.options}, issue 70).
     */
    static List<String> exported(Path classes) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return java.lang.module.ModuleDescriptor.read(in).exports().stream().filter(e -> !e.isQualified())
                    .map(java.lang.module.ModuleDescriptor.Exports::source).sorted().toList();
        }
    }

    @Test
    void thePublicApiIsTheRecordedOne() throws Exception {
        Path baseline = baselineFile();
        List<String> now = signatures();
        if (Boolean.getBoolean("pathprobe.api.update")) {
            Files.writeString(baseline, String.join("\n", now) + "\n", StandardCharsets.UTF_8);
            System.out.println("recorded the API (" + now.size() + " lines) in " + baseline);
            return;
        }
        List<String> recorded = Files.exists(baseline) ? Files.readAllLines(baseline, StandardCharsets.UTF_8) : List.of();
        String difference = difference(recorded, now);
        assertThat(difference).as("the public API changed; review the change, then record it with mvn -pl api test "
                + "-Dtest=ApiBaselineTest -Dpathprobe.api.update=true and commit %s", baseline).isEmpty();
    }

    @Test
    void anUnrecordedChangeIsReportedLineByLine() throws Exception {
        // the check itself: a method removed from the baseline reads as added, a line only in the
        // baseline as removed; the same lines in another order are no change
        List<String> now = signatures();
        String added = now.stream().filter(l -> l.startsWith("io.pathprobe.trace.TraceRequest ")
                && l.contains(" builder(java.lang.String)")).findFirst().orElseThrow();
        List<String> older = new ArrayList<>(now);
        older.remove(added);
        older.add("io.pathprobe.trace.TraceRequest  method public static io.pathprobe.trace.TraceRequest gone()");
        String d = difference(older, now);
        assertThat(d).contains("+ " + added)
                .contains("- io.pathprobe.trace.TraceRequest  method public static io.pathprobe.trace.TraceRequest gone()");
        List<String> shuffled = new ArrayList<>(now);
        java.util.Collections.reverse(shuffled);
        assertThat(difference(shuffled, now)).isEmpty();
    }

    /** "+ line" for each line only in {@code now}, "- line" for each only in {@code recorded}; empty when equal. */
    static String difference(List<String> recorded, List<String> now) {
        Set<String> was = new TreeSet<>(recorded);
        Set<String> is = new TreeSet<>(now);
        StringBuilder b = new StringBuilder();
        for (String l : is) {
            if (!was.contains(l)) {
                b.append("+ ").append(l).append('\n');
            }
        }
        for (String l : was) {
            if (!is.contains(l) && !l.isBlank()) {
                b.append("- ").append(l).append('\n');
            }
        }
        return b.toString();
    }

    private static Path baselineFile() throws URISyntaxException {
        // api/target/classes -> api/api-baseline.txt
        Path classes = Path.of(TraceResult.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return classes.getParent().getParent().resolve("api-baseline.txt");
    }

    /** One line per public type and member of the exported packages, sorted. */
    static List<String> signatures() throws Exception {
        Path classes = Path.of(TraceResult.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> lines = new TreeSet<>();
        List<String> exported = exported(classes);
        assertThat(exported).as("module-info's exports").contains("io.pathprobe", "io.pathprobe.options");
        for (String pkg : exported) {
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = pkg + "." + f.getFileName().toString().replace(".class", "");
                    if (name.endsWith("package-info")) {
                        continue;
                    }
                    Class<?> c = Class.forName(name, false, ApiBaselineTest.class.getClassLoader());
                    if (visible(c)) {
                        describe(c, lines);
                    }
                }
            }
        }
        return new ArrayList<>(lines);
    }

    /** Public, and (for a nested type) every enclosing type public too. */
    private static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isSynthetic();
    }

    private static void describe(Class<?> c, Set<String> lines) throws IOException {
        String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
                : c.isRecord() ? "record" : "class";
        int typeModifiers = c.getModifiers() & (Modifier.FINAL | Modifier.ABSTRACT | Modifier.STATIC);
        if (c.isInterface() || c.isEnum() || c.isRecord()) {
            typeModifiers &= ~(Modifier.ABSTRACT | Modifier.FINAL | Modifier.STATIC);
        }
        String supers = Stream.concat(
                        c.getGenericSuperclass() == null || c.isEnum() || c.isRecord()
                                || c.getGenericSuperclass() == Object.class ? Stream.<Type>empty()
                                : Stream.of(c.getGenericSuperclass()),
                        Arrays.stream(c.getGenericInterfaces()))
                .map(Type::getTypeName).sorted().collect(Collectors.joining(", "));
        String type = c.getName();
        lines.add(type + " " + (Modifier.toString(typeModifiers) + " " + kind).strip()
                + (supers.isEmpty() ? "" : " : " + supers));
        for (Field f : c.getDeclaredFields()) {
            if (exposed(f.getModifiers()) && !f.isSynthetic() && !f.isEnumConstant()) {
                lines.add(type + "  field " + Modifier.toString(f.getModifiers()) + " " + f.getGenericType().getTypeName()
                        + " " + f.getName());
            } else if (f.isEnumConstant()) {
                lines.add(type + "  constant " + f.getName());
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (exposed(k.getModifiers()) && !k.isSynthetic()) {
                lines.add(type + "  constructor " + Modifier.toString(k.getModifiers()) + " " + parameters(k));
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (exposed(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                int mods = m.getModifiers() & ~Modifier.TRANSIENT & ~Modifier.VOLATILE; // varargs/bridge bits
                String dflt = m.isDefault() ? "default " : "";
                lines.add(type + "  method " + (dflt + Modifier.toString(mods)).strip() + " "
                        + m.getGenericReturnType().getTypeName() + " " + m.getName() + parameters(m)
                        + (m.getGenericExceptionTypes().length == 0 ? "" : " throws " + Arrays.stream(
                                m.getGenericExceptionTypes()).map(Type::getTypeName).sorted()
                                .collect(Collectors.joining(", "))));
            }
        }
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String parameters(Executable e) {
        return Arrays.stream(e.getGenericParameterTypes()).map(Type::getTypeName)
                .collect(Collectors.joining(", ", "(", ")")) + (e.isVarArgs() ? " varargs" : "");
    }
}
