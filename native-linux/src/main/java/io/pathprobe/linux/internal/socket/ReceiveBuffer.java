package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.ReceiveCounters;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The native memory recvmsg(2) fills, and the parsed control messages of the last message. One per
 * transport, used only on its I/O thread. Allocated once; reading a packet allocates nothing.
 *
 * <p>After {@link #receive} returned a length, {@link #data()} holds the payload, {@link #name()}
 * the sender (or, on the error queue, the original destination), {@link #timestampNanos()} the
 * kernel receive time, {@link #replyTtl()} the TTL (hop limit) the message arrived with when the
 * socket asked for it (IP_RECVTTL, IPV6_RECVHOPLIMIT), and {@link #hasError()} tells whether a {@code
 * sock_extended_err} came with it ({@link #errorOrigin()}, {@link #errorType()}, {@link #errorCode()}, and the
 * offender's sockaddr at {@link #offenderOffset()} in {@link #control()}).
 */
public final class ReceiveBuffer {
    /** What a transport does with one message in the buffer: delivers it (null) or says why not. */
    @FunctionalInterface
    public interface Handler {
        @Nullable DropReason onMessage(ReceiveBuffer buffer, int length);
    }

    /**
     * The largest datagram a socket can hand over (an IPv4 packet with its header on a raw socket is
     * at most 65535 bytes; an ICMPv6 message without jumbograms too): large echo replies fit whole.
     */
    public static final int DATA_CAPACITY = 65536;
    private static final int CONTROL_CAPACITY = 512;
    private static final int NAME_CAPACITY = 32;

    private static final int OFF_MSGHDR = 0;
    private static final int OFF_IOV = OFF_MSGHDR + Abi.MSGHDR_SIZE;
    private static final int OFF_NAME = 80;
    private static final int OFF_TIMESPEC = OFF_NAME + NAME_CAPACITY;
    private static final int OFF_SCRATCH = OFF_TIMESPEC + Abi.TIMESPEC_SIZE;
    private static final int OFF_CONTROL = 192;
    private static final int OFF_DATA = OFF_CONTROL + CONTROL_CAPACITY;
    private static final int SIZE = OFF_DATA + DATA_CAPACITY;

    private final NativeMemory memory;
    private final Pointer msghdr;
    private final Pointer name;
    private final Pointer control;
    private final Pointer data;
    private final Pointer timespec;
    private final Pointer scratch;
    private final LibC libc = Posix.libc();

    private long timestampNanos;
    private int replyTtl = ProbeResponse.UNKNOWN;
    private boolean hasError;
    private int errorOrigin;
    private int errorType;
    private int errorCode;
    private int errorInfo;
    private int offenderOffset;

    public ReceiveBuffer() {
        memory = NativeMemory.allocate(SIZE);
        msghdr = memory.at(OFF_MSGHDR);
        name = memory.at(OFF_NAME);
        control = memory.at(OFF_CONTROL);
        data = memory.at(OFF_DATA);
        timespec = memory.at(OFF_TIMESPEC);
        scratch = memory.at(OFF_SCRATCH);
        long base = memory.address();
        msghdr.putAddress(Abi.MSG_NAME, base + OFF_NAME);
        msghdr.putAddress(Abi.MSG_IOV, base + OFF_IOV);
        msghdr.putLong(Abi.MSG_IOVLEN, 1);
        msghdr.putAddress(Abi.MSG_CONTROL, base + OFF_CONTROL);
        memory.pointer().putAddress(OFF_IOV + Abi.IOV_BASE, base + OFF_DATA);
    }

    /**
     * recvmsg(fd, flags | MSG_DONTWAIT). Returns the data length, or {@code -errno} (-EAGAIN when
     * there is nothing to read).
     */
    public int receive(int fd, int recvFlags) {
        msghdr.putInt(Abi.MSG_NAMELEN, NAME_CAPACITY);
        msghdr.putLong(Abi.MSG_CONTROLLEN, CONTROL_CAPACITY);
        msghdr.putInt(Abi.MSG_FLAGS, 0);
        memory.pointer().putLong(OFF_IOV + Abi.IOV_LEN, DATA_CAPACITY);
        long n = libc.recvmsg(fd, msghdr, recvFlags | Abi.MSG_DONTWAIT);
        if (n < 0) {
            return -Posix.errno();
        }
        if (msghdr.getInt(Abi.MSG_NAMELEN) == 0) {
            name.putShort(Abi.SA_FAMILY, (short) Abi.AF_UNSPEC);
        }
        parseControl(msghdr.getLong(Abi.MSG_CONTROLLEN));
        return (int) Math.min(n, DATA_CAPACITY);
    }

    /**
     * Reads up to {@code budget} messages from {@code fd} ({@code flags} 0 or MSG_ERRQUEUE), stopping
     * at EAGAIN, and hands each to {@code handler}. Each message is counted as read, then by its
     * outcome: the handler's (a handler that throws drops it as MALFORMED and reports the failure).
     * A recvmsg failing otherwise (a pending socket error it reports, and clears) is retried twice.
     * Returns how many messages it read.
     */
    public int drain(int fd, int flags, int budget, Handler handler, ReceiveCounters counters,
            Consumer<Throwable> failures) {
        int failed = 0;
        int read = 0;
        for (int i = 0; i < budget; i++) {
            int n = receive(fd, flags);
            if (n < 0) {
                if (-n == Errno.EAGAIN || ++failed > 2) {
                    break;
                }
                continue;
            }
            read++;
            counters.read();
            DropReason outcome;
            try {
                outcome = handler.onMessage(this, n);
            } catch (RuntimeException e) {
                outcome = DropReason.MALFORMED;
                failures.accept(e);
            }
            counters.outcome(outcome);
        }
        return read;
    }

    /**
     * Parses {@code length} bytes of control messages in {@link #control()} (what recvmsg put there);
     * package-private so that recorded control messages can be checked without a socket.
     */
    public void parseControl(long length) {
        timestampNanos = 0;
        replyTtl = ProbeResponse.UNKNOWN;
        hasError = false;
        offenderOffset = -1;
        int offset = 0;
        while (offset + Abi.CMSG_HDR <= length) {
            long cmsgLength = control.getLong(offset + Abi.CMSG_LEN);
            if (cmsgLength < Abi.CMSG_HDR || cmsgLength > length - offset) { // (offset + cmsgLength could overflow)
                break;
            }
            int level = control.getInt(offset + Abi.CMSG_LEVEL);
            int type = control.getInt(offset + Abi.CMSG_TYPE);
            int dataOffset = offset + Abi.CMSG_HDR;
            long dataLength = cmsgLength - Abi.CMSG_HDR;
            if (level == Abi.SOL_SOCKET && type == Abi.SCM_TIMESTAMPNS && dataLength >= Abi.TIMESPEC_SIZE) {
                timestampNanos = control.getLong(dataOffset) * 1_000_000_000L + control.getLong(dataOffset + 8);
            } else if (((level == Abi.SOL_IP && type == Abi.IP_TTL)
                    || (level == Abi.SOL_IPV6 && type == Abi.IPV6_HOPLIMIT))
                    && dataLength >= 4) {
                int ttl = control.getInt(dataOffset);
                replyTtl = ttl >= 0 && ttl <= 255 ? ttl : ProbeResponse.UNKNOWN;
            } else if (((level == Abi.SOL_IP && type == Abi.IP_RECVERR)
                            || (level == Abi.SOL_IPV6 && type == Abi.IPV6_RECVERR))
                    && dataLength >= Abi.EE_SIZE) {
                hasError = true;
                errorOrigin = control.getByte(dataOffset + Abi.EE_ORIGIN) & 0xff;
                errorType = control.getByte(dataOffset + Abi.EE_TYPE) & 0xff;
                errorCode = control.getByte(dataOffset + Abi.EE_CODE) & 0xff;
                errorInfo = control.getInt(dataOffset + Abi.EE_INFO);
                offenderOffset = dataLength >= Abi.EE_SIZE + 2
                        && dataLength >= Abi.EE_SIZE + offenderSize(dataOffset + Abi.EE_SIZE)
                        ? dataOffset + Abi.EE_SIZE : -1; // the whole sockaddr, or none: never read past the cmsg
            }
            offset += Abi.cmsgAlign((int) cmsgLength);
        }
        if (timestampNanos == 0) {
            timestampNanos = Posix.clockRealtime(libc, timespec); // no kernel timestamp: now
        }
    }

    /**
     * The bytes the offender's sockaddr at {@code offset} in {@link #control()} needs: a whole
     * sockaddr_in or sockaddr_in6 for those families, the family field alone for others (which no
     * session reads further).
     */
    private int offenderSize(int offset) {
        int family = Sockets.readFamily(control, offset);
        return family == Abi.AF_INET ? Abi.SOCKADDR_IN_SIZE : family == Abi.AF_INET6 ? Abi.SOCKADDR_IN6_SIZE : 2;
    }

    /**
     * CLOCK_REALTIME now, in nanoseconds (the clock of kernel timestamps and of sends): the receive
     * time of an event that carries no kernel timestamp. For the I/O thread.
     */
    public long now() {
        return Posix.clockRealtime(libc, timespec);
    }

    /** getsockopt(2) of an int option ({@link Sockets#getInt}), with this buffer's scratch memory. */
    public int getInt(int fd, int level, int option) {
        return Sockets.getInt(fd, level, option, scratch);
    }

    /** Clears a pending socket error (SO_ERROR); returns it (0 when none, -errno if the call failed). */
    public int clearSocketError(int fd) {
        return Sockets.getInt(fd, Abi.SOL_SOCKET, Abi.SO_ERROR, scratch);
    }

    public Pointer data() {
        return data;
    }

    public Pointer name() {
        return name;
    }

    public Pointer control() {
        return control;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    /**
     * The TTL (hop limit) of the message's IP header, from its IP_TTL / IPV6_HOPLIMIT cmsg, or {@link
     * ProbeResponse#UNKNOWN}.
     */
    public int replyTtl() {
        return replyTtl;
    }

    public boolean hasError() {
        return hasError;
    }

    public int errorOrigin() {
        return errorOrigin;
    }

    public int errorType() {
        return errorType;
    }

    public int errorCode() {
        return errorCode;
    }

    /**
     * The error's ee_info: for Fragmentation Needed and Packet Too Big, the MTU of the link the router
     * could not forward onto ({@link io.pathprobe.spi.ProbeResponse#UNKNOWN} if out of range).
     */
    public int errorMtu() {
        return errorInfo >= 0 && errorInfo <= 0xffff ? errorInfo : ProbeResponse.UNKNOWN;
    }

    /**
     * What the error-queue message reports: Time Exceeded, Destination Unreachable or (IPv4 code 4, IPv6
     * type 2) Packet Too Big from ICMP (or
     * ICMPv6 for an IPv6 socket), or null for anything else (local errors, other ICMP types).
     */
    public @Nullable ResponseKind icmpErrorKind(boolean ipv6) {
        if (!hasError) {
            return null;
        }
        if (!ipv6 && errorOrigin == Abi.SO_EE_ORIGIN_ICMP) {
            switch (errorType) {
                case IcmpEchoFormat.TIME_EXCEEDED: return ResponseKind.TIME_EXCEEDED;
                case IcmpEchoFormat.DEST_UNREACH: return errorCode == IcmpEcho.FRAG_NEEDED ? ResponseKind.PACKET_TOO_BIG
                        : ResponseKind.DESTINATION_UNREACHABLE;
                default: return null;
            }
        }
        if (ipv6 && errorOrigin == Abi.SO_EE_ORIGIN_ICMP6) {
            switch (errorType) {
                case IcmpEchoFormat.TIME_EXCEEDED_V6: return ResponseKind.TIME_EXCEEDED;
                case IcmpEchoFormat.DEST_UNREACH_V6: return ResponseKind.DESTINATION_UNREACHABLE;
                case IcmpEcho.PACKET_TOO_BIG_V6: return ResponseKind.PACKET_TOO_BIG;
                default: return null;
            }
        }
        return null;
    }

    /** Offset in {@link #control()} of the offender's sockaddr, or -1 when the kernel gave none. */
    public int offenderOffset() {
        return offenderOffset;
    }

    /** Frees the memory; only once the I/O thread has ended. */
    public void free() {
        memory.free();
    }
}
