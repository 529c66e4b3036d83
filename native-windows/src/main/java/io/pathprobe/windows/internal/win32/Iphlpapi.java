package io.pathprobe.windows.internal.win32;

import jnr.ffi.types.intptr_t;
import jnr.ffi.types.u_int16_t;
import jnr.ffi.types.u_int32_t;

/** The iphlpapi.dll functions (icmpapi.h). */
public interface Iphlpapi {
    @intptr_t long IcmpCreateFile();

    @intptr_t long Icmp6CreateFile();

    int IcmpCloseHandle(@intptr_t long icmpHandle);

    @u_int32_t int IcmpSendEcho2Ex(@intptr_t long icmpHandle, @intptr_t long event, @intptr_t long apcRoutine,
            @intptr_t long apcContext, @u_int32_t int sourceAddress, @u_int32_t int destinationAddress,
            @intptr_t long requestData, @u_int16_t short requestSize, @intptr_t long requestOptions,
            @intptr_t long replyBuffer, @u_int32_t int replySize, @u_int32_t int timeout);

    @u_int32_t int Icmp6SendEcho2(@intptr_t long icmpHandle, @intptr_t long event, @intptr_t long apcRoutine,
            @intptr_t long apcContext, @intptr_t long sourceAddress, @intptr_t long destinationAddress,
            @intptr_t long requestData, @u_int16_t short requestSize, @intptr_t long requestOptions,
            @intptr_t long replyBuffer, @u_int32_t int replySize, @u_int32_t int timeout);

    @u_int32_t int IcmpParseReplies(@intptr_t long replyBuffer, @u_int32_t int replySize);

    @u_int32_t int Icmp6ParseReplies(@intptr_t long replyBuffer, @u_int32_t int replySize);
}
