package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpQuote;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the tests that hand recorded packets to a transport's receive path: a receive buffer to load them into,
 * a sockaddr for where they came from, the quote parser and address cache a receive loop keeps. Freed after each test.
 */
abstract class ReceivedPackets {
    final NativeMemory memory = NativeMemory.allocate(ReceiveBuffer.DATA_CAPACITY);
    final NativeMemory name = NativeMemory.allocate(64);
    final InetAddresses addresses = new InetAddresses();
    final IcmpQuote quote = new IcmpQuote();

    @AfterEach
    void freeBuffers() {
        memory.free();
        name.free();
    }

    /** {@return the receive buffer, zeroed, holding {@code packet} at its start} */
    Pointer load(byte[] packet) {
        Pointer p = memory.pointer();
        p.setMemory(0, ReceiveBuffer.DATA_CAPACITY, (byte) 0);
        p.put(0, packet, 0, packet.length);
        return p;
    }
}
