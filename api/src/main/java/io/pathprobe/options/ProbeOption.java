package io.pathprobe.options;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One option of {@link ProbeOptions#OPTIONS}: its name, its value's type, how it is read from options and how it
 * is set on a builder. A request codec or a configuration reader reads and writes every option through these, with
 * one reader per value type.
 *
 * @param <T> its value's type ({@link Integer} for a number)
 */
public final class ProbeOption<T> {
    private final String name;
    private final Class<T> type;
    private final Function<ProbeOptions, Optional<T>> getter;
    private final BiConsumer<ProbeOptions.Builder, T> setter;

    ProbeOption(String name, Class<T> type, Function<ProbeOptions, Optional<T>> getter,
            BiConsumer<ProbeOptions.Builder, T> setter) {
        this.name = name;
        this.type = type;
        this.getter = getter;
        this.setter = setter;
    }

    /** {@return its name, as its getter and setter, a recording and the agent's schedule spell it} */
    public String name() {
        return name;
    }

    /** {@return its value's type ({@link Integer} for a number)} */
    public Class<T> type() {
        return type;
    }

    /**
     * {@return its value in {@code options}, if set}
     *
     * @param options the options
     */
    public Optional<T> in(ProbeOptions options) {
        return getter.apply(options);
    }

    /**
     * Sets it on {@code builder}, as its setter does.
     *
     * @param builder the builder
     * @param value its value, of its {@link #type()}
     * @throws ClassCastException if {@code value} is not of its type
     * @throws IllegalArgumentException if its setter refuses {@code value}
     */
    public void set(ProbeOptions.Builder builder, Object value) {
        setter.accept(builder, type.cast(value));
    }
}
