package io.pathprobe.core.internal.bufferbloat.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pathprobe.BufferbloatUnavailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The bufferbloat test (its strategy, handle and load generator) is in pathprobe-bufferbloat, which core's tests do
 * not have (it depends on core): on this class path {@code testBufferbloat} fails at once with the documented
 * {@link BufferbloatUnavailableException} naming the artifact to add, as often as it is asked.
 */
class WithoutBufferbloatTest {
    private static final String MESSAGE = "bufferbloat needs its load generator: add the io.pathprobe:pathprobe-bufferbloat"
            + " artifact (same version as pathprobe-core) to the class path or module path";

    @Test
    void testBufferbloatIsATypedErrorNamingTheArtifact() {
        assertThat(ServiceLoader.load(BufferbloatProvider.class).findFirst()).as("a bufferbloat test on core's class path")
                .isEmpty();
        assertThat(catchThrowable(BufferbloatProvider::find)).isInstanceOf(BufferbloatUnavailableException.class)
                .hasMessage(MESSAGE);
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            BufferbloatRequest request = BufferbloatRequest.builder("https://198.18.0.80:4043/.well-known/nq").quick()
                    .build();
            assertThat(catchThrowable(() -> tracer.testBufferbloat(request)))
                    .isInstanceOf(BufferbloatUnavailableException.class).hasMessage(MESSAGE);
            assertThat(catchThrowable(() -> tracer.testBufferbloat(request)))
                    .as("a second attempt says the same").isInstanceOf(BufferbloatUnavailableException.class)
                    .hasMessage(MESSAGE);
        }
    }
}
