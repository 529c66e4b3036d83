package io.pathprobe.lab;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a JUnit 5 test class one {@link Lab}: built before all its tests, closed after all of them
 * (also when tests failed), and injected into test and lifecycle methods that take a {@code Lab}
 * parameter.
 *
 * <pre>{@code
 * class MyTest {
 *     @RegisterExtension
 *     static final LabExtension LAB = new LabExtension(Lab.chain(29).silentHops(5, 12, 20).inCurrentNamespace());
 *
 *     @Test
 *     void traces(Lab lab) { ... LAB.lab() is the same lab ... }
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field: JUnit calls before-all callbacks only for those.
 * {@code @Nested} classes, and test classes that run at the same time with the same extension
 * instance (e.g. subclasses of one abstract test), share one lab, closed after the last of them;
 * classes that run one after the other each get a fresh lab. Needs junit-jupiter-api on the class
 * path (an optional dependency of the lab module).
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final LabBuilder builder;
    private @Nullable Lab lab;
    /** How many test classes (an outer class and its nested ones, or classes run concurrently) use it. */
    private int users;

    /** An extension that builds its lab from {@code builder}. */
    public LabExtension(LabBuilder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /**
     * The lab of the running test class.
     *
     * @throws IllegalStateException outside the class's tests (before all, after all), or if the
     *     extension is not registered on a static field
     */
    public synchronized Lab lab() {
        Lab current = lab;
        if (current == null) {
            throw new IllegalStateException("no lab: it exists only while the test class runs, and only if the "
                    + "LabExtension is registered on a static @RegisterExtension field");
        }
        return current;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (lab == null) {
            lab = builder.build();
        }
        users++;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        Lab current = lab;
        if (current != null && --users == 0) {
            lab = null;
            current.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return lab();
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }
}
