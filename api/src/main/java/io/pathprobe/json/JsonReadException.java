package io.pathprobe.json;

/**
 * A text a reader of this package ({@link TraceJson#read(String)}, {@link MonitorJson#read(String)},
 * {@link DiffJson#read(String)}) does not read: not JSON, or not the document asked for. Its message is one line
 * saying what is wrong and where ({@code "element 2: a hop without a ttl"}).
 */
public class JsonReadException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * A text not read, for the reason {@code message} gives.
     *
     * @param message what is wrong and where, one line
     */
    public JsonReadException(String message) {
        super(message);
    }
}
