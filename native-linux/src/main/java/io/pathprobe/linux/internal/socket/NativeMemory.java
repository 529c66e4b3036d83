package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.Pointer;

/**
 * One zeroed block of native memory with an explicit lifetime. Its owner frees it exactly once,
 * when nothing can touch it any more (see {@link UseGuard}); regions of the block are handed out as
 * {@link Pointer}s once, at set-up, never per packet.
 */
public final class NativeMemory {
    private final long address;
    private final int size;
    private final Pointer pointer;
    private boolean freed;

    private NativeMemory(long address, int size) {
        this.address = address;
        this.size = size;
        this.pointer = Pointer.wrap(address);
    }

    public static NativeMemory allocate(int size) {
        long address = Posix.libc().calloc(1, size);
        if (address == 0) {
            throw new OutOfMemoryError("calloc(" + size + ") failed");
        }
        return new NativeMemory(address, size);
    }

    /** The whole block. */
    public Pointer pointer() {
        return pointer;
    }

    public long address() {
        return address;
    }

    /** A pointer to {@code offset} within the block. */
    Pointer at(int offset) {
        if (offset < 0 || offset >= size) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside a block of " + size);
        }
        return Pointer.wrap(address + offset);
    }

    /** Frees the block; later calls do nothing. The caller guarantees nobody uses it any more. */
    public synchronized void free() {
        if (!freed) {
            freed = true;
            Posix.libc().free(address);
        }
    }
}
