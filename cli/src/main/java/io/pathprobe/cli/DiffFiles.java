package io.pathprobe.cli;

import io.pathprobe.core.internal.record.spi.RecordingLines;
import io.pathprobe.json.DiffJson;
import io.pathprobe.json.JsonReadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What {@code pathprobe diff} reads: a document {@link DiffJson#read(String)} reads (a trace, a traceAll, a monitor
 * run, a list of them, an {@code mtr --ndjson} stream), or a recording (NDJSON whose first line is
 * {@code {"type":"recording",...}}: its last complete {@code "result"} line, {@link DiffJson#readResultLine}). A
 * file that is none of these is a {@link BadFile}, whose message says what is wrong with it.
 */
final class DiffFiles {
    private DiffFiles() {}

    /** A file that holds no measurement diff can read; the message names what is wrong (the caller names the file). */
    static final class BadFile extends Exception {
        private static final long serialVersionUID = 1L;

        BadFile(String message) {
            super(message);
        }
    }

    /** The largest JSON document diff reads (a recording streams, each line at most {@link RecordingLines#CAP}). */
    static final long DOCUMENT_CAP = 64L << 20;

    /**
     * Reads {@code file}: a regular file only (a directory, FIFO or device is refused before it is opened); a
     * recording is read line by line, each line at most {@link RecordingLines#CAP} bytes, keeping only its last result
     * line; a JSON document at most {@link #DOCUMENT_CAP} bytes.
     */
    static DiffJson.Measured read(Path file) throws BadFile {
        regular(file);
        try (InputStream in = Files.newInputStream(file)) {
            RecordingLines lines = new RecordingLines(in, true);
            @Nullable String head = lines.next();
            while (head != null && head.isBlank()) {
                head = lines.next();
            }
            if (head == null) {
                throw new BadFile("is empty");
            }
            if ("recording".equals(DiffJson.recordingLineType(head.startsWith("\uFEFF") ? head.substring(1) : head))) {
                return DiffJson.readResultLine(lastResult(lines));
            }
        } catch (CharacterCodingException e) {
            throw new BadFile("not UTF-8 text (not JSON)");
        } catch (RecordingLines.TooLong e) {
            throw new BadFile("line " + e.line() + " is longer than " + (RecordingLines.CAP >> 20)
                    + " MiB, the most diff reads of one line");
        } catch (IOException e) {
            throw new BadFile("cannot be read: " + e.getMessage());
        } catch (JsonReadException e) {
            throw new BadFile(String.valueOf(e.getMessage()));
        }
        return document(file);
    }

    /** A usage error unless {@code file} is a regular file; never opens a FIFO or device. */
    private static void regular(Path file) throws BadFile {
        if (Files.isDirectory(file)) {
            throw new BadFile("is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new BadFile("no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadFile("not a regular file (a FIFO, device or socket): diff reads files");
        }
    }

    /** A JSON document, a list of them or an {@code mtr --ndjson} stream, read whole up to its cap. */
    private static DiffJson.Measured document(Path file) throws BadFile {
        String text;
        try {
            if (Files.size(file) > DOCUMENT_CAP) {
                throw new BadFile("larger than " + (DOCUMENT_CAP >> 20) + " MiB, the most diff reads of a JSON "
                        + "document (a recording is read line by line)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadFile("no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadFile("not UTF-8 text (not JSON)");
        } catch (IOException e) {
            throw new BadFile("cannot be read: " + e.getMessage());
        }
        try {
            return DiffJson.read(text);
        } catch (JsonReadException e) {
            throw new BadFile(String.valueOf(e.getMessage()));
        }
    }

    /** A recording, after its header line: its last complete result line; a last line cut short is left out. */
    private static String lastResult(RecordingLines lines) throws IOException, BadFile {
        @Nullable String result = null;
        @Nullable String line;
        long bad = 0;
        while ((line = lines.next()) != null) {
            if (line.isBlank()) {
                continue;
            }
            if (bad > 0) {
                throw new BadFile("a recording whose line " + bad + " is not JSON");
            }
            @Nullable String type = DiffJson.recordingLineType(line);
            if (type == null) {
                bad = lines.number(); // if it is the last line, cut mid-line: the last result line before it counts
            } else if (type.equals("result")) {
                result = line;
            }
        }
        if (result == null) {
            throw new BadFile("a recording that holds no complete result line (cut before its measurement ended?)");
        }
        return result;
    }
}
