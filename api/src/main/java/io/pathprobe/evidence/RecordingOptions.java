package io.pathprobe.evidence;

import io.pathprobe.util.Checks;
import java.nio.file.Path;

/**
 * Where and how a tracer records its measurements ({@link io.pathprobe.PathTracerBuilder#record(RecordingOptions)}).
 *
 * <p>The file is rotated as a log is, so that a monitor that runs for days stays within
 * {@code maxBytes * maxFiles} on disk: once the file holds {@code maxBytes} it is renamed {@code FILE.1} (the
 * older ones {@code FILE.2} ... up to {@code FILE.<maxFiles - 1>}, the oldest deleted) and a new {@code FILE}
 * begins with the header and the running measurements' requests again. Only the first segment of a measurement
 * replays it (the engine's state before a later segment is not in it); a later segment still holds the results
 * and rounds recorded in it.
 *
 * @param file the recording (created or replaced; its directory must exist)
 * @param maxBytes the size at which the file is rotated, at least 64 KiB
 * @param maxFiles how many files are kept, the current one included, at least 1 (1: the file is cut and begun
 *     again)
 * @param masking what the recording hides ({@link Masking#NONE}: nothing): the addresses that answered at the
 *     hidden TTLs, and with {@link Masking#source()} this host's source and public addresses (with the addresses
 *     {@link Masking#addresses()} names), are written as stand-ins of their kind (a private address's from
 *     169.254.0.0/16 or fe80::ffff:0:0/96, a CGNAT one's from 100.127.0.0/16, any other's from 0.0.0.0/8 or
 *     100::/64), their host names and AS numbers left out (a hidden AS that the recording shows for another address
 *     is said to be that one's, not which it is; this host's own AS, which the masked document shows, is kept),
 *     and each result as its masked document; the header says what is hidden, and a replay's output hides it
 *     again
 * @param application what the application says of its run, written into the recording's header and given back to
 *     the code a replay runs ({@link io.pathprobe.ReplayApplication#replay(Path, io.pathprobe.ReplayApplication)},
 *     {@link ReplayResult#application()}); empty: nothing. pathprobe's command line writes its arguments there,
 *     so that {@code pathprobe replay FILE} runs the same command on the replay
 */
public record RecordingOptions(Path file, long maxBytes, int maxFiles, Masking masking, String application) {
    /** The default {@link #maxBytes()}: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    /** The default {@link #maxFiles()}: 4. */
    public static final int DEFAULT_MAX_FILES = 4;
    /** The smallest {@link #maxBytes()}: 64 KiB. */
    public static final long MIN_MAX_BYTES = 64L << 10;

    /**
     * Checks the components (see the record's description).
     *
     * @param file the recording
     * @param maxBytes the size at which the file is rotated, at least {@link #MIN_MAX_BYTES}
     * @param maxFiles how many files are kept, at least 1
     * @param masking what the recording hides
     * @param application what the application says of its run
     * @throws IllegalArgumentException if {@code maxBytes} or {@code maxFiles} is out of range
     * @throws NullPointerException if {@code file}, {@code masking} or {@code application} is null
     */
    public RecordingOptions {
        Checks.nonNull("file", file, "masking", masking, "application", application);
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at least " + MIN_MAX_BYTES + " (64 KiB), was "
                    + maxBytes);
        }
        if (maxFiles < 1 || maxFiles > 1000) {
            throw new IllegalArgumentException("maxFiles must be 1..1000, was " + maxFiles);
        }
    }

    /**
     * Options that hide nothing.
     *
     * @param file the recording
     * @param maxBytes the size at which the file is rotated, at least {@link #MIN_MAX_BYTES}
     * @param maxFiles how many files are kept, at least 1
     * @throws IllegalArgumentException if {@code maxBytes} or {@code maxFiles} is out of range
     */
    public RecordingOptions(Path file, long maxBytes, int maxFiles) {
        this(file, maxBytes, maxFiles, Masking.NONE, "");
    }

    /**
     * {@return these options, the recording hiding what {@code masking} hides} (to share it: see the record)
     *
     * @param masking what to hide
     */
    public RecordingOptions masked(Masking masking) {
        return new RecordingOptions(file, maxBytes, maxFiles, masking, application);
    }

    /**
     * {@return these options, the recording's header saying {@code application} of the run} (see the record)
     *
     * @param application what the application says of its run
     */
    public RecordingOptions application(String application) {
        return new RecordingOptions(file, maxBytes, maxFiles, masking, application);
    }

    /**
     * {@return a recording to {@code file}, rotated at {@link #DEFAULT_MAX_BYTES}, {@link #DEFAULT_MAX_FILES} kept}
     *
     * @param file the recording
     */
    public static RecordingOptions to(Path file) {
        return new RecordingOptions(file, DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES);
    }

    /**
     * {@return these options rotated at {@code maxBytes}, {@code maxFiles} kept}
     *
     * @param maxBytes the size at which the file is rotated
     * @param maxFiles how many files are kept, the current one included
     */
    public RecordingOptions rotated(long maxBytes, int maxFiles) {
        return new RecordingOptions(file, maxBytes, maxFiles, masking, application);
    }

    /** {@code "recording to run.ndjson (rotated at 256 MiB, 4 files kept)"}. */
    @Override
    public String toString() {
        return "recording to " + file + " (rotated at " + (maxBytes % (1L << 20) == 0 ? (maxBytes >> 20) + " MiB"
                : maxBytes + " bytes") + ", " + maxFiles + (maxFiles == 1 ? " file" : " files") + " kept"
                + (masking.active() ? "; " + masking : "") + ")";
    }
}
