package io.pathprobe.agent.sink;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Standard output, one record per line (the "stdout" sink type: for a container's log collector). A
 * {@link PrintStream} keeps its errors to itself: each write checks it, so a closed or failing output is reported
 * (the sink down, its records counted as dropped), never counted as written.
 */
public final class StdoutSink implements ResultSink {
    private final PrintStream out;

    /** @param out where the lines go (System.out for the "stdout" type) */
    public StdoutSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(String record) throws IOException {
        out.println(record);
        if (out.checkError()) { // flushes, then tells whether any write or flush failed
            throw new IOException("standard output failed (closed, or a write error)");
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush(); // standard output stays open
    }

    /** The "stdout" sink type. */
    public static final class Provider implements ResultSinkProvider {
        @Override
        public String type() {
            return "stdout";
        }

        @Override
        public void check(SinkSettings settings) {
            settings.onlyKnown(java.util.Set.of());
        }

        @Override
        public ResultSink open(SinkSettings settings) {
            return new StdoutSink(System.out);
        }
    }
}
