package io.pathprobe.lab;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a JUnit 5 test class (or method) as a lab test: it needs root, a {@link Lab}, network
 * namespaces, {@code setpriv} ({@link Unprivileged}) or a private network namespace of its own. It
 * carries the tag {@value #TAG}, inherited by subclasses.
 *
 * <p>pathprobe's build runs the tests without this tag in {@code mvn test}, in the normal JVM as any
 * user; and the tests with it in {@code mvn verify} only, in a JVM started inside a fresh network
 * namespace that has only loopback ({@code build/netns/bin/java}, needs root), so nothing they send
 * can leave the machine. Needs junit-jupiter-api on the class path (an optional dependency of the lab
 * module).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(LabTest.TAG)
public @interface LabTest {
    /** The JUnit tag of lab tests, as Surefire's {@code groups} and {@code excludedGroups} name it. */
    String TAG = "lab";
}
