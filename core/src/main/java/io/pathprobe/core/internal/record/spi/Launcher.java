package io.pathprobe.core.internal.record.spi;

import io.pathprobe.core.internal.runtime.Ended;

/**
 * How a recorded or replayed tracer launches a measurement: the work its launch gives the engine is named after
 * the measurement's number ({@code M<n>}), not after the application's calls counted so far ({@code X<n>}), so that
 * an application's other calls (a live display's snapshots) between two starts do not rename the second one's work.
 * A recording also writes the request first. Implemented by pathprobe-evidence's recorder and replayer.
 */
@FunctionalInterface
public interface Launcher {
    /**
     * Launches a measurement.
     *
     * @param request its request
     * @param handle its handle, not launched yet ({@link Ended#launch()})
     */
    void launch(Object request, Ended handle);
}
