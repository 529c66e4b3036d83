package io.pathprobe.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Standard output, copied: everything printed goes to the stream it stands for, unchanged (its own encoding), and
 * its text is kept ({@link #text()}): what a recording command printed, for its recording
 * ({@link RecordOptions#printed(java.nio.file.Path, RecordOptions.Printed)}).
 */
final class CopiedOutput extends PrintStream {
    /**
     * The most text kept, in characters: a command that prints more has its text not kept (its recording's output
     * line says so), and its recording's lines stay under
     * {@link io.pathprobe.core.internal.record.spi.RecordingLines#CAP}.
     */
    static final int TEXT_CAP = 4 << 20;

    private final PrintStream out;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** The first bytes of a character the last write split. */
    private ByteBuffer undecoded = ByteBuffer.allocate(0);
    private StringBuilder copy = new StringBuilder();
    private boolean over;

    CopiedOutput(PrintStream out) {
        super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        this.out = out;
    }

    /** {@return the text printed so far, or null if it is longer than {@link #TEXT_CAP} (not kept)} */
    synchronized @Nullable String text() {
        return over ? null : copy.toString();
    }

    private void copied(String s) {
        out.print(s);
        keep(s);
    }

    private void keep(String s) {
        if (over) {
            return;
        }
        if (copy.length() + (long) s.length() > TEXT_CAP) {
            over = true;
            copy = new StringBuilder();
        } else {
            copy.append(s);
        }
    }

    /**
     * Every print, println, format and append comes here as this stream's UTF-8 bytes (PrintStream encodes its text
     * into this method): decoded, it goes to the stream this stands for as text (encoded there as that stream
     * encodes) and is kept. A character whose bytes two writes split waits for its last bytes.
     */
    @Override
    public synchronized void write(byte[] b, int off, int len) {
        ByteBuffer in = ByteBuffer.allocate(undecoded.remaining() + len).put(undecoded).put(b, off, len).flip();
        CharBuffer text = CharBuffer.allocate((int) Math.ceil(in.remaining() * (double) decoder.maxCharsPerByte()));
        decoder.decode(in, text, false);
        undecoded = in.slice();
        copied(text.flip().toString());
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush(); // standard output stays open
    }

    @Override
    public boolean checkError() {
        return out.checkError();
    }
}
