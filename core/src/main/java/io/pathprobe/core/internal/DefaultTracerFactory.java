package io.pathprobe.core.internal;

import io.pathprobe.PathTracer;
import io.pathprobe.internal.TracerFactory;
import io.pathprobe.internal.TracerSettings;

/** The engine found by {@link PathTracer#builder()}. Public only for {@link java.util.ServiceLoader}. */
public final class DefaultTracerFactory implements TracerFactory {

    @Override
    public PathTracer create(TracerSettings settings) {
        TransportRegistry registry = settings.transport() != null
                ? TransportRegistry.of(settings.transport())
                : TransportRegistry.discover(settings.preferredTransport(), loader());
        return new DefaultPathTracer(settings, registry, System::nanoTime);
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : DefaultTracerFactory.class.getClassLoader();
    }
}
