package io.pathprobe.windows.internal;

/**
 * The operating-system seam of the Windows transport: the iphlpapi.dll and kernel32.dll calls it
 * makes, one method per Win32 function, nothing more. The real implementation is the jnr-ffi
 * binding {@link JnrIcmpApi}, loaded only on Windows; tests give the transport a fake that plays
 * the part of Windows (events, reply buffers written as IcmpParseReplies leaves them).
 *
 * <p>Handles are {@code HANDLE} values as 64-bit integers. {@link #lastError()} is the calling
 * thread's {@code GetLastError()} right after the previous call of this seam on that thread.
 * Thread-safe.
 */
public interface IcmpApi {
    /** IcmpCreateFile(): an ICMP handle, or {@link Win32#INVALID_HANDLE_VALUE}. */
    long icmpCreateFile();

    /** Icmp6CreateFile(): an ICMPv6 handle, or {@link Win32#INVALID_HANDLE_VALUE}. */
    long icmp6CreateFile();

    /**
     * IcmpCloseHandle(handle). On Windows assumed (not documented) to cancel the handle's outstanding requests,
     * signalling their events; Wine does not: they complete at their own Timeout.
     */
    boolean icmpCloseHandle(long handle);

    /** CreateEventW(NULL, manualReset, FALSE, NULL): an unsignalled event, or 0. */
    long createEvent(boolean manualReset);

    /** SetEvent(event). */
    boolean setEvent(long event);

    /** CloseHandle(handle). */
    boolean closeHandle(long handle);

    /**
     * WaitForMultipleObjects(count, handles, FALSE, millis): {@link Win32#WAIT_OBJECT_0} + the lowest
     * index of a signalled handle, {@link Win32#WAIT_TIMEOUT} or {@link Win32#WAIT_FAILED}.
     * {@code count} is at most {@link Win32#MAXIMUM_WAIT_OBJECTS}.
     */
    int waitForMultipleObjects(long[] handles, int count, int millis);

    /** WaitForSingleObject(handle, millis). */
    int waitForSingleObject(long handle, int millis);

    /**
     * IcmpSendEcho2Ex(icmp, event, NULL, NULL, source, destination, block+dataOffset, dataSize,
     * block+optionsOffset, block+replyOffset, replySize, timeoutMillis). Addresses are IPAddr values
     * ({@link EchoLayouts#ipAddr}). With an event it returns 0 and {@link #lastError()} is
     * {@link Win32#ERROR_IO_PENDING} when the request is under way.
     */
    int icmpSendEcho2Ex(long icmp, long event, int source, int destination, NativeBlock block, int dataOffset,
            int dataSize, int optionsOffset, int replyOffset, int replySize, int timeoutMillis);

    /**
     * Icmp6SendEcho2(icmp, event, NULL, NULL, block+sourceOffset, block+destinationOffset,
     * block+dataOffset, dataSize, block+optionsOffset, block+replyOffset, replySize, timeoutMillis):
     * the addresses are sockaddr_in6 structures in the block.
     */
    int icmp6SendEcho2(long icmp, long event, NativeBlock block, int sourceOffset, int destinationOffset,
            int dataOffset, int dataSize, int optionsOffset, int replyOffset, int replySize, int timeoutMillis);

    /** IcmpParseReplies(block+replyOffset, replySize): the number of replies; 0 with {@link #lastError()} set. */
    int icmpParseReplies(NativeBlock block, int replyOffset, int replySize);

    /** Icmp6ParseReplies(block+replyOffset, replySize). */
    int icmp6ParseReplies(NativeBlock block, int replyOffset, int replySize);

    /** GetLastError() of the calling thread after its previous call of this seam. */
    int lastError();

    /** Zeroed native memory of {@code size} bytes, whose lifetime the caller controls (HeapAlloc). */
    NativeBlock allocate(int size);
}
