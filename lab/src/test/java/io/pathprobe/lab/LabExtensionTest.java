package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The extension's lifecycle, driven by hand: nested or concurrent users share, later ones rebuild. */
@LabTest
class LabExtensionTest {
    private static final ExtensionContext CONTEXT = (ExtensionContext) Proxy.newProxyInstance(
            LabExtensionTest.class.getClassLoader(), new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void oneLabWhileAnyClassUsesItAFreshOneAfterwards() {
        LabExtension extension = new LabExtension(Lab.chain(2));
        assertThatThrownBy(extension::lab).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("static @RegisterExtension");

        extension.beforeAll(CONTEXT);
        Lab first = extension.lab();
        extension.beforeAll(CONTEXT); // a nested class
        assertThat(extension.lab()).isSameAs(first);
        extension.afterAll(CONTEXT);
        assertThat(extension.lab()).isSameAs(first);
        assertThat(Processes.ourNamespaces()).hasSize(3);
        extension.afterAll(CONTEXT);
        assertThatThrownBy(extension::lab).isInstanceOf(IllegalStateException.class);
        assertThat(Processes.ourNamespaces()).isEmpty();

        extension.beforeAll(CONTEXT); // the next class
        assertThat(extension.lab().name()).isNotEqualTo(first.name());
        extension.afterAll(CONTEXT);
        assertThat(Processes.ourNamespaces()).isEmpty();
    }
}
