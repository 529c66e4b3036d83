package io.pathprobe.agent;

import io.pathprobe.PathProbeException;

/**
 * A schedule that cannot be run as written: the message names the file, the line and column and what is wrong
 * ("agent.yaml:12:15: jobs[1].interval: '6x' is not a duration (e.g. 10s, 500ms, 2m)").
 */
public final class AgentConfigException extends PathProbeException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;
    private final String whole;

    /**
     * @param source the file (or "config")
     * @param line the line, from 1; 0 when the whole file is meant
     * @param column the column, from 1; 0 when unknown
     * @param message what is wrong
     */
    public AgentConfigException(String source, int line, int column, String message) {
        this(source, line, source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message);
    }

    private AgentConfigException(String source, int line, String whole) {
        super(whole);
        this.source = source;
        this.line = line;
        this.whole = whole;
    }

    /** {@return the one line: file, line and column, and what is wrong (never null)} */
    @Override
    public String getMessage() {
        return whole;
    }

    /** {@return the file the error is in} */
    public String source() {
        return source;
    }

    /** {@return the line of the error, from 1; 0 when the whole file is meant} */
    public int line() {
        return line;
    }
}
