package io.pathprobe.agent.metrics;

import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One gauge's value as a result gives it.
 *
 * @param name the meter's name
 * @param unit its base unit, null for none
 * @param description what it means (Prometheus's HELP)
 * @param tags its tags
 * @param value its value
 */
record Sample(String name, @Nullable String unit, String description, Tags tags, double value) {
    Sample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(tags, "tags");
    }

    /** The gauge this sample sets: its name and tags (unit and description go with the name). */
    Key key() {
        return new Key(name, tags);
    }

    /** A gauge's identity. */
    record Key(String name, Tags tags) {
    }
}
