package io.pathprobe.windows.internal;

/**
 * A block of native memory with an explicit lifetime: one per outstanding request, holding its
 * IP_OPTION_INFORMATION, addresses, request data and the reply buffer the driver writes into
 * asynchronously. It must not be freed while the operating system may still write into it, that
 * is before the request's event was signalled.
 */
public interface NativeBlock {
    /** The block's native address. */
    long address();

    int size();

    /** Copies {@code length} bytes of {@code from} (starting at {@code fromOffset}) to {@code offset}. */
    void put(int offset, byte[] from, int fromOffset, int length);

    /** Copies {@code length} bytes from {@code offset} into a new array. */
    byte[] get(int offset, int length);

    /** Frees the block; idempotent. */
    void free();
}
