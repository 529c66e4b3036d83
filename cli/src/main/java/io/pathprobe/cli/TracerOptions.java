package io.pathprobe.cli;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.evidence.Masking;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The tracer's set-up shared by the commands that probe and record (mtu, multipath, ping, mtr, check): their options
 * {@code --transport}, {@code --pps} and {@code --burst} (these are {@link PacingOptions}), {@code --user}
 * ({@link UserOption}) and {@code --record} ({@link RecordOptions}), in that order in their help, and the tracer built
 * and opened as those options ask.
 */
final class TracerOptions extends PacingOptions {
    @Option(names = "--transport", description = "Use this transport (see 'pathprobe transports').")
    @Nullable String transport;

    @CommandLine.Mixin
    UserOption user = new UserOption();

    @CommandLine.Mixin
    RecordOptions record = new RecordOptions();

    /**
     * The tracer these options ask for, onto {@code tb}: pacing, the recording (hiding what {@code masking} hides),
     * enrichment where {@code enrich} is given (bad server addresses fail here, before any probe), the transport
     * where {@code --transport} names one.
     */
    PathTracerBuilder builder(PathTracerBuilder tb, Masking masking, @Nullable EnrichOptions enrich) {
        record.apply(apply(tb), masking);
        if (enrich != null) {
            enrich.apply(tb);
        }
        if (transport != null) {
            tb.preferredTransport(transport);
        }
        return tb;
    }

    /** The tracer, once its transports are open and this process is {@code --user}'s ({@link UserOption#opened}). */
    PathTracer opened(PathTracer tracer) {
        return user.opened(tracer, record.file);
    }
}
