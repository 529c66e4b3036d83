package io.pathprobe.windows.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Plays Windows' part behind {@link IcmpApi}, in Java: ICMP handles, events (manual- and
 * auto-reset, WaitForMultipleObjects returning the lowest signalled index), heap blocks with fake
 * addresses, and a simulated network ({@link Network}) whose answers are written into the request's
 * reply buffer as IcmpParseReplies leaves it ({@link ReplyBytes}), on a separate "network" thread,
 * before the request's event is signalled. Closing an ICMP handle cancels its outstanding requests
 * (their events are signalled; parsing them finds no reply, ERROR_OPERATION_ABORTED), as Windows
 * does when the last handle to a file object goes.
 *
 * <p>It also checks the transport's use of it: every misuse (an unknown or closed handle waited on,
 * a block used after it was freed, a reply parsed before its event was signalled, a double close) is
 * recorded in {@link #violations()}; {@link #openHandles()} and {@link #liveBlocks()} say what is
 * still open.
 */
public final class FakeIcmpApi implements IcmpApi {
    /** The fake network's thread: one for all fakes, so transports opened and closed in tests do not add threads. */
    private static final ScheduledExecutorService NETWORK = network();

    /** What the simulated network answers to one echo request. */
    interface Network {
        Answer answer(InetAddress destination, int ttl, byte[] data);
    }

    /**
     * @param sendError non-zero: the send call fails at once with this error (GetLastError)
     * @param status the reply's IP_STATUS (ignored when {@code silent})
     * @param from the replying address
     * @param replyTtl the reply's Options.Ttl (IPv4)
     * @param data the reply data (echo replies: the request's own)
     * @param delayMillis when the answer arrives
     * @param silent no answer: the request times out after its Timeout
     */
    record Answer(int sendError, int status, @Nullable InetAddress from, int replyTtl, byte @Nullable [] data,
            long delayMillis, boolean silent) {
        static Answer echo(InetAddress from, byte[] data) {
            return new Answer(0, IcmpStatus.IP_SUCCESS, from, 128, data, 0, false);
        }

        static Answer status(int status, InetAddress from) {
            return new Answer(0, status, from, 250, new byte[0], 0, false);
        }

        static Answer silence() {
            return new Answer(0, 0, null, 0, null, 0, true);
        }

        static Answer sendFails(int error) {
            return new Answer(error, 0, null, 0, null, 0, false);
        }

        Answer after(long millis) {
            return new Answer(sendError, status, from, replyTtl, data, millis, silent);
        }

        Answer withData(byte[] d) {
            return new Answer(sendError, status, from, replyTtl, d, delayMillis, silent);
        }
    }

    /** What the transport asked for, per request. */
    record Sent(boolean ipv6, InetAddress destination, int ttl, byte[] data, int timeoutMillis, int source) {}

    private final class Event {
        final boolean manualReset;
        boolean signalled;

        Event(boolean manualReset) {
            this.manualReset = manualReset;
        }
    }

    private final class Icmp {
        final boolean ipv6;
        final List<Request> outstanding = new ArrayList<>();

        Icmp(boolean ipv6) {
            this.ipv6 = ipv6;
        }
    }

    private final class Request {
        final long event;
        final Block block;
        final int replyOffset;
        final int replySize;
        boolean done;
        int replies;
        int error;

        Request(long event, Block block, int replyOffset, int replySize) {
            this.event = event;
            this.block = block;
            this.replyOffset = replyOffset;
            this.replySize = replySize;
        }
    }

    final class Block implements NativeBlock {
        final long address;
        final byte[] bytes;
        boolean freed;

        Block(long address, int size) {
            this.address = address;
            this.bytes = new byte[size];
        }

        @Override
        public long address() {
            return address;
        }

        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public void put(int offset, byte[] from, int fromOffset, int length) {
            synchronized (FakeIcmpApi.this) {
                check("put");
                System.arraycopy(from, fromOffset, bytes, offset, length);
            }
        }

        @Override
        public byte[] get(int offset, int length) {
            synchronized (FakeIcmpApi.this) {
                check("get");
                return Arrays.copyOfRange(bytes, offset, offset + length);
            }
        }

        private void check(String what) {
            if (freed) {
                violation(what + " on a freed block");
            }
        }

        @Override
        public void free() {
            synchronized (FakeIcmpApi.this) {
                if (freed) {
                    violation("block freed twice");
                }
                freed = true;
                blocks.remove(this);
            }
        }
    }

    private volatile Network network;
    private long nextHandle = 0x1000;
    private long nextAddress = 0x0000_01D0_0000_0000L;
    private final Map<Long, Event> events = new HashMap<>();
    private final Map<Long, Icmp> icmps = new HashMap<>();
    private final Map<Block, Request> requests = new HashMap<>();
    private final Set<Block> blocks = new HashSet<>();
    private final List<String> violations = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final Set<String> issuingThreads = new HashSet<>();
    private final ThreadLocal<Integer> lastError = ThreadLocal.withInitial(() -> 0);
    private volatile long lastSignalNanos;
    private long handlesOpened;
    private long handlesClosed;
    /** Simulate IcmpCreateFile failing. */
    volatile boolean icmpCreateFails;
    /** Simulate IcmpSendEcho2Ex completing synchronously (returning a reply count, not ERROR_IO_PENDING). */
    volatile boolean completeSynchronously;
    /** Simulate Wine's Icmp6CreateFile, a stub: INVALID_HANDLE_VALUE, ERROR_CALL_NOT_IMPLEMENTED. */
    volatile boolean icmp6CreateFails;
    /**
     * Simulate Wine's IcmpCloseHandle, which does not cancel the handle's outstanding requests: they
     * complete at their own Timeout (or answer), and their event must still be open then.
     */
    volatile boolean closeDoesNotCancel;

    FakeIcmpApi(Network network) {
        this.network = network;
    }

    /** Loopback answers echo replies; everything else stays silent. */
    public static FakeIcmpApi loopback() {
        return new FakeIcmpApi((destination, ttl, data) -> destination.isLoopbackAddress()
                ? Answer.echo(destination, data) : Answer.silence());
    }

    void network(Network n) {
        this.network = n;
    }

    private static ScheduledExecutorService network() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fake-windows-network");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        e.prestartAllCoreThreads();
        return e;
    }

    // ---- what tests look at

    /** Makes Icmp6CreateFile fail as Wine's stub does (for tests outside this package). */
    public void icmp6CreateFails(boolean fails) {
        icmp6CreateFails = fails;
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized Set<Long> openHandles() {
        Set<Long> open = new HashSet<>(events.keySet());
        open.addAll(icmps.keySet());
        return open;
    }

    public synchronized int liveBlocks() {
        return blocks.size();
    }

    synchronized long handlesOpened() {
        return handlesOpened;
    }

    synchronized long handlesClosed() {
        return handlesClosed;
    }

    /** When the last request completed (its event was signalled), System.nanoTime. */
    long lastSignalNanos() {
        return lastSignalNanos;
    }

    /** The names of the threads that called IcmpSendEcho2Ex / Icmp6SendEcho2. */
    synchronized Set<String> issuingThreads() {
        return Set.copyOf(issuingThreads);
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** {@code found}, or null after the violation "{@code what} of an unknown or closed handle". */
    private <T> @Nullable T known(@Nullable T found, String what, long handle) {
        if (found == null) {
            violation(what + " of an unknown or closed handle " + handle);
        }
        return found;
    }

    private void violation(String what) {
        violations.add(what + " (on " + Thread.currentThread().getName() + ")");
    }

    /** A new handle, for {@code entry} in {@code table}. */
    private <T> long newHandle(Map<Long, T> table, T entry) {
        handlesOpened++;
        nextHandle += 4;
        table.put(nextHandle, entry);
        return nextHandle;
    }

    // ---- IcmpApi

    @Override
    public synchronized long icmpCreateFile() {
        return createIcmp(false);
    }

    @Override
    public synchronized long icmp6CreateFile() {
        return createIcmp(true);
    }

    private long createIcmp(boolean ipv6) {
        if (ipv6 && icmp6CreateFails) {
            lastError.set(Win32.ERROR_CALL_NOT_IMPLEMENTED);
            return Win32.INVALID_HANDLE_VALUE;
        }
        if (icmpCreateFails) {
            lastError.set(Win32.ERROR_NOT_ENOUGH_MEMORY);
            return Win32.INVALID_HANDLE_VALUE;
        }
        return newHandle(icmps, new Icmp(ipv6));
    }

    @Override
    public synchronized boolean icmpCloseHandle(long handle) {
        Icmp icmp = known(icmps.remove(handle), "IcmpCloseHandle", handle);
        if (icmp == null) {
            lastError.set(6); // ERROR_INVALID_HANDLE
            return false;
        }
        handlesClosed++;
        if (closeDoesNotCancel) {
            return true; // Wine: the requests go on to their Timeout
        }
        for (Request r : icmp.outstanding) {
            complete(r, 0, Win32.ERROR_OPERATION_ABORTED); // cancelled
        }
        icmp.outstanding.clear();
        return true;
    }

    @Override
    public synchronized long createEvent(boolean manualReset) {
        return newHandle(events, new Event(manualReset));
    }

    @Override
    public synchronized boolean setEvent(long event) {
        Event e = known(events.get(event), "SetEvent", event);
        if (e == null) {
            return false;
        }
        e.signalled = true;
        notifyAll();
        return true;
    }

    @Override
    public synchronized boolean closeHandle(long handle) {
        if (known(events.remove(handle), "CloseHandle", handle) == null) {
            return false;
        }
        handlesClosed++;
        return true;
    }

    @Override
    public synchronized int waitForMultipleObjects(long[] handles, int count, int millis) {
        if (count < 1 || count > Win32.MAXIMUM_WAIT_OBJECTS) {
            violation("WaitForMultipleObjects with " + count + " handles");
            return Win32.WAIT_FAILED;
        }
        long deadline = millis == Win32.INFINITE ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000L;
        while (true) {
            for (int i = 0; i < count; i++) {
                Event e = events.get(handles[i]);
                if (e == null) {
                    violation("WaitForMultipleObjects on an unknown or closed handle " + handles[i]);
                    lastError.set(6);
                    return Win32.WAIT_FAILED;
                }
                if (e.signalled) {
                    if (!e.manualReset) {
                        e.signalled = false;
                    }
                    return Win32.WAIT_OBJECT_0 + i;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Win32.WAIT_TIMEOUT;
            }
            try {
                wait(Math.max(1, Math.min(left / 1_000_000, 60_000)));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return Win32.WAIT_FAILED;
            }
        }
    }

    @Override
    public synchronized int waitForSingleObject(long handle, int millis) {
        return waitForMultipleObjects(new long[] {handle}, 1, millis);
    }

    @Override
    public int icmpSendEcho2Ex(long icmp, long event, int source, int destination, NativeBlock block, int dataOffset,
            int dataSize, int optionsOffset, int replyOffset, int replySize, int timeoutMillis) {
        byte[] a = {(byte) destination, (byte) (destination >>> 8), (byte) (destination >>> 16), (byte) (destination >>> 24)};
        return send(false, icmp, event, source, address(a), (Block) block, dataOffset, dataSize, optionsOffset,
                replyOffset, replySize, timeoutMillis);
    }

    @Override
    public int icmp6SendEcho2(long icmp, long event, NativeBlock block, int sourceOffset, int destinationOffset,
            int dataOffset, int dataSize, int optionsOffset, int replyOffset, int replySize, int timeoutMillis) {
        Block b = (Block) block;
        InetAddress destination;
        synchronized (this) {
            // sockaddr_in6: family (LE u16, 23) at 0, address at 8
            int family = (b.bytes[destinationOffset] & 0xff) | (b.bytes[destinationOffset + 1] & 0xff) << 8;
            int sourceFamily = (b.bytes[sourceOffset] & 0xff) | (b.bytes[sourceOffset + 1] & 0xff) << 8;
            if (family != 23 || sourceFamily != 23) {
                violation("sockaddr_in6 with family " + family + "/" + sourceFamily + ", not AF_INET6 (23)");
            }
            destination = address(Arrays.copyOfRange(b.bytes, destinationOffset + 8, destinationOffset + 24));
        }
        return send(true, icmp, event, 0, destination, b, dataOffset, dataSize, optionsOffset, replyOffset, replySize,
                timeoutMillis);
    }

    private int send(boolean ipv6, long icmpHandle, long event, int source, InetAddress destination, Block block,
            int dataOffset, int dataSize, int optionsOffset, int replyOffset, int replySize, int timeoutMillis) {
        Request request;
        Answer answer;
        byte[] data;
        Icmp owner;
        synchronized (this) {
            Icmp icmp = icmps.get(icmpHandle);
            owner = icmp;
            if (icmp == null || icmp.ipv6 != ipv6) {
                violation("send on an unknown, closed or wrong-family ICMP handle " + icmpHandle);
                lastError.set(6);
                return 0;
            }
            if (!events.containsKey(event)) {
                violation("send with an unknown event " + event);
            }
            if (block.freed || replyOffset + replySize > block.bytes.length || dataOffset + dataSize > block.bytes.length) {
                violation("send with a bad block");
            }
            int ttl = block.bytes[optionsOffset] & 0xff; // IP_OPTION_INFORMATION.Ttl at 0
            for (int i = 1; i < 16; i++) {
                if (block.bytes[optionsOffset + i] != 0) {
                    violation("IP_OPTION_INFORMATION byte " + i + " is not 0");
                }
            }
            int minimum = (ipv6 ? 36 : 40) + dataSize + 8 + 16; // the documented minimum
            if (replySize < minimum) {
                violation("reply buffer of " + replySize + " bytes, below the documented " + minimum);
            }
            data = Arrays.copyOfRange(block.bytes, dataOffset, dataOffset + dataSize);
            issuingThreads.add(Thread.currentThread().getName());
            sent.add(new Sent(ipv6, destination, ttl, data, timeoutMillis, source));
            answer = network.answer(destination, ttl, data);
            if (answer.sendError() != 0) {
                lastError.set(answer.sendError());
                return 0;
            }
            request = new Request(event, block, replyOffset, replySize);
            requests.put(block, request);
            icmp.outstanding.add(request);
            if (completeSynchronously && !answer.silent()) {
                write(ipv6, request, answer);
                complete(request, 1, 0);
                icmp.outstanding.remove(request);
                lastError.set(0);
                return 1;
            }
        }
        long delay = answer.silent() ? timeoutMillis : answer.delayMillis();
        NETWORK.schedule(() -> {
            synchronized (FakeIcmpApi.this) {
                if (request.done) {
                    return; // cancelled meanwhile
                }
                owner.outstanding.remove(request);
                if (answer.silent()) {
                    complete(request, 0, IcmpStatus.IP_REQ_TIMED_OUT);
                } else {
                    write(ipv6, request, answer);
                    complete(request, 1, 0);
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
        lastError.set(Win32.ERROR_IO_PENDING);
        return 0;
    }

    /** Writes the answer into the request's reply buffer as IcmpParseReplies leaves it. */
    private void write(boolean ipv6, Request r, Answer answer) {
        if (r.block.freed) {
            violation("the network wrote into a freed reply buffer");
            return;
        }
        InetAddress from = answer.from();
        byte[] data = answer.data() == null ? new byte[0] : answer.data();
        byte[] reply;
        if (ipv6) {
            reply = ReplyBytes.v6(r.replySize, from.getAddress(), answer.status(), 1, data);
        } else {
            byte[] a = from.getAddress();
            int[] addr = {a[0] & 0xff, a[1] & 0xff, a[2] & 0xff, a[3] & 0xff};
            reply = ReplyBytes.v4(r.replySize, r.block.address + r.replyOffset, true, addr, answer.status(), 1, data,
                    answer.replyTtl());
        }
        System.arraycopy(reply, 0, r.block.bytes, r.replyOffset, r.replySize);
    }

    private void complete(Request r, int replies, int error) {
        lastSignalNanos = System.nanoTime();
        r.done = true;
        r.replies = replies;
        r.error = error;
        Event e = events.get(r.event);
        if (e == null) {
            violation("a request completed after its event was closed");
            return;
        }
        e.signalled = true;
        notifyAll();
    }

    @Override
    public int icmpParseReplies(NativeBlock block, int replyOffset, int replySize) {
        return parse(false, (Block) block);
    }

    @Override
    public int icmp6ParseReplies(NativeBlock block, int replyOffset, int replySize) {
        return parse(true, (Block) block);
    }

    private synchronized int parse(boolean ipv6, Block block) {
        Request r = requests.remove(block);
        if (r == null || block.freed) {
            violation("ParseReplies on a buffer of no request (or parsed twice, or freed)");
            lastError.set(Win32.ERROR_INVALID_PARAMETER);
            return 0;
        }
        if (!r.done) {
            violation("ParseReplies before the request completed");
        }
        if (r.replies == 0) {
            lastError.set(r.error);
            return 0;
        }
        return r.replies;
    }

    @Override
    public int lastError() {
        return lastError.get();
    }

    @Override
    public synchronized NativeBlock allocate(int size) {
        nextAddress += 0x10000;
        Block b = new Block(nextAddress, size);
        blocks.add(b);
        return b;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }
}
