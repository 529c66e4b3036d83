package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.Unprivileged;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The command line's tests run what ships ({@link CliRuns}: the shaded jar and the launcher, as processes): no test
 * class here runs {@link PathProbeCli} in its own JVM ({@code PathProbeCli.run}, {@code main}) or as a main class on
 * the test class path ({@code PathProbeCli.class} given to {@link Lab#javaCommand}, {@code Unprivileged.java} or
 * anything else), nor starts a JVM on the test class path at all. That a test which runs the jar runs after package
 * is CliRuns's own check (it refuses to run in default-test).
 */
class CliTestsRunTheJarTest {
    private static final Set<String> IN_PROCESS = Set.of("run", "main");
    /** By name: a class object here would be what this test looks for. */
    private static final String CLI = "io.pathprobe.cli.PathProbeCli";

    @Test
    void noTestRunsTheCommandLineInItsJvmOrOnTheTestClassPath() {
        Path testClasses = Path.of(System.getProperty("basedir", "."), "target", "test-classes");
        JavaClasses classes = new ClassFileImporter().importPath(testClasses);
        assertThat(classes).as("the test classes of %s", testClasses).isNotEmpty();
        List<String> wrong = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!c.getPackageName().startsWith("io.pathprobe.cli")) {
                continue;
            }
            c.getMethodCallsFromSelf().forEach(call -> {
                String owner = call.getTarget().getOwner().getName();
                String name = call.getTarget().getName();
                if (owner.equals(CLI) && IN_PROCESS.contains(name)) {
                    wrong.add(call.getDescription());
                }
                if ((owner.equals(Lab.class.getName()) && name.equals("javaCommand"))
                        || (owner.equals(Unprivileged.class.getName())
                                && List.of("java", "copyOfClassPath").contains(name))) {
                    wrong.add(call.getDescription() + " (a JVM on the test class path)");
                }
            });
            c.getReferencedClassObjects().stream()
                    .filter(r -> r.getRawType().getName().equals(CLI))
                    .forEach(r -> wrong.add(r.getOwner().getFullName() + " refers to PathProbeCli.class " + r.getSourceCodeLocation()));
        }
        assertThat(wrong).as("tests that run the command line otherwise than from the built jar (use CliRuns)")
                .isEmpty();
    }
}
