package io.pathprobe.windows.internal.win32;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.u_int32_t;

/** The kernel32.dll functions (synchapi.h, handleapi.h, heapapi.h). */
public interface Kernel32 {
    @intptr_t long CreateEventW(@intptr_t long securityAttributes, int manualReset, int initialState,
            @intptr_t long name);

    int SetEvent(@intptr_t long event);

    int CloseHandle(@intptr_t long handle);

    @u_int32_t int WaitForMultipleObjects(@u_int32_t int count, @intptr_t long handles, int waitAll,
            @u_int32_t int millis);

    @IgnoreError
    @u_int32_t int WaitForSingleObject(@intptr_t long handle, @u_int32_t int millis);

    @IgnoreError
    @intptr_t long GetProcessHeap();

    @intptr_t long HeapAlloc(@intptr_t long heap, @u_int32_t int flags, @intptr_t long bytes);

    @IgnoreError
    int HeapFree(@intptr_t long heap, @u_int32_t int flags, @intptr_t long memory);
}
