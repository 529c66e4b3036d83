package io.pathprobe.windows.internal;

/** Win32 constants the transport uses (winbase.h, winerror.h, synchapi.h, ws2def.h). */
public final class Win32 {
    /** INVALID_HANDLE_VALUE: what IcmpCreateFile / Icmp6CreateFile return on failure. */
    public static final long INVALID_HANDLE_VALUE = -1L;
    /** IcmpSendEcho2Ex / Icmp6SendEcho2 with an Event: returned 0 and GetLastError() says this. */
    public static final int ERROR_IO_PENDING = 997;
    /** An I/O request cancelled (its handle was closed). */
    public static final int ERROR_OPERATION_ABORTED = 995;
    public static final int ERROR_INVALID_PARAMETER = 87;
    public static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    public static final int ERROR_NETWORK_UNREACHABLE = 1231;
    public static final int ERROR_HOST_UNREACHABLE = 1232;
    /** A function the system does not implement: what Wine's {@code Icmp6CreateFile} stub sets. */
    public static final int ERROR_CALL_NOT_IMPLEMENTED = 120;
    /** An invalid handle (an ICMP handle or event already closed). */
    public static final int ERROR_INVALID_HANDLE = 6;
    /** Access denied. */
    public static final int ERROR_ACCESS_DENIED = 5;
    /** The caller's buffer is too small for the reply. */
    public static final int ERROR_INSUFFICIENT_BUFFER = 122;
    /** The request is not supported (an address family the stack lacks). */
    public static final int ERROR_NOT_SUPPORTED = 50;
    /** WaitForMultipleObjects: WAIT_OBJECT_0 + i, the lowest index of a signalled handle. */
    public static final int WAIT_OBJECT_0 = 0;
    /** WaitForMultipleObjects: WAIT_ABANDONED_0 + i (mutexes only: never for events). */
    public static final int WAIT_ABANDONED_0 = 0x80;
    public static final int WAIT_TIMEOUT = 0x102;
    public static final int WAIT_FAILED = 0xFFFFFFFF;
    public static final int INFINITE = 0xFFFFFFFF;
    /** MAXIMUM_WAIT_OBJECTS: the most handles one WaitForMultipleObjects call waits on. */
    public static final int MAXIMUM_WAIT_OBJECTS = 64;
    /** AF_INET6 on Windows (ws2def.h): 23, not Linux's 10. */
    public static final short AF_INET6 = 23;

    private Win32() {}
}
