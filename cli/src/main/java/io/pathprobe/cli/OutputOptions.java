package io.pathprobe.cli;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --format} and its alias {@code --json} ({@code --format json}), shared by the measurement
 * commands. text: the human form; json: pathprobe's documents (the writer of each in
 * {@link io.pathprobe.json});
 * atlas: RIPE Atlas result records ({@link io.pathprobe.json.AtlasJson}) and scamper: scamper's {@code -O json}
 * lines ({@link io.pathprobe.json.ScamperJson}, {@link ScamperLines}), offered only by the commands that have them
 * (trace and multipath both: {@link WithAtlasAndScamper}; ping atlas only: {@link WithAtlas}; bufferbloat neither:
 * {@link TextOrJson}); dot: the path as a Graphviz graph ({@link io.pathprobe.graph.PathGraph#toDot()}), offered by
 * the commands whose result is a path (trace and multipath, and compare: {@link TextJsonOrDot}).
 */
abstract class OutputOptions {
    /** What a command prints. */
    enum Format { TEXT, JSON, ATLAS, SCAMPER, DOT }

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.@Nullable CommandSpec spec;

    @Nullable Format format;

    /** {@code --format text|json|atlas|scamper|dot}: trace and multipath. */
    static final class WithAtlasAndScamper extends OutputOptions {
        @Option(names = "--format", paramLabel = "FORMAT",
                description =
                        "text (default), json (one JSON document, see docs/output-formats.md), atlas (RIPE "
                        + "Atlas result format), scamper (scamper's -O json: cycle-start, one object per target, "
                        + "cycle-stop) or dot (the path as a Graphviz graph).")
        void choose(Format f) {
            format = f;
        }
    }

    /** {@code --format text|json|atlas}: ping. */
    static final class WithAtlas extends OutputOptions {
        /** The formats of a command with an Atlas record but no scamper object. */
        enum Choice { TEXT, JSON, ATLAS }

        @Option(names = "--format", paramLabel = "FORMAT",
                description =
                        "text (default), json (one JSON document, see docs/output-formats.md) or atlas (RIPE "
                        + "Atlas result format).")
        void choose(Choice f) {
            format = Format.valueOf(f.name());
        }
    }

    /** {@code --format text|json}: a command without an Atlas record. */
    static final class TextOrJson extends OutputOptions {
        /** The formats of a command without an Atlas record. */
        enum Plain { TEXT, JSON }

        @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json (one JSON document, "
                + "see docs/output-formats.md).")
        void choose(Plain f) {
            format = f == Plain.JSON ? Format.JSON : Format.TEXT;
        }
    }

    /** {@code --format text|json|dot}: compare. */
    static final class TextJsonOrDot extends OutputOptions {
        /** The formats of a command whose result is a path but has no Atlas record. */
        enum Choice { TEXT, JSON, DOT }

        @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json (one JSON document, "
                + "see docs/output-formats.md) or dot (the paths as a Graphviz graph).")
        void choose(Choice f) {
            format = Format.valueOf(f.name());
        }
    }

    @Option(names = "--json", description = "The same as --format json.")
    boolean json;

    /** Whether the output is JSON: what an error prints as then (never fails, unlike {@link #format}). */
    boolean jsonRequested() {
        return json || format == Format.JSON;
    }

    /**
     * The format asked for (only one the command's {@code --format} offers: picocli refuses the others); a usage
     * error (exit 2) when {@code --json} contradicts {@code --format}.
     */
    Format format() {
        if (json && format != null && format != Format.JSON) {
            throw usage("--json is --format json; it contradicts --format " + format.name().toLowerCase(Locale.ROOT));
        }
        return json ? Format.JSON : format == null ? Format.TEXT : format;
    }

    CommandLine.ParameterException usage(String message) {
        if (spec == null) {
            throw new IllegalStateException("not a picocli mixin");
        }
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Whether raw arguments ask for JSON output (for errors met before the options are parsed). */
    static boolean jsonRequested(List<String> args) {
        if (!args.isEmpty() && args.get(0).equals("mtr") && args.contains("-j")) {
            return true; // mtr -j, as mtr's
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i).toLowerCase(Locale.ROOT);
            if (a.equals("--json") || a.equals("--format=json")
                    || (a.equals("--format") && i + 1 < args.size() && args.get(i + 1).equalsIgnoreCase("json"))) {
                return true;
            }
        }
        return false;
    }

    /** {@return whether {@code cmd}'s output options ask for JSON, false for a command without them} */
    static boolean jsonRequested(CommandLine cmd) {
        return MeasureOptions.find(cmd.getCommandSpec(), OutputOptions.class).map(OutputOptions::jsonRequested)
                .orElse(false);
    }
}
