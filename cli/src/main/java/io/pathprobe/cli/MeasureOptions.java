package io.pathprobe.cli;

import java.util.Optional;
import picocli.CommandLine;

/**
 * The options every command that measures a path and prints its result takes, as one mixin (trace, multipath, mtr,
 * compare, mtu, ping): {@code -4}/{@code -6} ({@link FamilyOptions}), {@code --format}/{@code --json} (the command's
 * {@link OutputOptions}), {@code --html} ({@link HtmlOption}) and {@code --mask} ({@link MaskOptions}).
 */
final class MeasureOptions {
    @CommandLine.Mixin
    final FamilyOptions family = new FamilyOptions();

    @CommandLine.Mixin
    final OutputOptions output;

    @CommandLine.Mixin
    final HtmlOption html = new HtmlOption();

    @CommandLine.Mixin
    final MaskOptions mask = new MaskOptions();

    /** @param output the formats the command offers */
    MeasureOptions(OutputOptions output) {
        this.output = output;
    }

    /**
     * {@return the mixin of {@code type} that {@code spec} holds, directly or inside another mixin (this one), if
     * any}
     */
    static <T> Optional<T> find(CommandLine.Model.CommandSpec spec, Class<T> type) {
        for (CommandLine.Model.CommandSpec mixin : spec.mixins().values()) {
            if (type.isInstance(mixin.userObject())) {
                return Optional.of(type.cast(mixin.userObject()));
            }
            Optional<T> inner = find(mixin, type);
            if (inner.isPresent()) {
                return inner;
            }
        }
        return Optional.empty();
    }
}
