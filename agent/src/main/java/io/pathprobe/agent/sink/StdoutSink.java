package io.pathprobe.agent.sink;

import java.io.PrintStream;

/** Standard output, one record per line (the "stdout" sink type: for a container's log collector). */
public final class StdoutSink implements ResultSink {
    private final PrintStream out;

    /** @param out where the lines go (System.out for the "stdout" type) */
    public StdoutSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(String record) {
        out.println(record);
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
        public ResultSink open(SinkSettings settings) {
            return new StdoutSink(System.out);
        }
    }
}
