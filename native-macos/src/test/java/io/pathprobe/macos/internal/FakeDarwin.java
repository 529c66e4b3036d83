package io.pathprobe.macos.internal;

import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A simulated macOS host, entirely in memory (nothing touches a real network): ICMP datagram
 * sockets with xnu's behaviour as {@link MacIcmpTransport} documents it, and a network behind them.
 *
 * <ul>
 *   <li>socket(): only AF_INET(2)/SOCK_DGRAM/IPPROTO_ICMP and AF_INET6(30)/SOCK_DGRAM/IPPROTO_ICMPV6;
 *       setsockopt as xnu's icmp_dgram_ctloutput / icmp6_dgram_ctloutput allow it (Darwin numbers:
 *       IP_TTL 4, IP_TOS 3, IPV6_UNICAST_HOPS 4, IPV6_TCLASS 36, IPV6_RECVHOPLIMIT 37; others EINVAL /
 *       EPERM), each call recorded ({@link #options}); the marking goes on the wire with the packet;
 *   <li>sendto(): a Darwin sockaddr (length byte first) is required; only echo requests with code 0
 *       (else EINVAL, as icmp_dgram_send); IPv4 checksums are sent as written (a wrong one makes the
 *       destination drop the request, as a real one would), ICMPv6 checksums computed as the kernel does;
 *   <li>every answer is delivered to every ICMP socket of its family (rip_input): IPv4 with its header
 *       (ip_len in host order, without the header's length, as Darwin hands it over), ICMPv6 without,
 *       the hop limit as an IPV6_HOPLIMIT control message (Darwin cmsg layout) when asked for;
 *   <li>the network: loopback (127/8, ::1) answers echo requests; {@link #route} adds a path of
 *       routers (null: a silent hop) before a destination; routers quote the whole probe, or 8 bytes
 *       ({@link #quoteOnly8}); everything else is silent.
 * </ul>
 */
public final class FakeDarwin implements MacSockets {
    static final int EBADF = 9;
    // xnu's values, written out here (not taken from Darwin) so that a wrong constant there fails the tests
    private static final int X_AF_INET = 2;
    private static final int X_IPPROTO_UDP = 17;
    private static final int X_AF_INET6 = 30;
    private static final int X_EINVAL = 22;
    private static final int X_EPERM = 1;
    private static final int X_EPROTONOSUPPORT = 43;
    private static final int X_IPPROTO_ICMP = 1;
    private static final int X_IPPROTO_ICMPV6 = 58;
    private static final int X_IPPROTO_IP = 0;
    private static final int X_IPPROTO_IPV6 = 41;
    private static final int X_IPV6_HOPLIMIT = 47;
    private static final int X_IPV6_RECVHOPLIMIT = 37;
    private static final int X_IPV6_UNICAST_HOPS = 4;
    private static final int X_IP_RECVTTL = 24;
    private static final int X_IP_STRIPHDR = 23;
    private static final int X_IP_TTL = 4;
    private static final int X_IP_TOS = 3;
    private static final int X_IPV6_TCLASS = 36;
    private static final int X_SOCK_DGRAM = 2;
    private static final int X_SOL_SOCKET = 0xffff;

    /** A packet as it left the host: family, TTL, destination, ICMP bytes (checksum as on the wire). */
    public record Wire(boolean ipv6, int ttl, int trafficClass, InetAddress destination, byte[] icmp) {
        int checksum() {
            return IcmpCodec.getShort(icmp, 2);
        }

        int sequence() {
            return IcmpCodec.getShort(icmp, 6);
        }
    }

    private final AtomicInteger nextFd = new AtomicInteger(100);
    private final Map<Integer, Sock> sockets = new ConcurrentHashMap<>();
    private final Map<InetAddress, List<@Nullable InetAddress>> routes = new ConcurrentHashMap<>();
    final List<Wire> wire = new CopyOnWriteArrayList<>();
    /** A setsockopt call that succeeded: descriptor, level, option, int value. */
    public record Option(int fd, int level, int name, int value) {}

    final List<Option> options = new CopyOnWriteArrayList<>();
    /** setsockopt IP_TOS / IPV6_TCLASS fails with this errno (0: succeeds). */
    volatile int markErrno;
    volatile boolean quoteOnly8;
    volatile int socketErrno;
    volatile int sendErrno;

    /** Probes to {@code destination} pass {@code routers} first (hop 1 = the first); null: a silent router. */
    public void route(InetAddress destination, List<@Nullable InetAddress> routers) {
        routes.put(destination, new ArrayList<>(routers));
    }

    /** socket() fails with {@code errno} from now on (0: succeeds again). */
    public void refuseSockets(int errno) {
        socketErrno = errno;
    }

    public int openSockets() {
        return sockets.size();
    }

    /** Delivers {@code datagram} (as the socket would read it) to every ICMP socket of its family. */
    public void deliver(boolean ipv6, byte[] datagram, @Nullable InetAddress from, int hopLimit) {
        for (Sock s : sockets.values()) {
            if (s.ipv6 == ipv6 && !s.udp) {
                s.enqueue(datagram, from, hopLimit);
            }
        }
    }

    private Sock sock(int fd, String call) throws NativeError {
        Sock s = sockets.get(fd);
        if (s == null) {
            throw new NativeError(call, EBADF, "Bad file descriptor");
        }
        return s;
    }

    @Override
    public int socket(int domain, int type, int protocol) throws NativeError {
        if (socketErrno != 0) {
            throw new NativeError("socket", socketErrno, "simulated");
        }
        boolean v4 = domain == X_AF_INET && protocol == X_IPPROTO_ICMP;
        boolean v6 = domain == X_AF_INET6 && protocol == X_IPPROTO_ICMPV6;
        boolean udp = (domain == X_AF_INET || domain == X_AF_INET6) && protocol == X_IPPROTO_UDP;
        if (type != X_SOCK_DGRAM || !(v4 || v6 || udp)) {
            throw new NativeError("socket", X_EPROTONOSUPPORT, "Protocol not supported");
        }
        int fd = nextFd.getAndIncrement();
        Sock s = new Sock(domain == X_AF_INET6);
        s.udp = udp;
        sockets.put(fd, s);
        return fd;
    }

    private final AtomicInteger nextPort = new AtomicInteger(50000);

    @Override
    public void bind(int fd, byte[] address) throws NativeError {
        Sock s = sock(fd, "bind");
        InetAddress a = DarwinStructs.address(address, address.length);
        if (!s.udp || a == null || (a instanceof Inet6Address) != s.ipv6 || s.port != 0) {
            throw new NativeError("bind", X_EINVAL, "Invalid argument");
        }
        int port = IcmpCodec.getShort(address, 2);
        s.boundAddress = a;
        s.port = port != 0 ? port : nextPort.getAndIncrement();
    }

    @Override
    public int getsockname(int fd, byte[] address) throws NativeError {
        Sock s = sock(fd, "getsockname");
        InetAddress a = s.boundAddress;
        byte[] name = DarwinStructs.sockaddr(a == null ? inet4Any() : a, s.port);
        System.arraycopy(name, 0, address, 0, Math.min(name.length, address.length));
        return Math.min(name.length, address.length);
    }

    @Override
    public void setsockopt(int fd, int level, int name, byte[] value) throws NativeError {
        Sock s = sock(fd, "setsockopt");
        int v = DarwinStructs.getIntLittle(value, 0);
        if (markErrno != 0 && (name == X_IP_TOS && level == X_IPPROTO_IP
                || name == X_IPV6_TCLASS && level == X_IPPROTO_IPV6)) {
            throw new NativeError("setsockopt", markErrno, "simulated");
        }
        setOption(s, level, name, v);
        options.add(new Option(fd, level, name, v));
    }

    private static void setOption(Sock s, int level, int name, int v) throws NativeError {
        if (level == X_SOL_SOCKET) {
            if (name == 0x1001) { // SO_SNDBUF
                s.sndbuf = v;
            }
            return; // SO_RCVBUF and friends: accepted
        }
        if (!s.ipv6) {
            if (level != X_IPPROTO_IP) {
                throw new NativeError("setsockopt", X_EINVAL, "Invalid argument");
            }
            if (name == X_IP_TTL) {
                s.ttl = v;
            } else if (name == X_IP_TOS) {
                s.trafficClass = v & 0xff;
            } else if (name != X_IP_RECVTTL && name != X_IP_STRIPHDR) {
                throw new NativeError("setsockopt", X_EINVAL, "Invalid argument");
            }
            return;
        }
        if (level != X_IPPROTO_IPV6) {
            throw new NativeError("setsockopt", X_EINVAL, "Invalid argument");
        }
        if (name == X_IPV6_UNICAST_HOPS) {
            s.ttl = v;
        } else if (name == X_IPV6_RECVHOPLIMIT) {
            s.recvHopLimit = v != 0;
        } else if (name == X_IPV6_TCLASS && v >= -1 && v <= 255) { // ip6_ctloutput: -1 is the default, 0
            s.trafficClass = Math.max(v, 0);
        } else if (name == X_IPV6_TCLASS) {
            throw new NativeError("setsockopt", X_EINVAL, "Invalid argument");
        } else {
            throw new NativeError("setsockopt", X_EPERM, "Operation not permitted");
        }
    }

    @Override
    public int sendto(int fd, byte[] data, int length, byte[] to) throws NativeError {
        Sock s = sock(fd, "sendto");
        boolean sockaddrOk = s.ipv6 ? to.length == 28 && to[0] == 28 && to[1] == X_AF_INET6
                : to.length == 16 && to[0] == 16 && to[1] == X_AF_INET;
        if (!sockaddrOk) {
            throw new NativeError("sendto", X_EINVAL, "Invalid argument (not a Darwin sockaddr)");
        }
        InetAddress destination = DarwinStructs.address(to, to.length);
        if (s.udp) {
            return sendUdp(s, data, length, destination, IcmpCodec.getShort(to, 2));
        }
        if (destination == null || length < 8 || data[1] != 0
                || (data[0] & 0xff) != (s.ipv6 ? IcmpEchoFormat.ECHO_REQUEST_V6 : IcmpEchoFormat.ECHO_REQUEST)) {
            throw new NativeError("sendto", X_EINVAL, "Invalid argument");
        }
        if (sendErrno != 0) {
            throw new NativeError("sendto", sendErrno, "simulated");
        }
        if (length > s.sndbuf) { // sosendcheck: a datagram longer than the send buffer
            throw new NativeError("sendto", 40, "Message too long");
        }
        byte[] icmp = Arrays.copyOf(data, length);
        InetAddress source = routeSource(destination);
        if (s.ipv6) {
            IcmpCodec.putShort(icmp, 2, 0);
            int pseudo = source == null ? 0 : IcmpCodec.pseudoHeaderSum(source, destination, length);
            IcmpCodec.putShort(icmp, 2, InternetChecksum.checksum(icmp, 0, length, pseudo));
        }
        wire.add(new Wire(s.ipv6, s.ttl, s.trafficClass, destination, icmp));
        if (!s.ipv6 && InternetChecksum.checksum(icmp, 0, length, 0) != 0) {
            return length; // a corrupt request: dropped on the way
        }
        network(s.ipv6, s.ttl, source == null ? destination : source, destination, icmp);
        return length;
    }

    /** A UDP datagram: the kernel writes the header and its checksum; the network answers with ICMP errors. */
    private int sendUdp(Sock s, byte[] payload, int length, @Nullable InetAddress destination, int port)
            throws NativeError {
        if (destination == null || s.port == 0) {
            throw new NativeError("sendto", X_EINVAL, "Invalid argument");
        }
        if (sendErrno != 0) {
            throw new NativeError("sendto", sendErrno, "simulated");
        }
        InetAddress source = s.boundAddress != null && !s.boundAddress.isAnyLocalAddress() ? s.boundAddress
                : routeSource(destination);
        byte[] udp = new byte[8 + length];
        IcmpCodec.putShort(udp, 0, s.port);
        IcmpCodec.putShort(udp, 2, port);
        IcmpCodec.putShort(udp, 4, udp.length);
        System.arraycopy(payload, 0, udp, 8, length);
        byte[] pseudo = new byte[s.ipv6 ? 40 : 12];
        byte[] sa = source.getAddress();
        byte[] da = destination.getAddress();
        System.arraycopy(sa, 0, pseudo, 0, sa.length);
        System.arraycopy(da, 0, pseudo, sa.length, da.length);
        if (s.ipv6) {
            IcmpCodec.putShort(pseudo, 34, udp.length);
            pseudo[39] = 17;
        } else {
            pseudo[9] = 17;
            IcmpCodec.putShort(pseudo, 10, udp.length);
        }
        int pseudoSum = ~InternetChecksum.checksum(pseudo, 0, pseudo.length, 0) & 0xffff;
        int checksum = InternetChecksum.checksum(udp, 0, udp.length, pseudoSum);
        IcmpCodec.putShort(udp, 6, checksum == 0 ? 0xffff : checksum);
        wire.add(new Wire(s.ipv6, s.ttl, s.trafficClass, destination, udp));
        List<@Nullable InetAddress> path = routes.get(destination);
        if (path == null) {
            if (!destination.isLoopbackAddress()) {
                return length;
            }
            path = List.of();
        }
        if (s.ttl <= path.size()) {
            InetAddress router = path.get(s.ttl - 1);
            if (router != null) {
                deliverError(s.ipv6, s.ipv6 ? IcmpEchoFormat.TIME_EXCEEDED_V6 : IcmpEchoFormat.TIME_EXCEEDED, 0, 17, router,
                        64 - s.ttl + 1, source, destination, udp);
            }
        } else {
            deliverError(s.ipv6, s.ipv6 ? IcmpEchoFormat.DEST_UNREACH_V6 : IcmpEchoFormat.DEST_UNREACH, s.ipv6 ? 4 : 3, 17,
                    destination, 64 - path.size(), source, destination, udp);
        }
        return length;
    }

    /** What the network answers to an echo request. */
    private void network(boolean ipv6, int ttl, InetAddress source, InetAddress destination, byte[] icmp) {
        List<@Nullable InetAddress> path = routes.get(destination);
        if (path == null) {
            if (!destination.isLoopbackAddress()) {
                return; // no such network here: silence
            }
            path = List.of();
        }
        if (ttl <= path.size()) {
            InetAddress router = path.get(ttl - 1);
            if (router != null) {
                deliverError(ipv6, ipv6 ? IcmpEchoFormat.TIME_EXCEEDED_V6 : IcmpEchoFormat.TIME_EXCEEDED, 0,
                        ipv6 ? X_IPPROTO_ICMPV6 : X_IPPROTO_ICMP, router, 64 - ttl + 1, source, destination, icmp);
            }
            return;
        }
        byte[] reply = icmp.clone();
        reply[0] = (byte) (ipv6 ? IcmpEchoFormat.ECHO_REPLY_V6 : IcmpEchoFormat.ECHO_REPLY);
        int hops = 64 - path.size();
        if (ipv6) {
            IcmpCodec.putShort(reply, 2, 0);
            IcmpCodec.putShort(reply, 2, InternetChecksum.checksum(reply, 0, reply.length,
                    IcmpCodec.pseudoHeaderSum(destination, source, reply.length)));
            deliver(true, reply, destination, hops);
        } else {
            IcmpCodec.putShort(reply, 2, 0);
            IcmpCodec.putShort(reply, 2, InternetChecksum.checksum(reply, 0, reply.length, 0));
            deliver(false, darwinIpv4(destination, source, hops, reply), destination, -1);
        }
    }

    private void deliverError(boolean ipv6, int type, int code, int protocol, InetAddress router, int hops,
            InetAddress source, InetAddress destination, byte[] probe) {
        int quoted = quoteOnly8 ? 8 : probe.length;
        if (ipv6) {
            byte[] m = new byte[8 + 40 + quoted];
            m[0] = (byte) type;
            m[1] = (byte) code;
            byte[] h = ipv6Header(source, destination, type == IcmpEchoFormat.TIME_EXCEEDED_V6 ? 1 : 64 - hops + 1,
                    probe.length);
            h[6] = (byte) protocol;
            System.arraycopy(h, 0, m, 8, 40);
            System.arraycopy(probe, 0, m, 48, quoted);
            IcmpCodec.putShort(m, 2, InternetChecksum.checksum(m, 0, m.length,
                    IcmpCodec.pseudoHeaderSum(router, source, m.length)));
            deliver(true, m, router, hops);
            return;
        }
        byte[] m = new byte[8 + 20 + quoted];
        m[0] = (byte) type;
        m[1] = (byte) code;
        byte[] q = ipv4Header(source, destination, type == IcmpEchoFormat.TIME_EXCEEDED ? 1 : 64 - hops + 1,
                20 + probe.length);
        q[9] = (byte) protocol;
        IcmpCodec.putShort(q, 10, 0);
        IcmpCodec.putShort(q, 10, InternetChecksum.checksum(q, 0, 20, 0));
        // BSD's icmp_input turns the quoted ip_len to host order before raw delivery
        int ipLen = 20 + probe.length;
        q[2] = (byte) ipLen;
        q[3] = (byte) (ipLen >>> 8);
        System.arraycopy(q, 0, m, 8, 20);
        System.arraycopy(probe, 0, m, 28, quoted);
        IcmpCodec.putShort(m, 2, InternetChecksum.checksum(m, 0, m.length, 0));
        deliver(false, darwinIpv4(router, source, hops, m), router, -1);
    }

    /** An IPv4 datagram as a Darwin raw socket reads it: ip_len in host order and without the header. */
    static byte[] darwinIpv4(InetAddress from, InetAddress to, int ttl, byte[] icmp) {
        byte[] h = ipv4Header(from, to, ttl, 20 + icmp.length);
        h[2] = (byte) icmp.length;
        h[3] = (byte) (icmp.length >>> 8);
        byte[] d = Arrays.copyOf(h, 20 + icmp.length);
        System.arraycopy(icmp, 0, d, 20, icmp.length);
        return d;
    }

    static byte[] ipv4Header(InetAddress from, InetAddress to, int ttl, int totalLength) {
        byte[] h = new byte[20];
        h[0] = 0x45;
        IcmpCodec.putShort(h, 2, totalLength);
        IcmpCodec.putShort(h, 4, 0x1234);
        h[8] = (byte) ttl;
        h[9] = (byte) X_IPPROTO_ICMP;
        System.arraycopy(from.getAddress(), 0, h, 12, 4);
        System.arraycopy(to.getAddress(), 0, h, 16, 4);
        IcmpCodec.putShort(h, 10, InternetChecksum.checksum(h, 0, 20, 0));
        return h;
    }

    static byte[] ipv6Header(InetAddress from, InetAddress to, int hopLimit, int payloadLength) {
        byte[] h = new byte[40];
        h[0] = 0x60;
        IcmpCodec.putShort(h, 4, payloadLength);
        h[6] = (byte) X_IPPROTO_ICMPV6;
        h[7] = (byte) hopLimit;
        System.arraycopy(from.getAddress(), 0, h, 8, 16);
        System.arraycopy(to.getAddress(), 0, h, 24, 16);
        return h;
    }

    /** A Darwin IPV6_HOPLIMIT control message: 12-byte cmsghdr (len 16, level 41, type 47), then the int. */
    static byte[] hopLimitCmsg(int hopLimit) {
        byte[] c = new byte[16];
        DarwinStructs.putIntLittle(c, 0, 16);
        DarwinStructs.putIntLittle(c, 4, X_IPPROTO_IPV6);
        DarwinStructs.putIntLittle(c, 8, X_IPV6_HOPLIMIT);
        DarwinStructs.putIntLittle(c, 12, hopLimit);
        return c;
    }

    @Override
    public boolean recvmsg(int fd, Received into) throws NativeError {
        Sock s = sock(fd, "recvmsg");
        Datagram d = s.queue.poll();
        if (d == null) {
            return false;
        }
        into.length = Math.min(d.data.length, into.data.length);
        System.arraycopy(d.data, 0, into.data, 0, into.length);
        into.nameLength = d.name.length;
        System.arraycopy(d.name, 0, into.name, 0, d.name.length);
        into.controlLength = d.control.length;
        System.arraycopy(d.control, 0, into.control, 0, d.control.length);
        into.flags = 0;
        return true;
    }

    @Override
    public void close(int fd) {
        Sock s = sockets.remove(fd);
        if (s != null) {
            s.watcher = null;
        }
    }

    @Override
    public @Nullable InetAddress routeSource(InetAddress destination) {
        try {
            if (destination instanceof Inet6Address) {
                if (destination.isLoopbackAddress()) {
                    return InetAddress.getByName("::1");
                }
                return routes.containsKey(destination) ? InetAddress.getByName("2001:db8::100") : null;
            }
            if (destination.isLoopbackAddress()) {
                return InetAddress.getByName("127.0.0.1");
            }
            return routes.containsKey(destination) ? InetAddress.getByName("198.18.0.100") : null;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private record Datagram(byte[] data, byte[] name, byte[] control) {}

    /** Who is told that a socket became readable. */
    private record Watcher(FakeLoop loop, Runnable onReadable) {}

    private static final class Sock {
        final boolean ipv6;
        final ConcurrentLinkedQueue<Datagram> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean posted = new AtomicBoolean();
        volatile int ttl = 64;
        volatile int trafficClass;
        volatile boolean recvHopLimit;
        volatile boolean udp;
        /** Darwin's default send buffer of an ICMP datagram socket. */
        volatile int sndbuf = 8192;
        volatile int port;
        volatile @Nullable InetAddress boundAddress;
        volatile @Nullable Watcher watcher;

        Sock(boolean ipv6) {
            this.ipv6 = ipv6;
        }

        void enqueue(byte[] data, @Nullable InetAddress from, int hopLimit) {
            byte[] name = from == null ? DarwinStructs.sockaddr(inet4Any(), 0) : DarwinStructs.sockaddr(from, 0);
            byte[] control = ipv6 && recvHopLimit && hopLimit >= 0 ? hopLimitCmsg(hopLimit) : new byte[0];
            queue.add(new Datagram(data.clone(), name, control));
            signal();
        }

        /** Level-triggered readiness: posts the callback while data is queued, once at a time. */
        void signal() {
            Watcher w = watcher;
            if (w == null || queue.isEmpty() || !posted.compareAndSet(false, true)) {
                return;
            }
            boolean accepted = w.loop.execute(() -> {
                posted.set(false);
                if (watcher == w) {
                    w.onReadable.run();
                    signal();
                }
            });
            if (!accepted) {
                posted.set(false);
            }
        }
    }

    private static InetAddress inet4Any() {
        try {
            return Inet4Address.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts watching {@code fd} for {@code loop}; returns the registration. */
    EventLoop.Registration watch(int fd, FakeLoop loop, Runnable onReadable) {
        Sock s = sockets.get(fd);
        if (s == null) {
            throw new IllegalArgumentException("no such descriptor " + fd);
        }
        Watcher w = new Watcher(loop, onReadable);
        s.watcher = w;
        s.signal();
        return () -> {
            if (s.watcher == w) {
                s.watcher = null;
            }
        };
    }

    /** A platform on this host. */
    public MacPlatform platform() {
        return new MacPlatform(this, name -> new FakeLoop(this, name));
    }

    /** A plain thread standing in for the kqueue loop. */
    static final class FakeLoop implements EventLoop {
        private final FakeDarwin host;
        private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile boolean shuttingDown;

        FakeLoop(FakeDarwin host, String name) {
            this.host = host;
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (true) {
                Runnable task;
                try {
                    task = shuttingDown ? tasks.poll() : tasks.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (task == null) {
                    if (shuttingDown) {
                        return;
                    }
                    continue;
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    t.printStackTrace();
                }
            }
        }

        @Override
        public Registration register(int fd, Runnable onReadable) {
            return host.watch(fd, this, onReadable);
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        @Override
        public boolean execute(Runnable task) {
            if (shuttingDown) {
                return false;
            }
            tasks.add(task);
            return true;
        }

        @Override
        public boolean shutdown() {
            shuttingDown = true;
            if (inLoop()) {
                return false;
            }
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return !thread.isAlive();
        }
    }
}
