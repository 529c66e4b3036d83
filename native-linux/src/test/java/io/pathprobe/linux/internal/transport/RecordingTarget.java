package io.pathprobe.linux.internal.transport;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the tests' session targets share: every response delivered to them, answered with {@link #outcome}. */
abstract class RecordingTarget {
    final List<ProbeResponse> responses = new ArrayList<>();
    /** What {@link #accept} answers (null: accepted). */
    @Nullable DropReason outcome;

    /** Records {@code response}, and answers {@link #outcome}. */
    public @Nullable DropReason accept(ProbeResponse response) {
        responses.add(response);
        return outcome;
    }
}
