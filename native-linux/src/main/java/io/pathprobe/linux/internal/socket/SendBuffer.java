package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.spi.SendFailedException;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A session's prepared sendmsg(2): the msghdr, the destination sockaddr, one TTL control message
 * (and, when {@link #setTrafficClass} asked for one, an IP_TOS / IPV6_TCLASS control message) and the
 * packet, laid out once in one native block. A send writes the TTL (and whatever the
 * session changes in the packet), takes the time and calls sendmsg: no allocation, Java or native.
 *
 * <p>Used by one sending thread at a time (the SPI never calls send concurrently for a session).
 */
public final class SendBuffer {
    /**
     * The packet space every buffer has at least: an IPv6 header (raw transports write it) and a 40-byte echo request.
     */
    static final int PACKET_CAPACITY = 128;
    /** The largest packet a buffer holds: an IPv6 header and a 65535-byte payload (a larger one is refused). */
    public static final int MAX_PACKET = 40 + 65535;
    /**
     * sendmsg calls before a route lookup decides whether a failure is real: see {@link #send}.
     * Each stale failure consumes one pending error; a real failure costs this many calls (~1 us each).
     */
    private static final int SEND_ATTEMPTS = 16;
    /** sendmsg calls per send at most once a route lookup showed the failures were stale. */
    private static final int MAX_ATTEMPTS = 1024;

    private static final int OFF_MSGHDR = 0;
    private static final int OFF_IOV = OFF_MSGHDR + Abi.MSGHDR_SIZE;
    private static final int OFF_NAME = 72;
    private static final int OFF_CONTROL = 104;
    private static final int CONTROL_LENGTH = Abi.cmsgSpace(4);
    private static final int OFF_TIMESPEC = OFF_CONTROL + 2 * CONTROL_LENGTH;
    private static final int OFF_SCRATCH = OFF_TIMESPEC + Abi.TIMESPEC_SIZE;
    private static final int OFF_PACKET = OFF_SCRATCH + 64;

    /** The most messages one {@link #sendStaged} sends with one sendmmsg(2). */
    public static final int BATCH = 64;
    // the batch: BATCH struct mmsghdr (msghdr, msg_len, padding) in a row, then each slot's data: iovec, sockaddr,
    // control messages, packet
    private static final int MMSGHDR_SIZE = 64;
    private static final int SLOT_IOV = 0;
    private static final int SLOT_NAME = SLOT_IOV + 16;
    private static final int SLOT_CONTROL = SLOT_NAME + 32;
    private static final int SLOT_PACKET = SLOT_CONTROL + 2 * CONTROL_LENGTH;

    private final NativeMemory memory;
    private final Pointer msghdr;
    private final Pointer name;
    private final Pointer ttlValue;
    private final Pointer timespec;
    private final Pointer scratch;
    private final Pointer packet;
    private final LibC libc;
    /** The batch's slots ({@link #stage}), made on first use: up to {@link #BATCH} prepared messages. */
    private @Nullable NativeMemory slots;
    private final int slotSize;
    /** Whether sendmmsg was refused as unknown (ENOSYS): then each message goes alone. */
    private boolean noSendmmsg;
    private final boolean ipv6;
    /** Where every packet goes: the route whose MTU a refusal for size names. */
    private final InetAddress destination;

    /**
     * @param destination where every packet goes (the port is set by {@link #setPort} when it varies)
     * @param packetLength bytes of {@link #packet()} sent
     */
    public SendBuffer(InetAddress destination, int port, int packetLength) {
        this(Posix.libc(), destination, port, packetLength);
    }

    /** As {@link #SendBuffer(InetAddress, int, int)}, through {@code libc} (tests count and fail its calls). */
    SendBuffer(LibC libc, InetAddress destination, int port, int packetLength) {
        this.libc = libc;
        if (packetLength < 0 || packetLength > MAX_PACKET) {
            throw new IllegalArgumentException("packet of " + packetLength + " bytes");
        }
        memory = NativeMemory.allocate(OFF_PACKET + Math.max(PACKET_CAPACITY, packetLength));
        slotSize = SLOT_PACKET + (Math.max(PACKET_CAPACITY, packetLength) + 7 & ~7);
        long base = memory.address();
        msghdr = memory.at(OFF_MSGHDR);
        name = memory.at(OFF_NAME);
        Pointer control = memory.at(OFF_CONTROL);
        ttlValue = memory.at(OFF_CONTROL + Abi.CMSG_HDR);
        timespec = memory.at(OFF_TIMESPEC);
        scratch = memory.at(OFF_SCRATCH);
        packet = memory.at(OFF_PACKET);

        this.destination = destination;
        int nameLength = Sockets.writeSockaddr(name, destination, port);
        ipv6 = nameLength == Abi.SOCKADDR_IN6_SIZE;
        control.putLong(Abi.CMSG_LEN, Abi.CMSG_HDR + 4);
        control.putInt(Abi.CMSG_LEVEL, ipv6 ? Abi.SOL_IPV6 : Abi.SOL_IP);
        control.putInt(Abi.CMSG_TYPE, ipv6 ? Abi.IPV6_HOPLIMIT : Abi.IP_TTL);

        msghdr.putAddress(Abi.MSG_NAME, base + OFF_NAME);
        msghdr.putInt(Abi.MSG_NAMELEN, nameLength);
        msghdr.putAddress(Abi.MSG_IOV, base + OFF_IOV);
        msghdr.putLong(Abi.MSG_IOVLEN, 1);
        msghdr.putAddress(Abi.MSG_CONTROL, base + OFF_CONTROL);
        msghdr.putLong(Abi.MSG_CONTROLLEN, CONTROL_LENGTH);
        memory.pointer().putAddress(OFF_IOV + Abi.IOV_BASE, base + OFF_PACKET);
        memory.pointer().putLong(OFF_IOV + Abi.IOV_LEN, packetLength);
    }

    /**
     * The packet sent (ICMP header and payload, or UDP payload); at least {@link #PACKET_CAPACITY} bytes, and the
     * packet length.
     */
    public Pointer packet() {
        return packet;
    }

    /**
     * Sends every packet from now on with a second control message: IP_TOS (IPv4) or IPV6_TCLASS (IPv6) of
     * {@code trafficClass}, which the kernel writes into the IP header it builds (ECN bits included; raw, UDP and
     * ping sockets: Linux 3.13 and later for IPv4). 0: no such message (the socket's own, 0 by default). For a
     * socket shared between sessions of different markings, where a setsockopt would mark the others' probes too.
     */
    public void setTrafficClass(int trafficClass) {
        if (trafficClass == 0) {
            msghdr.putLong(Abi.MSG_CONTROLLEN, CONTROL_LENGTH);
            return;
        }
        Pointer second = memory.at(OFF_CONTROL + CONTROL_LENGTH);
        second.putLong(Abi.CMSG_LEN, Abi.CMSG_HDR + 4);
        second.putInt(Abi.CMSG_LEVEL, ipv6 ? Abi.SOL_IPV6 : Abi.SOL_IP);
        second.putInt(Abi.CMSG_TYPE, ipv6 ? Abi.IPV6_TCLASS : Abi.IP_TOS);
        second.putInt(Abi.CMSG_HDR, trafficClass);
        msghdr.putLong(Abi.MSG_CONTROLLEN, 2 * CONTROL_LENGTH);
    }

    /** 64 bytes for set-up system calls (setsockopt values, getsockname). */
    public Pointer scratch() {
        return scratch;
    }

    /** The destination's sockaddr (for connect(2)); its length is {@link #destinationLength()}. */
    public Pointer destination() {
        return name;
    }

    public int destinationLength() {
        return msghdr.getInt(Abi.MSG_NAMELEN);
    }

    /** CLOCK_REALTIME now, in nanoseconds: the clock of {@link #send}'s result. For the sending thread. */
    public long now() {
        return Posix.clockRealtime(libc, timespec);
    }

    public void setPort(int port) {
        Sockets.writePort(name, port);
    }

    /** Sends the first {@code length} bytes of {@link #packet()} from now on (at most the buffer's packet length). */
    public void setLength(int length) {
        memory.pointer().putLong(OFF_IOV + Abi.IOV_LEN, length);
    }

    /**
     * Sends the packet with {@code ttl}. Returns CLOCK_REALTIME in nanoseconds taken right before
     * the sendmsg that went through.
     *
     * <p>Every ICMP error that reaches the socket leaves its errno pending (sk_err), and the next
     * sendmsg fails once with it (EHOSTUNREACH after a Time Exceeded, ECONNREFUSED after a port
     * unreachable...) although nothing is wrong now; each such failure consumes one pending error.
     * While a trace's answers stream in (and more so while the JIT has not compiled this path yet),
     * new errors can keep landing between a failure and its retry. So a failure with an errno an
     * ICMP error can leave behind is retried {@value #SEND_ATTEMPTS} times; if it still fails, a
     * route lookup settles it: with no route (connect(2) of a scratch UDP socket fails the same
     * way, nothing is sent) it is reported as no route; with a route the failures were stale and
     * sending goes on, up to {@value #MAX_ATTEMPTS} calls, after which it is reported as a
     * transient failure, never as "no route". Failures no ICMP error can cause (EAGAIN, EPERM from
     * a firewall rule...) are reported at once, as transient; but one that may mean this
     * host cannot reach the destination at all (EADDRNOTAVAIL: no source address of the family,
     * ENETDOWN, EINVAL: a link-local address without its interface) is permanent ({@link
     * SendFailedException#permanent()}) when the route lookup fails too. A route lookup's failure (no route, no source
     * address) is permanent: the measurement ends at once.
     */
    public long send(int fd, int ttl) throws SendFailedException {
        ttlValue.putInt(0, ttl);
        return send(fd, msghdr);
    }

    /** {@link #send(int, int)} of the prepared {@code message} (this buffer's, or one of its batch's slots). */
    private long send(int fd, Pointer message) throws SendFailedException {
        int errno = 0;
        boolean routeExists = false;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long sentAt = Posix.clockRealtime(libc, timespec);
            if (libc.sendmsg(fd, message, Abi.MSG_DONTWAIT) >= 0) {
                return sentAt;
            }
            errno = Posix.errno();
            if (!Errno.mayBePendingIcmpError(errno)) {
                if (!routeExists && Errno.isUnroutable(errno)) {
                    // no source address of the family (EADDRNOTAVAIL), ENETDOWN...: permanent only if
                    // the route lookup fails too
                    int routeErrno = routeLookup();
                    if (Errno.isUnroutable(routeErrno)) {
                        throw new SendFailedException(Posix.describe("sendmsg", errno),
                                Errno.isNoRoute(routeErrno), true);
                    }
                }
                break;
            }
            if (attempt == SEND_ATTEMPTS - 1) {
                int routeErrno = routeLookup();
                if (routeErrno != 0) {
                    throw new SendFailedException(Posix.describe("sendmsg", routeErrno), Errno.isNoRoute(routeErrno),
                            Errno.isUnroutable(routeErrno));
                }
                routeExists = true;
                if (errno == Errno.EMSGSIZE) {
                    // not a pending error again and again: the packet is larger than the path MTU the kernel knows
                    // (a router's Fragmentation Needed / Packet Too Big lowered it) and may not be fragmented
                    int mtu = Sockets.routeMtu(destination, scratch);
                    if (mtu > 0) {
                        throw SendFailedException.tooBig(Posix.describe("sendmsg", errno) + ", beyond the path MTU "
                                + mtu, mtu);
                    }
                }
            } else if (attempt >= SEND_ATTEMPTS) {
                Thread.onSpinWait();
            }
        }
        if (routeExists) {
            throw new SendFailedException(Posix.describe("sendmsg", errno)
                    + " on every try while ICMP errors kept arriving; the route exists", false);
        }
        throw new SendFailedException(Posix.describe("sendmsg", errno), false);
    }

    /**
     * Asks the kernel for a route to the destination without sending anything: connect(2) of a
     * scratch UDP socket. Returns 0 if there is one, else the errno (ENETUNREACH, EHOSTUNREACH...).
     */
    private int routeLookup() {
        int family = name.getShort(0) & 0xffff;
        int fd = libc.socket(family, Abi.SOCK_DGRAM | Abi.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return 0; // cannot tell: do not claim "no route"
        }
        try {
            int length = family == Abi.AF_INET6 ? Abi.SOCKADDR_IN6_SIZE : Abi.SOCKADDR_IN_SIZE;
            for (int i = 0; i < length; i++) {
                scratch.putByte(i, name.getByte(i));
            }
            Sockets.writePort(scratch, 9); // any port: connect on UDP only looks the route up
            return libc.connect(fd, scratch, length) == 0 ? 0 : Posix.errno();
        } finally {
            libc.close(fd);
        }
    }

    /**
     * Copies the message as {@link #send(int, int)} would send it now with {@code ttl} (the packet, its length, the
     * destination and the control messages: whatever the session prepared) into slot {@code slot} of the batch, 0 to
     * {@value #BATCH} - 1; {@link #sendStaged} sends the slots. Same bytes on the wire as a send of each in turn.
     */
    public void stage(int slot, int ttl) {
        if (slot < 0 || slot >= BATCH) {
            throw new IllegalArgumentException("slot must be 0.." + (BATCH - 1) + ", was " + slot);
        }
        NativeMemory m = slots;
        if (m == null) {
            slots = m = NativeMemory.allocate(BATCH * (MMSGHDR_SIZE + slotSize));
        }
        int length = (int) memory.pointer().getLong(OFF_IOV + Abi.IOV_LEN);
        if (SLOT_PACKET + length > slotSize) {
            throw new IllegalArgumentException("a staged packet of " + length + " bytes is larger than the slots");
        }
        ttlValue.putInt(0, ttl);
        Pointer p = m.pointer();
        long hdr = (long) slot * MMSGHDR_SIZE;
        long at = BATCH * MMSGHDR_SIZE + (long) slot * slotSize;
        long base = m.address() + at;
        int nameLength = msghdr.getInt(Abi.MSG_NAMELEN);
        long controlLength = msghdr.getLong(Abi.MSG_CONTROLLEN);
        p.transferFrom(at + SLOT_NAME, name, 0, nameLength);
        p.transferFrom(at + SLOT_CONTROL, memory.pointer(), OFF_CONTROL, controlLength);
        p.transferFrom(at + SLOT_PACKET, packet, 0, length);
        p.putAddress(hdr + Abi.MSG_NAME, base + SLOT_NAME);
        p.putInt(hdr + Abi.MSG_NAMELEN, nameLength);
        p.putAddress(hdr + Abi.MSG_IOV, base + SLOT_IOV);
        p.putLong(hdr + Abi.MSG_IOVLEN, 1);
        p.putAddress(hdr + Abi.MSG_CONTROL, base + SLOT_CONTROL);
        p.putLong(hdr + Abi.MSG_CONTROLLEN, controlLength);
        p.putInt(hdr + Abi.MSG_FLAGS, 0);
        p.putAddress(at + SLOT_IOV + Abi.IOV_BASE, base + SLOT_PACKET);
        p.putLong(at + SLOT_IOV + Abi.IOV_LEN, length);
    }

    /**
     * Sends the first {@code count} {@linkplain #stage staged} slots in order, with one sendmmsg(2) when the kernel
     * takes them all. Each slot's outcome lands at its index: {@code sentAt[i]}, CLOCK_REALTIME in nanoseconds read
     * right before the system call that sent it (one reading for the messages one call sent), or {@code failures[i]}.
     * When sendmmsg stops early (it returns how many it sent; the kernel drops the error of the message it stopped
     * at), or sends none, the first message not sent goes through {@link #send(int, int)}'s own path, retries, route
     * lookup and all (so a refusal is the same data a single send gives), then sendmmsg goes on with the rest; after a
     * {@linkplain SendFailedException#permanent() permanent} failure the rest stay unsent. Returns how many slots were
     * handled (sent or refused).
     */
    public int sendStaged(int fd, int count, long[] sentAt, @Nullable SendFailedException[] failures) {
        NativeMemory m = slots;
        if (count < 1 || count > BATCH || m == null) {
            throw new IllegalArgumentException("nothing staged to send " + count + " of");
        }
        int i = 0;
        while (i < count) {
            long stamp = Posix.clockRealtime(libc, timespec);
            int n = noSendmmsg ? 0 : libc.sendmmsg(fd, m.at(i * MMSGHDR_SIZE), count - i, Abi.MSG_DONTWAIT);
            if (n < 0 && Posix.errno() == Errno.ENOSYS) {
                noSendmmsg = true; // a kernel without it (before 3.0) or a filter that refuses it: one call a message
            }
            for (int k = 0; k < n; k++) {
                sentAt[i + k] = stamp;
                failures[i + k] = null;
            }
            if (n > 0) {
                i += n;
                continue;
            }
            try { // refused (or sendmmsg itself is missing): this one as a single send says, then the rest
                sentAt[i] = send(fd, m.at(i * MMSGHDR_SIZE));
                failures[i] = null;
            } catch (SendFailedException e) {
                failures[i] = e;
                if (e.permanent()) {
                    return i + 1; // no message to this destination can leave: the rest stay unsent
                }
            }
            i++;
        }
        return count;
    }

    /** Frees the memory; the caller guarantees no send is in progress or will start. */
    public void free() {
        memory.free();
        NativeMemory m = slots;
        if (m != null) {
            m.free();
        }
    }
}
