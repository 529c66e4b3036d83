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
 * <p>Abstract only so that tests can give parsers a pointer over a Java array that fails on a read past its end;
 * the library itself makes native pointers alone ({@link #wrap}), so every call here has one target.
 */
public abstract class Pointer {
    /** For subclasses: tests' pointers over Java memory. */
    protected Pointer() {}

    /** The pointer to {@code address}; nothing is allocated. */
    public static Pointer wrap(long address) {
        return new Native(address);
    }

    /** The address, to pass to C. */
    public abstract long address();

    /** The pointer {@code offset} bytes further on. */
    public abstract Pointer slice(long offset);

    /** The byte at {@code offset}, in the machine's byte order. */
    public abstract byte getByte(long offset);

    /** Writes the byte at {@code offset}, in the machine's byte order. */
    public abstract void putByte(long offset, byte value);

    /** The short at {@code offset}, in the machine's byte order. */
    public abstract short getShort(long offset);

    /** Writes the short at {@code offset}, in the machine's byte order. */
    public abstract void putShort(long offset, short value);

    /** The int at {@code offset}, in the machine's byte order. */
    public abstract int getInt(long offset);

    /** Writes the int at {@code offset}, in the machine's byte order. */
    public abstract void putInt(long offset, int value);

    /** The long at {@code offset}, in the machine's byte order. */
    public abstract long getLong(long offset);

    /** Writes the long at {@code offset}, in the machine's byte order. */
    public abstract void putLong(long offset, long value);

    /** The address at {@code offset}, in the machine's byte order. */
    public abstract long getAddress(long offset);

    /** Writes the address at {@code offset}, in the machine's byte order. */
    public abstract void putAddress(long offset, long value);

    /** Copies {@code length} bytes from {@code offset} into {@code dst} at {@code index}. */
    public abstract void get(long offset, byte[] dst, int index, int length);

    /** Copies {@code length} bytes of {@code src} from {@code index} to {@code offset}. */
    public abstract void put(long offset, byte[] src, int index, int length);

    /** Sets {@code size} bytes from {@code offset} to {@code value}. */
    public abstract void setMemory(long offset, long size, byte value);

    /** Copies {@code size} bytes of {@code src} from {@code srcOffset} to {@code offset}; the ranges do not overlap. */
    public abstract void transferFrom(long offset, Pointer src, long srcOffset, long size);

    /** Native memory through jffi's {@code MemoryIO}. */
    private static final class Native extends Pointer {
        private static final MemoryIO IO = MemoryIO.getInstance();

        private final long address;

        Native(long address) {
            this.address = address;
        }

        @Override
        public long address() {
            return address;
        }

        @Override
        public Pointer slice(long offset) {
            return new Native(address + offset);
        }

        @Override
        public byte getByte(long offset) {
            return IO.getByte(address + offset);
        }

        @Override
        public void putByte(long offset, byte value) {
            IO.putByte(address + offset, value);
        }

        @Override
        public short getShort(long offset) {
            return IO.getShort(address + offset);
        }

        @Override
        public void putShort(long offset, short value) {
            IO.putShort(address + offset, value);
        }

        @Override
        public int getInt(long offset) {
            return IO.getInt(address + offset);
        }

        @Override
        public void putInt(long offset, int value) {
            IO.putInt(address + offset, value);
        }

        @Override
        public long getLong(long offset) {
            return IO.getLong(address + offset);
        }

        @Override
        public void putLong(long offset, long value) {
            IO.putLong(address + offset, value);
        }

        @Override
        public long getAddress(long offset) {
            return IO.getAddress(address + offset);
        }

        @Override
        public void putAddress(long offset, long value) {
            IO.putAddress(address + offset, value);
        }

        @Override
        public void get(long offset, byte[] dst, int index, int length) {
            IO.getByteArray(address + offset, dst, index, length);
        }

        @Override
        public void put(long offset, byte[] src, int index, int length) {
            IO.putByteArray(address + offset, src, index, length);
        }

        @Override
        public void setMemory(long offset, long size, byte value) {
            IO.setMemory(address + offset, size, value);
        }

        @Override
        public void transferFrom(long offset, Pointer src, long srcOffset, long size) {
            IO.copyMemory(src.address() + srcOffset, address + offset, size);
        }

        /** "0x7f3a2c001000", as a pointer prints in C. */
        @Override
        public String toString() {
            return "0x" + Long.toHexString(address);
        }
    }
}
