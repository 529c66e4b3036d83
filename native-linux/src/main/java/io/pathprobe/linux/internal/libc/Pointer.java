package io.pathprobe.linux.internal.libc;

import com.kenai.jffi.MemoryIO;

/**
 * An address in native memory, read and written through jffi's {@link MemoryIO} (the JDK's {@code Unsafe}
 * underneath): the accessors the transports used from jnr-ffi's {@code Pointer}, under the same names and in the
 * machine's byte order, without jnr-ffi's runtime (about 60 classes and a sixtieth of a second of a fresh JVM's
 * first trace). Nothing is checked: like jnr-ffi's {@code Pointer.wrap}, a pointer knows no size, and its owner
 * (see {@code io.pathprobe.linux.internal.socket.NativeMemory}) keeps every access inside memory it allocated and
 * has not freed.
 *
 * <p>Not final only so that tests can give parsers a pointer over a Java array that fails on a read past its end;
 * the library itself makes native pointers alone ({@link #wrap}), so every call here has one target.
 */
public class Pointer {
    private static final MemoryIO IO = MemoryIO.getInstance();

    private final long address;

    /** For subclasses: tests' pointers over Java memory, which override every accessor. */
    protected Pointer(long address) {
        this.address = address;
    }

    /** The pointer to {@code address}; nothing is allocated. */
    public static Pointer wrap(long address) {
        return new Pointer(address);
    }

    /** The address, to pass to C. */
    public long address() {
        return address;
    }

    /** The pointer {@code offset} bytes further on. */
    public Pointer slice(long offset) {
        return new Pointer(address + offset);
    }

    /** The byte at {@code offset}, in the machine's byte order. */
    public byte getByte(long offset) {
        return IO.getByte(address + offset);
    }

    /** Writes the byte at {@code offset}, in the machine's byte order. */
    public void putByte(long offset, byte value) {
        IO.putByte(address + offset, value);
    }

    /** The short at {@code offset}, in the machine's byte order. */
    public short getShort(long offset) {
        return IO.getShort(address + offset);
    }

    /** Writes the short at {@code offset}, in the machine's byte order. */
    public void putShort(long offset, short value) {
        IO.putShort(address + offset, value);
    }

    /** The int at {@code offset}, in the machine's byte order. */
    public int getInt(long offset) {
        return IO.getInt(address + offset);
    }

    /** Writes the int at {@code offset}, in the machine's byte order. */
    public void putInt(long offset, int value) {
        IO.putInt(address + offset, value);
    }

    /** The long at {@code offset}, in the machine's byte order. */
    public long getLong(long offset) {
        return IO.getLong(address + offset);
    }

    /** Writes the long at {@code offset}, in the machine's byte order. */
    public void putLong(long offset, long value) {
        IO.putLong(address + offset, value);
    }

    /** The address at {@code offset}, in the machine's byte order. */
    public long getAddress(long offset) {
        return IO.getAddress(address + offset);
    }

    /** Writes the address at {@code offset}, in the machine's byte order. */
    public void putAddress(long offset, long value) {
        IO.putAddress(address + offset, value);
    }

    /** Copies {@code length} bytes from {@code offset} into {@code dst} at {@code index}. */
    public void get(long offset, byte[] dst, int index, int length) {
        IO.getByteArray(address + offset, dst, index, length);
    }

    /** Copies {@code length} bytes of {@code src} from {@code index} to {@code offset}. */
    public void put(long offset, byte[] src, int index, int length) {
        IO.putByteArray(address + offset, src, index, length);
    }

    /** Sets {@code size} bytes from {@code offset} to {@code value}. */
    public void setMemory(long offset, long size, byte value) {
        IO.setMemory(address + offset, size, value);
    }

    /** Copies {@code size} bytes of {@code src} from {@code srcOffset} to {@code offset}; the ranges do not overlap. */
    public void transferFrom(long offset, Pointer src, long srcOffset, long size) {
        IO.copyMemory(src.address() + srcOffset, address + offset, size);
    }

    /** "0x7f3a2c001000", as a pointer prints in C. */
    @Override
    public String toString() {
        return "0x" + Long.toHexString(address);
    }
}
