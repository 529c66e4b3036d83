package io.pathprobe.windows.internal;

import io.pathprobe.windows.internal.win32.Iphlpapi;
import io.pathprobe.windows.internal.win32.Kernel32;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * {@link IcmpApi} through jnr-ffi: iphlpapi.dll and kernel32.dll. Loaded only by {@link #load()},
 * which the Windows provider calls only on Windows: nothing here runs (and no library is loaded)
 * elsewhere. HANDLEs and pointers are passed as {@code intptr_t} (64-bit on x64: Windows' {@code long}
 * is 32-bit, so jnr's plain {@code long} would be wrong), DWORDs as {@code u_int32_t}. x64 has one
 * calling convention, so no {@code @StdCall} is needed.
 */
public final class JnrIcmpApi implements IcmpApi {

    private static final int HEAP_ZERO_MEMORY = 0x8;

    private final Iphlpapi iphlpapi;
    private final Kernel32 kernel32;
    private final Runtime runtime;
    private final long heap;

    private JnrIcmpApi(Iphlpapi iphlpapi, Kernel32 kernel32) {
        this.iphlpapi = iphlpapi;
        this.kernel32 = kernel32;
        this.runtime = Runtime.getRuntime(kernel32);
        if (runtime.addressSize() != 8) {
            throw new UnsupportedOperationException("a 64-bit JVM is needed (address size "
                    + runtime.addressSize() + ")");
        }
        this.heap = kernel32.GetProcessHeap();
        if (heap == 0) {
            throw new IllegalStateException("GetProcessHeap failed");
        }
    }

    /**
     * Binds iphlpapi.dll and kernel32.dll; throws (a LinkageError, an UnsatisfiedLinkError, ...) when
     * they cannot be bound. Call only on Windows.
     */
    public static JnrIcmpApi load() {
        Iphlpapi iphlpapi = LibraryLoader.create(Iphlpapi.class).failImmediately().load("iphlpapi");
        Kernel32 kernel32 = LibraryLoader.create(Kernel32.class).failImmediately().load("kernel32");
        return new JnrIcmpApi(iphlpapi, kernel32);
    }

    @Override
    public long icmpCreateFile() {
        return iphlpapi.IcmpCreateFile();
    }

    @Override
    public long icmp6CreateFile() {
        return iphlpapi.Icmp6CreateFile();
    }

    @Override
    public boolean icmpCloseHandle(long handle) {
        return iphlpapi.IcmpCloseHandle(handle) != 0;
    }

    @Override
    public long createEvent(boolean manualReset) {
        return kernel32.CreateEventW(0, manualReset ? 1 : 0, 0, 0);
    }

    @Override
    public boolean setEvent(long event) {
        return kernel32.SetEvent(event) != 0;
    }

    @Override
    public boolean closeHandle(long handle) {
        return kernel32.CloseHandle(handle) != 0;
    }

    @Override
    public int waitForMultipleObjects(long[] handles, int count, int millis) {
        if (count < 1 || count > Win32.MAXIMUM_WAIT_OBJECTS) {
            throw new IllegalArgumentException("1.." + Win32.MAXIMUM_WAIT_OBJECTS + " handles, was " + count);
        }
        // The handle array lives in native memory for the call only (a HeapAlloc and HeapFree per
        // wake-up: noise beside the wait itself, and nothing left behind by waiter threads that end).
        NativeBlock array = allocate(8 * count);
        try {
            Pointer p = Pointer.wrap(runtime, array.address());
            for (int i = 0; i < count; i++) {
                p.putLongLong(8L * i, handles[i]); // HANDLE: 8 bytes on x64 (jnr's putLong is a C long: 4 on Windows)
            }
            return kernel32.WaitForMultipleObjects(count, array.address(), 0, millis);
        } finally {
            array.free();
        }
    }

    @Override
    public int waitForSingleObject(long handle, int millis) {
        return kernel32.WaitForSingleObject(handle, millis);
    }

    @Override
    public int icmpSendEcho2Ex(long icmp, long event, int source, int destination, NativeBlock block, int dataOffset,
            int dataSize, int optionsOffset, int replyOffset, int replySize, int timeoutMillis) {
        long base = block.address();
        return iphlpapi.IcmpSendEcho2Ex(icmp, event, 0, 0, source, destination, base + dataOffset, (short) dataSize,
                base + optionsOffset, base + replyOffset, replySize, timeoutMillis);
    }

    @Override
    public int icmp6SendEcho2(long icmp, long event, NativeBlock block, int sourceOffset, int destinationOffset,
            int dataOffset, int dataSize, int optionsOffset, int replyOffset, int replySize, int timeoutMillis) {
        long base = block.address();
        return iphlpapi.Icmp6SendEcho2(icmp, event, 0, 0, base + sourceOffset, base + destinationOffset,
                base + dataOffset, (short) dataSize, base + optionsOffset, base + replyOffset,
                replySize, timeoutMillis);
    }

    @Override
    public int icmpParseReplies(NativeBlock block, int replyOffset, int replySize) {
        return iphlpapi.IcmpParseReplies(block.address() + replyOffset, replySize);
    }

    @Override
    public int icmp6ParseReplies(NativeBlock block, int replyOffset, int replySize) {
        return iphlpapi.Icmp6ParseReplies(block.address() + replyOffset, replySize);
    }

    @Override
    public int lastError() {
        return LastError.getLastError(runtime);
    }

    @Override
    public NativeBlock allocate(int size) {
        long address = kernel32.HeapAlloc(heap, HEAP_ZERO_MEMORY, size);
        if (address == 0) {
            throw new OutOfMemoryError("HeapAlloc(" + size + ") failed");
        }
        return new HeapBlock(address, size);
    }

    /** A HeapAlloc block of the process heap. */
    private final class HeapBlock implements NativeBlock {
        private final long address;
        private final int size;
        private final Pointer pointer;
        private boolean freed;

        HeapBlock(long address, int size) {
            this.address = address;
            this.size = size;
            this.pointer = Pointer.wrap(runtime, address);
        }

        @Override
        public long address() {
            return address;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void put(int offset, byte[] from, int fromOffset, int length) {
            check(offset, length);
            pointer.put(offset, from, fromOffset, length);
        }

        @Override
        public byte[] get(int offset, int length) {
            check(offset, length);
            byte[] out = new byte[length];
            pointer.get(offset, out, 0, length);
            return out;
        }

        private void check(int offset, int length) {
            if (freed || offset < 0 || length < 0 || offset + length > size) {
                throw new IndexOutOfBoundsException("[" + offset + ", +" + length + ") of a block of " + size
                        + (freed ? " (freed)" : ""));
            }
        }

        @Override
        public synchronized void free() {
            if (!freed) {
                freed = true;
                kernel32.HeapFree(heap, 0, address);
            }
        }
    }
}
