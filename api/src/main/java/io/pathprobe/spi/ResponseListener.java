package io.pathprobe.spi;

/**
 * Receives a session's answers. Called on a transport I/O thread: must be fast and must not block
 * (the engine hands the response to its own thread).
 */
@FunctionalInterface
public interface ResponseListener {
    /**
     * Receives one answer.
     *
     * @param response the answer
     */
    void onResponse(ProbeResponse response);
}
