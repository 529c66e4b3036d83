package io.pathprobe.core.internal.record.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A recording's lines (JSON lines), read one at a time, each at most {@link #CAP} bytes: the one line reader of
 * everything that reads a recording (the replay, {@code pathprobe diff}, the CLI's recorded console text). A longer
 * line is {@link TooLong}; nothing longer is ever held.
 */
public final class RecordingLines {
    /** The longest line of a recording, in bytes (its {@code \n} apart): 16 MiB. */
    public static final int CAP = 16 << 20;

    /** A line longer than {@link #CAP}. */
    public static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;

        TooLong(long line) {
            super("line " + line + " is longer than " + (CAP >> 20) + " MiB, the most a recording's line may be");
            this.line = line;
        }

        /** {@return which line, and the cap: never null} */
        @Override
        public String getMessage() {
            return "line " + line + " is longer than " + (CAP >> 20) + " MiB, the most a recording's line may be";
        }

        /** {@return the line's number, from 1} */
        public long line() {
            return line;
        }
    }

    private final InputStream in;
    private final boolean strict;
    private final byte[] buffer = new byte[1 << 16];
    private int at;
    private int end;
    private byte[] line = new byte[1 << 10];
    private int length;
    private long number;
    private long offset;
    private long start;
    private boolean ended = true;

    /**
     * Lines of {@code in}, UTF-8: with {@code strict}, a malformed line is a {@link CharacterCodingException}, else
     * its malformed bytes read as U+FFFD.
     */
    public RecordingLines(InputStream in, boolean strict) {
        this.in = in;
        this.strict = strict;
    }

    /**
     * {@return the next line, without its {@code \n}; null at the end}
     *
     * @throws TooLong if it is longer than {@link #CAP} bytes
     * @throws CharacterCodingException if reading strictly and it is not UTF-8
     */
    public @Nullable String next() throws IOException {
        length = 0;
        start = offset;
        while (true) {
            if (at == end) {
                end = in.read(buffer, 0, buffer.length);
                at = 0;
                if (end <= 0) {
                    end = 0;
                    if (length == 0) {
                        return null;
                    }
                    ended = false;
                    return taken();
                }
            }
            int from = at;
            while (at < end && buffer[at] != '\n') {
                at++;
            }
            append(from, at - from);
            offset += at - from;
            if (at < end) {
                at++;
                offset++;
                ended = true;
                return taken();
            }
        }
    }

    private void append(int from, int n) throws TooLong {
        if ((long) length + n > CAP) {
            throw new TooLong(number + 1);
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.min(CAP, Math.max(length + n, line.length * 2)));
        }
        System.arraycopy(buffer, from, line, length, n);
        length += n;
    }

    private String taken() throws CharacterCodingException {
        number++;
        String s = strict ? StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line, 0, length)).toString()
                : new String(line, 0, length, StandardCharsets.UTF_8);
        if (line.length > 1 << 20) {
            line = new byte[1 << 10]; // one long line does not keep its buffer
        }
        return s;
    }

    /** {@return the lines read so far} */
    public long number() {
        return number;
    }

    /** {@return where the line {@link #next} returned last begins: its byte offset in the stream} */
    public long start() {
        return start;
    }

    /** {@return whether the line {@link #next} returned last ended with its {@code \n} (else the stream ended)} */
    public boolean ended() {
        return ended;
    }
}
