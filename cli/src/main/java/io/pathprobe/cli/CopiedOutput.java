package io.pathprobe.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
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

    private synchronized void copied(String s) {
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

    @Override
    public void print(String s) {
        copied(String.valueOf(s));
    }

    @Override
    public void print(Object o) {
        copied(String.valueOf(o));
    }

    @Override
    public void print(char c) {
        copied(String.valueOf(c));
    }

    @Override
    public void print(char[] s) {
        copied(new String(s));
    }

    @Override
    public void print(boolean b) {
        copied(String.valueOf(b));
    }

    @Override
    public void print(int i) {
        copied(String.valueOf(i));
    }

    @Override
    public void print(long l) {
        copied(String.valueOf(l));
    }

    @Override
    public void print(float f) {
        copied(String.valueOf(f));
    }

    @Override
    public void print(double d) {
        copied(String.valueOf(d));
    }

    @Override
    public void println() {
        copied(System.lineSeparator());
    }

    @Override
    public void println(String s) {
        copied(s + System.lineSeparator());
    }

    @Override
    public void println(Object o) {
        copied(o + System.lineSeparator());
    }

    @Override
    public void println(char c) {
        copied(c + System.lineSeparator());
    }

    @Override
    public void println(char[] s) {
        copied(new String(s) + System.lineSeparator());
    }

    @Override
    public void println(boolean b) {
        copied(b + System.lineSeparator());
    }

    @Override
    public void println(int i) {
        copied(i + System.lineSeparator());
    }

    @Override
    public void println(long l) {
        copied(l + System.lineSeparator());
    }

    @Override
    public void println(float f) {
        copied(f + System.lineSeparator());
    }

    @Override
    public void println(double d) {
        copied(d + System.lineSeparator());
    }

    @Override
    public PrintStream format(String format, Object... args) {
        copied(String.format(format, args));
        return this;
    }

    @Override
    public PrintStream format(Locale l, String format, Object... args) {
        copied(String.format(l, format, args));
        return this;
    }

    @Override
    public PrintStream printf(String format, Object... args) {
        return format(format, args);
    }

    @Override
    public PrintStream printf(Locale l, String format, Object... args) {
        return format(l, format, args);
    }

    @Override
    public PrintStream append(CharSequence csq) {
        copied(String.valueOf(csq));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq, int start, int end) {
        copied(String.valueOf(csq == null ? "null" : csq).substring(start, end));
        return this;
    }

    @Override
    public PrintStream append(char c) {
        copied(String.valueOf(c));
        return this;
    }

    /** Bytes written as they are; their text taken as UTF-8 (the commands print text, not bytes). */
    @Override
    public synchronized void write(byte[] b, int off, int len) {
        out.write(b, off, len);
        keep(new String(b, off, len, StandardCharsets.UTF_8));
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
