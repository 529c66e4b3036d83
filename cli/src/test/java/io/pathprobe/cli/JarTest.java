package io.pathprobe.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class (or method) that runs the command line as it ships ({@link CliRuns}: the shaded
 * {@code target/pathprobe.jar} or the launcher, as a process) and needs no lab: it carries the tag {@value #TAG},
 * which this module's build runs in the {@code jar-test} run, in the integration-test phase, after package made the
 * jar (default-test, before package, leaves it out). A command-line test that needs a lab is a
 * {@link io.pathprobe.lab.LabTest}, which runs after package too. {@link CliTestsRunTheJarTest} checks that every
 * test that uses {@link CliRuns} carries one of the two.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(JarTest.TAG)
@interface JarTest {
    /** The JUnit tag, as Surefire's {@code groups} and {@code excludedGroups} name it. */
    String TAG = "jar";
}
