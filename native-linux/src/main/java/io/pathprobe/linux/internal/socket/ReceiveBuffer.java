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
 * The native memory recvmmsg(2) and recvmsg(2) fill, and the parsed control messages of the message being
 * handled. One per transport, used only on its I/O thread. Allocated once; reading packets allocates nothing.
 *
 * <p>After {@link #receive} returned a length (and for each message {@link #drain} hands its handler),
 * {@link #data()} holds the payload, {@link #name()} the sender (or, on the error queue, the original
 * destination), {@link #timestampNanos()} the kernel receive time, {@link #replyTtl()} the TTL (hop limit) the
 * message arrived with when the socket asked for it (IP_RECVTTL, IPV6_RECVHOPLIMIT), and {@link #hasError()}
 * tells whether a {@code sock_extended_err} came with it ({@link #errorOrigin()}, {@link #errorType()},
 * {@link #errorCode()}, and the offender's sockaddr at {@link #offenderOffset()} in {@link #control()}).
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
    /**
     * The messages one recvmmsg(2) reads: each has its own name, control and data (calloc'd, so the pages of the
     * slots a socket never fills are never touched).
     */
    static final int SLOTS = 16;
    /**
     * System property: {@code false} reads one message per recvmsg(2), as before recvmmsg; the default reads up to
     * {@value #SLOTS} per call. Read when a buffer is made.
     */
    static final String BATCH_PROPERTY = "pathprobe.linux.recvmmsg";
    private static final int CONTROL_CAPACITY = 512;
    private static final int NAME_CAPACITY = 32;
    /** struct mmsghdr: a msghdr, then msg_len (unsigned int), padded to 8. */
    private static final int MMSGHDR_SIZE = 64;
    private static final int MMSG_LEN = Abi.MSGHDR_SIZE;

    private static final int OFF_MMSGHDRS = 0;
    private static final int OFF_IOVS = OFF_MMSGHDRS + SLOTS * MMSGHDR_SIZE;
    private static final int OFF_NAMES = OFF_IOVS + SLOTS * Abi.IOVEC_SIZE;
    private static final int OFF_TIMESPEC = OFF_NAMES + SLOTS * NAME_CAPACITY;
    private static final int OFF_SCRATCH = OFF_TIMESPEC + Abi.TIMESPEC_SIZE;
    private static final int OFF_CONTROLS = OFF_SCRATCH + 64;
    private static final int OFF_DATA = OFF_CONTROLS + SLOTS * CONTROL_CAPACITY;
    private static final int SIZE = OFF_DATA + SLOTS * DATA_CAPACITY;

    private final NativeMemory memory;
    /** The mmsghdr array; its first entry is the msghdr of {@link #receive}. */
    private final Pointer messages;
    private final Pointer[] names = new Pointer[SLOTS];
    private final Pointer[] controls = new Pointer[SLOTS];
    private final Pointer[] datas = new Pointer[SLOTS];
    private final Pointer timespec;
    private final Pointer scratch;
    private final LibC libc;
    /** How many messages a read asks for: {@value #SLOTS}, or 1 (recvmsg) when asked or the kernel has no recvmmsg. */
    private int batch;
    /** The slot the accessors show: the message being handled. */
    private int slot;
    // the last read's messages, slots 0 to batchSize - 1, and the next of them to hand over, with where to
    private int batchSize;
    private int batchNext;
    private @Nullable Handler batchHandler;
    private @Nullable ReceiveCounters batchCounters;
    private @Nullable Consumer<Throwable> batchFailures;

    private long timestampNanos;
    private int replyTtl = ProbeResponse.UNKNOWN;
    private boolean hasError;
    private int errorOrigin;
    private int errorType;
    private int errorCode;
    private int errorInfo;
    private int offenderOffset;

    public ReceiveBuffer() {
        this(Posix.libc(), !"false".equals(System.getProperty(BATCH_PROPERTY)));
    }

    /** For tests: a buffer on {@code libc}, batched (recvmmsg) or not (recvmsg). */
    ReceiveBuffer(LibC libc, boolean batched) {
        this.libc = libc;
        this.batch = batched ? SLOTS : 1;
        memory = NativeMemory.allocate(SIZE);
        messages = memory.at(OFF_MMSGHDRS);
        timespec = memory.at(OFF_TIMESPEC);
        scratch = memory.at(OFF_SCRATCH);
        long base = memory.address();
        for (int i = 0; i < SLOTS; i++) {
            int hdr = OFF_MMSGHDRS + i * MMSGHDR_SIZE;
            int iov = OFF_IOVS + i * Abi.IOVEC_SIZE;
            names[i] = memory.at(OFF_NAMES + i * NAME_CAPACITY);
            controls[i] = memory.at(OFF_CONTROLS + i * CONTROL_CAPACITY);
            datas[i] = memory.at(OFF_DATA + i * DATA_CAPACITY);
            Pointer h = memory.pointer();
            h.putAddress(hdr + Abi.MSG_NAME, names[i].address());
            h.putAddress(hdr + Abi.MSG_IOV, base + iov);
            h.putLong(hdr + Abi.MSG_IOVLEN, 1);
            h.putAddress(hdr + Abi.MSG_CONTROL, controls[i].address());
            h.putAddress(iov + Abi.IOV_BASE, datas[i].address());
        }
    }

    /**
     * recvmsg(fd, flags | MSG_DONTWAIT) into the first slot. Returns the data length, or {@code -errno} (-EAGAIN
     * when there is nothing to read). Not during a {@link #drain}'s handler: its batch may still be in the slots.
     */
    public int receive(int fd, int recvFlags) {
        int got = receiveOne(fd, recvFlags);
        return got < 0 ? got : received(0, messages.getInt(MMSG_LEN) & 0xffffffffL);
    }

    /**
     * Reads up to {@code budget} messages from {@code fd} ({@code flags} 0 or MSG_ERRQUEUE), stopping
     * at EAGAIN, and hands each to {@code handler}, in the order the socket queued them: up to {@value #SLOTS} a
     * system call (recvmmsg), each with its own address, control messages and kernel timestamp; one a call
     * (recvmsg) where the kernel has no recvmmsg (ENOSYS, from then on) or {@value #BATCH_PROPERTY} is false.
     * Each message is counted as read, then by its outcome: the handler's (a handler that throws drops it as
     * MALFORMED and reports the failure). A read failing otherwise (a pending socket error it reports, and clears)
     * is retried twice. Returns how many messages it read.
     *
     * <p>A drain called from a handler (a listener that asks for its pending answers on the I/O thread) first
     * hands over, to their own handler, the messages the drain it is nested in read and has not handed over yet:
     * every message once, in order, and no slot read again before its message was handled.
     */
    public int drain(int fd, int flags, int budget, Handler handler, ReceiveCounters counters,
            Consumer<Throwable> failures) {
        handOver();
        int failed = 0;
        int read = 0;
        while (read < budget) {
            int want = Math.min(batch, budget - read);
            int got = want == 1 ? receiveOne(fd, flags) : receiveMany(fd, flags, want);
            if (got < 0) {
                if (-got == Errno.ENOSYS && batch > 1) {
                    batch = 1; // a kernel without recvmmsg: one message a call from now on
                    continue;
                }
                if (-got == Errno.EAGAIN || ++failed > 2) {
                    break;
                }
                continue;
            }
            read += got;
            batchSize = got;
            batchNext = 0;
            batchHandler = handler;
            batchCounters = counters;
            batchFailures = failures;
            handOver();
            if (got < want) {
                break; // the queue is empty: recvmmsg stopped at EAGAIN
            }
        }
        return read;
    }

    /** Hands the messages of the last read that are not handed over yet to the handler of that read. */
    private void handOver() {
        while (batchNext < batchSize) {
            // read each time: a drain nested in the handler may have read (and handed over) a batch of its own
            Handler handler = batchHandler;
            ReceiveCounters counters = batchCounters;
            Consumer<Throwable> failures = batchFailures;
            if (handler == null || counters == null || failures == null) {
                return; // nothing read yet
            }
            int i = batchNext++;
            int n = received(i, messages.getInt(i * MMSGHDR_SIZE + MMSG_LEN) & 0xffffffffL);
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
    }

    /** recvmsg(fd, flags | MSG_DONTWAIT) into the first slot, its length as msg_len: 1, or {@code -errno}. */
    private int receiveOne(int fd, int flags) {
        reset(0);
        long n = libc.recvmsg(fd, messages, flags | Abi.MSG_DONTWAIT);
        if (n < 0) {
            return -Posix.errno();
        }
        messages.putInt(MMSG_LEN, (int) Math.min(n, DATA_CAPACITY));
        return 1;
    }

    /** recvmmsg(fd, want, flags | MSG_DONTWAIT): how many messages it read (at least 1), or {@code -errno}. */
    private int receiveMany(int fd, int flags, int want) {
        for (int i = 0; i < want; i++) {
            reset(i);
        }
        int n = libc.recvmmsg(fd, messages, want, flags | Abi.MSG_DONTWAIT, null);
        return n < 0 ? -Posix.errno() : n;
    }

    /** Readies slot {@code i}'s msghdr for a read: the capacities, which the kernel overwrites with lengths. */
    private void reset(int i) {
        int hdr = i * MMSGHDR_SIZE;
        messages.putInt(hdr + Abi.MSG_NAMELEN, NAME_CAPACITY);
        messages.putLong(hdr + Abi.MSG_CONTROLLEN, CONTROL_CAPACITY);
        messages.putInt(hdr + Abi.MSG_FLAGS, 0);
        memory.pointer().putLong(OFF_IOVS + i * Abi.IOVEC_SIZE + Abi.IOV_LEN, DATA_CAPACITY);
    }

    /** Shows slot {@code i}, a message of {@code n} bytes just read: its name and parsed control messages. */
    private int received(int i, long n) {
        slot = i;
        int hdr = i * MMSGHDR_SIZE;
        if (messages.getInt(hdr + Abi.MSG_NAMELEN) == 0) {
            names[i].putShort(Abi.SA_FAMILY, (short) Abi.AF_UNSPEC);
        }
        parseControl(messages.getLong(hdr + Abi.MSG_CONTROLLEN));
        return (int) Math.min(n, DATA_CAPACITY);
    }

    /**
     * Parses {@code length} bytes of control messages in {@link #control()} (what the kernel put there);
     * package-private so that recorded control messages can be checked without a socket.
     */
    public void parseControl(long length) {
        timestampNanos = 0;
        replyTtl = ProbeResponse.UNKNOWN;
        hasError = false;
        offenderOffset = -1;
        Pointer control = controls[slot];
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
        Pointer control = controls[slot];
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

    /** The data of the message being handled. */
    public Pointer data() {
        return datas[slot];
    }

    /** The sender of the message being handled (on the error queue, the original destination). */
    public Pointer name() {
        return names[slot];
    }

    /** The control messages of the message being handled. */
    public Pointer control() {
        return controls[slot];
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
