package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import com.kenai.jffi.LastError;
import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.nativecommon.ReceiveCounters;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Datagrams on loopback read by {@link ReceiveBuffer#drain}: with recvmmsg, with one recvmsg a message (as asked by
 * {@value ReceiveBuffer#BATCH_PROPERTY}), and where the kernel refuses recvmmsg (ENOSYS, forced): every message is
 * handed over once, in the order it was queued, with its own length, sender and kernel timestamp, the same in all
 * three.
 */
class ReceiveBufferBatchTest {
    /** More than two batches, and not a multiple of one. */
    private static final int COUNT = 2 * ReceiveBuffer.SLOTS + 5;
    /** How long the sender sleeps between the two halves: their kernel timestamps are at least this far apart. */
    private static final long GAP_NANOS = 3_000_000;
    /** A socket asking for timestamps the whole time the class runs (see {@link #kernelStampsOnArrival}). */
    private static int keeper = -1;

    /**
     * The first socket to ask for timestamps makes the kernel turn them on for the whole system in deferred work
     * ({@code net_enable_timestamp}); until that work runs, a datagram is stamped when it is read, not when it is
     * queued, so the first half of a run could read later stamps than the second (CI saw steps of -2 to -4 ms on a
     * loaded machine). One socket keeps asking for the class's run, and a datagram read a gap after it was sent shows
     * that the stamps are taken on arrival before any test counts on it.
     */
    @BeforeAll
    static void kernelStampsOnArrival() throws Exception {
        keeper = Sockets.open(Abi.AF_INET, Abi.SOCK_DGRAM, Abi.IPPROTO_UDP);
        ReceiveBuffer buffer = new ReceiveBuffer(Posix.libc(), true);
        try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Sockets.setInt(keeper, Abi.SOL_SOCKET, Abi.SO_TIMESTAMPNS, 1, buffer.control(), "SO_TIMESTAMPNS");
            int port = Sockets.bind(keeper, InetAddress.getLoopbackAddress(), 0, buffer.control());
            long deadline = System.nanoTime() + 30_000_000_000L;
            long[] stamp = new long[1];
            long age;
            do {
                assertThat(System.nanoTime()).as("the kernel stamping datagrams on arrival within 30 s")
                        .isLessThan(deadline);
                sender.send(new DatagramPacket(new byte[1], 1, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(GAP_NANOS / 1_000_000);
                stamp[0] = 0;
                buffer.drain(keeper, 0, Integer.MAX_VALUE, (b, length) -> {
                    stamp[0] = b.timestampNanos();
                    return null;
                }, new ReceiveCounters(), e -> { });
                Instant read = Instant.now();
                age = read.getEpochSecond() * 1_000_000_000L + read.getNano() - stamp[0];
            } while (stamp[0] == 0 || age < GAP_NANOS);
        } finally {
            buffer.free();
        }
    }

    @AfterAll
    static void closeKeeper() {
        Sockets.closeQuietly(keeper);
    }

    @Test
    void recvmmsgHandsOverEveryMessageOnceInOrderWithItsOwnTimestamp() throws Exception {
        Calls calls = new Calls(false);
        List<Message> got = readAll(calls.libc(), true);
        assertDelivered(got);
        assertThat(calls.count("recvmmsg")).as("at most %d messages a call", ReceiveBuffer.SLOTS)
                .isBetween(COUNT / ReceiveBuffer.SLOTS + 1, COUNT / ReceiveBuffer.SLOTS + 2);
        assertThat(calls.count("recvmsg")).isZero();
    }

    @Test
    void oneMessageACallWhenAskedGivesTheSameResults() throws Exception {
        Calls calls = new Calls(false);
        List<Message> got = readAll(calls.libc(), false);
        assertDelivered(got);
        assertThat(calls.count("recvmmsg")).isZero();
        assertThat(calls.count("recvmsg")).as("one call a message, and the one that finds none").isEqualTo(COUNT + 1);
    }

    @Test
    void aKernelWithoutRecvmmsgFallsBackToOneMessageACallForGood() throws Exception {
        Calls calls = new Calls(true);
        List<Message> got = readAll(calls.libc(), true);
        assertDelivered(got);
        assertThat(calls.count("recvmmsg")).as("refused once, then never asked again").isEqualTo(1);
        assertThat(calls.count("recvmsg")).isEqualTo(COUNT + 1);
    }

    @Test
    void aDrainNestedInAHandlerFirstHandsOverTheBatchItIsNestedIn() throws Exception {
        int fd = Sockets.open(Abi.AF_INET, Abi.SOCK_DGRAM, Abi.IPPROTO_UDP);
        ReceiveBuffer buffer = new ReceiveBuffer(Posix.libc(), true);
        try {
            send(fd, buffer);
            List<String> got = new ArrayList<>();
            ReceiveCounters counters = new ReceiveCounters();
            ReceiveBuffer.Handler nested = (b, length) -> {
                got.add("nested " + (b.data().getByte(0) & 0xff));
                return null;
            };
            buffer.drain(fd, 0, Integer.MAX_VALUE, (b, length) -> {
                int index = b.data().getByte(0) & 0xff;
                got.add("outer " + index);
                if (index == 2) { // a listener asking for its pending answers on the I/O thread
                    b.drain(fd, 0, 5, nested, counters, e -> { });
                }
                return null;
            }, counters, e -> { });
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                boolean readByNested = i >= ReceiveBuffer.SLOTS && i < ReceiveBuffer.SLOTS + 5;
                expected.add((readByNested ? "nested " : "outer ") + i);
            }
            assertThat(got).as("every message once, in order, to the handler of the drain that read it")
                    .containsExactlyElementsOf(expected);
            assertThat(counters.snapshot().read()).isEqualTo(COUNT);
        } finally {
            Sockets.closeQuietly(fd);
            buffer.free();
        }
    }

    /** Every datagram once, in order, whole, from the sender, timestamped by the kernel when it was queued. */
    private static void assertDelivered(List<Message> got) {
        assertThat(got).extracting(Message::index).containsExactly(indices());
        for (Message m : got) {
            assertThat(m.length()).as("message %d's length", m.index()).isEqualTo(length(m.index()));
            assertThat(m.intact()).as("message %d's bytes", m.index()).isTrue();
            assertThat(m.port()).isEqualTo(got.get(0).port()).isPositive();
        }
        for (int i = 1; i < COUNT; i++) {
            long step = got.get(i).timestamp() - got.get(i - 1).timestamp();
            if (i == COUNT / 2) {
                assertThat(step).as("the kernel's time of each message, not the read's").isGreaterThanOrEqualTo(
                        GAP_NANOS);
            }
        }
        // not "each no earlier than the one before": the kernel stamps CLOCK_REALTIME, which may be stepped; a stamp
        // read from another slot or left unset is still caught, being far off
        Instant read = Instant.now();
        long now = read.getEpochSecond() * 1_000_000_000L + read.getNano();
        assertThat(got).extracting(Message::timestamp).as("each message's own time from the kernel, a wall-clock time")
                .allSatisfy(t -> assertThat(t).isBetween(now - 60_000_000_000L, now + 60_000_000_000L));
    }

    /** Sends {@link #COUNT} datagrams (a pause half way) to a fresh socket, then drains it with one buffer. */
    private static List<Message> readAll(LibC libc, boolean batched) throws Exception {
        int fd = Sockets.open(Abi.AF_INET, Abi.SOCK_DGRAM, Abi.IPPROTO_UDP);
        ReceiveBuffer buffer = new ReceiveBuffer(libc, batched);
        try {
            int senderPort = send(fd, buffer);
            List<Message> got = new ArrayList<>();
            ReceiveCounters counters = new ReceiveCounters();
            List<Throwable> failures = new ArrayList<>();
            int read = buffer.drain(fd, 0, Integer.MAX_VALUE, (b, length) -> {
                int index = b.data().getByte(0) & 0xff;
                boolean intact = true;
                for (int k = 0; k < length; k++) {
                    intact &= b.data().getByte(k) == (byte) (index + k);
                }
                got.add(new Message(index, length, intact, Sockets.readPort(b.name()), b.timestampNanos()));
                return null;
            }, counters, failures::add);
            assertThat(failures).isEmpty();
            assertThat(read).isEqualTo(COUNT);
            assertThat(counters.snapshot().delivered()).isEqualTo(COUNT);
            assertThat(got.get(0).port()).isEqualTo(senderPort);
            return got;
        } finally {
            Sockets.closeQuietly(fd);
            buffer.free();
        }
    }

    /**
     * Binds {@code fd} to loopback with SO_TIMESTAMPNS on and sends it {@link #COUNT} datagrams, a pause half way;
     * returns the sender's port.
     */
    private static int send(int fd, ReceiveBuffer buffer) throws Exception {
        try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Sockets.setInt(fd, Abi.SOL_SOCKET, Abi.SO_TIMESTAMPNS, 1, buffer.control(), "SO_TIMESTAMPNS");
            int port = Sockets.bind(fd, InetAddress.getLoopbackAddress(), 0, buffer.control());
            for (int i = 0; i < COUNT; i++) {
                if (i == COUNT / 2) {
                    Thread.sleep(GAP_NANOS / 1_000_000);
                }
                byte[] data = new byte[length(i)];
                for (int k = 0; k < data.length; k++) {
                    data[k] = (byte) (i + k);
                }
                sender.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
            }
            return sender.getLocalPort();
        }
    }

    /** Lengths from 1 byte to 9 KB (some past a page, one of them the last of a batch). */
    private static int length(int index) {
        return index % 7 == 3 ? 9_000 + index : 1 + index * 13;
    }

    private static Integer[] indices() {
        Integer[] all = new Integer[COUNT];
        for (int i = 0; i < COUNT; i++) {
            all[i] = i;
        }
        return all;
    }

    private record Message(int index, int length, boolean intact, int port, long timestamp) {}

    /** The real libc, its calls counted by name; {@code refuseBatches}: recvmmsg fails with ENOSYS. */
    private record Calls(Map<String, AtomicInteger> counts, boolean refuseBatches) {
        Calls(boolean refuseBatches) {
            this(new ConcurrentHashMap<>(), refuseBatches);
        }

        int count(String name) {
            AtomicInteger n = counts.get(name);
            return n == null ? 0 : n.get();
        }

        LibC libc() {
            LibC real = Posix.libc();
            return (LibC) Proxy.newProxyInstance(LibC.class.getClassLoader(), new Class<?>[] {LibC.class},
                    (proxy, method, args) -> {
                        counts.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                        if (refuseBatches && method.getName().equals("recvmmsg")) {
                            LastError.getInstance().set(Errno.ENOSYS);
                            return -1;
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
