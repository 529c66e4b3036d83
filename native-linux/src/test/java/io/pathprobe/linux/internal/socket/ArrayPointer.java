package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@link Pointer} over a copy of a Java array, in the machine's byte order: a read or write outside the array
 * throws {@link IndexOutOfBoundsException}, so the fuzz and packet tests catch a parser reading past a packet's
 * end. It has no address to give C.
 */
public final class ArrayPointer extends Pointer {
    private final ByteBuffer bytes;
    private final int base;

    public ArrayPointer(byte[] b) {
        this(ByteBuffer.wrap(b.clone()).order(ByteOrder.nativeOrder()), 0);
    }

    private ArrayPointer(ByteBuffer bytes, int base) {
        super(0);
        this.bytes = bytes;
        this.base = base;
    }

    private int at(long offset, long size) {
        long i = base + offset;
        if (i < 0 || size < 0 || i + size > bytes.capacity()) {
            throw new IndexOutOfBoundsException("bytes " + i + " to " + (i + size) + " of " + bytes.capacity());
        }
        return (int) i;
    }

    @Override
    public long address() {
        throw new UnsupportedOperationException("Java memory has no address to pass to C");
    }

    @Override
    public Pointer slice(long offset) {
        return new ArrayPointer(bytes, at(offset, 0));
    }

    @Override
    public byte getByte(long offset) {
        return bytes.get(at(offset, 1));
    }

    @Override
    public void putByte(long offset, byte value) {
        bytes.put(at(offset, 1), value);
    }

    @Override
    public short getShort(long offset) {
        return bytes.getShort(at(offset, 2));
    }

    @Override
    public void putShort(long offset, short value) {
        bytes.putShort(at(offset, 2), value);
    }

    @Override
    public int getInt(long offset) {
        return bytes.getInt(at(offset, 4));
    }

    @Override
    public void putInt(long offset, int value) {
        bytes.putInt(at(offset, 4), value);
    }

    @Override
    public long getLong(long offset) {
        return bytes.getLong(at(offset, 8));
    }

    @Override
    public void putLong(long offset, long value) {
        bytes.putLong(at(offset, 8), value);
    }

    @Override
    public long getAddress(long offset) {
        return getLong(offset);
    }

    @Override
    public void putAddress(long offset, long value) {
        putLong(offset, value);
    }

    @Override
    public void get(long offset, byte[] dst, int index, int length) {
        bytes.get(at(offset, length), dst, index, length);
    }

    @Override
    public void put(long offset, byte[] src, int index, int length) {
        bytes.put(at(offset, length), src, index, length);
    }

    @Override
    public void setMemory(long offset, long size, byte value) {
        int from = at(offset, size);
        for (int i = 0; i < size; i++) {
            bytes.put(from + i, value);
        }
    }

    @Override
    public void transferFrom(long offset, Pointer src, long srcOffset, long size) {
        byte[] copy = new byte[Math.toIntExact(size)];
        src.get(srcOffset, copy, 0, copy.length);
        put(offset, copy, 0, copy.length);
    }
}
