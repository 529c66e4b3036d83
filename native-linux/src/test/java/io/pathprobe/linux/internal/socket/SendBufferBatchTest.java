package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import com.kenai.jffi.LastError;
import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.spi.SendFailedException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SendBuffer#stage} and {@link SendBuffer#sendStaged} on loopback, through the real libc with its calls
 * watched: a batch hands the kernel, in one sendmmsg, the very messages (destination, control messages with the
 * TTL, packet) one sendmsg each would; a kernel that takes fewer than asked, or refuses one, leaves every other
 * message sent once, in order, and the refused one's failure as that message's outcome (data, as a single send
 * gives it).
 */
class SendBufferBatchTest {
    private static final int COUNT = 10;
    private static final int LENGTH = 32;
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final List<String> messages = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private DatagramSocket even;
    private DatagramSocket odd;
    private int fd;
    /** How many of the messages a sendmmsg call is given it passes on (the rest it leaves unsent). */
    private IntUnaryOperator mmsgCap = n -> n;
    /** The packet index (first byte) whose messages the fake kernel refuses with ENOBUFS; -1: none. */
    private int refused = -1;
    private boolean noSendmmsg;

    @BeforeEach
    void open() throws Exception {
        even = new DatagramSocket(0, loopback);
        odd = new DatagramSocket(0, loopback);
        even.setSoTimeout(2000);
        odd.setSoTimeout(2000);
        fd = Sockets.open(Abi.AF_INET, Abi.SOCK_DGRAM | Abi.SOCK_CLOEXEC, Abi.IPPROTO_UDP);
    }

    @AfterEach
    void close() {
        Sockets.closeQuietly(fd);
        even.close();
        odd.close();
    }

    @Test
    void aBatchHandsTheKernelTheMessagesOneSendEachWouldInOneCall() throws Exception {
        SendBuffer buffer = new SendBuffer(libc(), loopback, even.getLocalPort(), LENGTH);
        try {
            buffer.setTrafficClass(0x20);
            long before = buffer.now();
            for (int i = 0; i < COUNT; i++) {
                prepare(buffer, i);
                buffer.send(fd, 1 + i);
            }
            List<String> single = List.copyOf(messages);
            assertThat(calls).containsOnly("sendmsg").hasSize(COUNT);
            messages.clear();
            calls.clear();

            long[] sentAt = new long[COUNT];
            SendFailedException[] failures = new SendFailedException[COUNT];
            Arrays.fill(failures, new SendFailedException("left over", false));
            for (int i = 0; i < COUNT; i++) {
                prepare(buffer, i);
                buffer.stage(i, 1 + i);
            }
            buffer.sendStaged(fd, COUNT, sentAt, failures);

            assertThat(calls).as("one system call for the batch").containsExactly("sendmmsg");
            assertThat(messages).as("destination, control messages (TTL, traffic class) and packet of each, in order")
                    .containsExactlyElementsOf(single);
            assertThat(failures).containsOnlyNulls();
            assertThat(sentAt).as("one clock reading, right before the call").containsOnly(sentAt[0]);
            // a wall-clock time (CLOCK_REALTIME may step, so no tighter bound)
            assertThat(sentAt[0]).isBetween(before - 60_000_000_000L, buffer.now() + 60_000_000_000L);
            assertReceived(indices(2));
        } finally {
            buffer.free();
        }
    }

    @Test
    void aKernelThatTakesFewerThanAskedGetsTheRestInTheNextCall() throws Exception {
        mmsgCap = n -> Math.min(n, 3);
        SendBuffer buffer = new SendBuffer(libc(), loopback, even.getLocalPort(), LENGTH);
        try {
            long[] sentAt = new long[COUNT];
            SendFailedException[] failures = new SendFailedException[COUNT];
            assertThat(stageAndSend(buffer, sentAt, failures)).as("every message handled").isEqualTo(COUNT);

            assertThat(calls).as("3 + 3 + 3 + 1").containsExactly("sendmmsg", "sendmmsg", "sendmmsg", "sendmmsg");
            assertThat(failures).containsOnlyNulls();
            for (int i = 1; i < COUNT; i++) {
                assertThat(sentAt[i]).as("message %d's time: the reading before its own call", i)
                        .isEqualTo(sentAt[i - i % 3]).isPositive();
            }
            assertReceived(indices(1));
        } finally {
            buffer.free();
        }
    }

    @Test
    void aRefusedMessageIsItsOwnOutcomeAndTheOthersStillLeave() throws Exception {
        refused = 4;
        SendBuffer buffer = new SendBuffer(libc(), loopback, even.getLocalPort(), LENGTH);
        try {
            long[] sentAt = new long[COUNT];
            SendFailedException[] failures = new SendFailedException[COUNT];
            assertThat(stageAndSend(buffer, sentAt, failures)).as("every message handled").isEqualTo(COUNT);

            assertThat(calls).as("the batch up to the refused one, that one alone (as a single send), then the rest")
                    .containsExactly("sendmmsg", "sendmmsg", "sendmsg", "sendmmsg");
            for (int i = 0; i < COUNT; i++) {
                if (i == refused) {
                    assertThat(failures[i]).isNotNull();
                    assertThat(failures[i].getMessage()).contains("ENOBUFS");
                    assertThat(failures[i].permanent()).isFalse();
                    assertThat(failures[i].noRoute()).isFalse();
                } else {
                    assertThat(failures[i]).as("message %d", i).isNull();
                    assertThat(sentAt[i]).isPositive();
                }
            }
            List<Integer> expected = indices(1);
            expected.remove(Integer.valueOf(refused));
            assertReceived(expected);
        } finally {
            buffer.free();
        }
    }

    @Test
    void aKernelWithoutSendmmsgGetsOneCallAMessageForGood() throws Exception {
        noSendmmsg = true;
        SendBuffer buffer = new SendBuffer(libc(), loopback, even.getLocalPort(), LENGTH);
        try {
            long[] sentAt = new long[COUNT];
            SendFailedException[] failures = new SendFailedException[COUNT];
            for (int round = 0; round < 2; round++) {
                assertThat(stageAndSend(buffer, sentAt, failures)).isEqualTo(COUNT);
                assertThat(failures).containsOnlyNulls();
            }
            assertThat(calls.stream().filter("sendmmsg"::equals)).as("refused once, then never asked again")
                    .hasSize(1);
            assertThat(calls.stream().filter("sendmsg"::equals)).hasSize(2 * COUNT);
            assertReceived(indices(2));
        } finally {
            buffer.free();
        }
    }

    /** Stages the {@link #COUNT} packets at TTL 64 and sends them; how many were handled. */
    private int stageAndSend(SendBuffer buffer, long[] sentAt, SendFailedException[] failures) {
        for (int i = 0; i < COUNT; i++) {
            prepare(buffer, i);
            buffer.stage(i, 64);
        }
        return buffer.sendStaged(fd, COUNT, sentAt, failures);
    }

    /** Packet {@code i}: its index, then bytes of its own; to the even or the odd receiver. */
    private void prepare(SendBuffer buffer, int i) {
        for (int k = 0; k < LENGTH; k++) {
            buffer.packet().putByte(k, (byte) (k == 0 ? i : i * 31 + k));
        }
        buffer.setPort(i % 2 == 0 ? even.getLocalPort() : odd.getLocalPort());
    }

    /** Each receiver got its packets of {@code sent} (indices in the order sent), in order, each whole. */
    private void assertReceived(List<Integer> sent) throws Exception {
        List<Integer> gotEven = new ArrayList<>();
        List<Integer> gotOdd = new ArrayList<>();
        drain(even, gotEven);
        drain(odd, gotOdd);
        assertThat(gotEven).containsExactlyElementsOf(sent.stream().filter(i -> i % 2 == 0).toList());
        assertThat(gotOdd).containsExactlyElementsOf(sent.stream().filter(i -> i % 2 == 1).toList());
    }

    private static void drain(DatagramSocket socket, List<Integer> got) throws Exception {
        byte[] data = new byte[2 * LENGTH];
        socket.setSoTimeout(300);
        while (true) {
            DatagramPacket p = new DatagramPacket(data, data.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return;
            }
            assertThat(p.getLength()).isEqualTo(LENGTH);
            int index = data[0];
            for (int k = 1; k < LENGTH; k++) {
                assertThat(data[k]).as("packet %d byte %d", index, k).isEqualTo((byte) (index * 31 + k));
            }
            got.add(index);
        }
    }

    /** 0 to COUNT - 1, {@code times} over. */
    private static List<Integer> indices(int times) {
        List<Integer> all = new ArrayList<>();
        for (int t = 0; t < times; t++) {
            for (int i = 0; i < COUNT; i++) {
                all.add(i);
            }
        }
        return all;
    }

    /** A message as the kernel is handed it: destination, control messages, packet (hex). */
    private static String describe(long msghdr) {
        Pointer m = Pointer.wrap(msghdr);
        Pointer iov = Pointer.wrap(m.getAddress(Abi.MSG_IOV));
        return hex(m.getAddress(Abi.MSG_NAME), m.getInt(Abi.MSG_NAMELEN)) + " / "
                + hex(m.getAddress(Abi.MSG_CONTROL), (int) m.getLong(Abi.MSG_CONTROLLEN)) + " / iovlen "
                + m.getLong(Abi.MSG_IOVLEN) + " / " + hex(iov.getAddress(Abi.IOV_BASE), (int) iov.getLong(Abi.IOV_LEN));
    }

    private static String hex(long address, int length) {
        byte[] bytes = new byte[length];
        Pointer.wrap(address).get(0, bytes, 0, length);
        return HexFormat.of().formatHex(bytes);
    }

    private static int index(long msghdr) {
        Pointer m = Pointer.wrap(msghdr);
        return Pointer.wrap(Pointer.wrap(m.getAddress(Abi.MSG_IOV)).getAddress(Abi.IOV_BASE)).getByte(0);
    }

    /** The real libc, its sends watched: recorded, capped ({@link #mmsgCap}), refused ({@link #refused}). */
    private LibC libc() {
        LibC real = Posix.libc();
        return (LibC) Proxy.newProxyInstance(LibC.class.getClassLoader(), new Class<?>[] {LibC.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("sendmsg")) {
                        calls.add(name);
                        long m = ((Pointer) args[1]).address();
                        if (index(m) == refused) {
                            LastError.getInstance().set(Errno.ENOBUFS);
                            return -1L;
                        }
                        messages.add(describe(m));
                    } else if (name.equals("sendmmsg")) {
                        calls.add(name);
                        if (noSendmmsg) {
                            LastError.getInstance().set(Errno.ENOSYS);
                            return -1;
                        }
                        long base = ((Pointer) args[1]).address();
                        int count = mmsgCap.applyAsInt((Integer) args[2]);
                        for (int i = 0; i < count; i++) {
                            if (index(base + 64L * i) == refused) {
                                count = i; // the kernel stops at the message it refuses
                            }
                        }
                        if (count == 0) {
                            LastError.getInstance().set(Errno.ENOBUFS);
                            return -1;
                        }
                        args[2] = count;
                        int sent = (Integer) invoke(real, method, args);
                        for (int i = 0; i < sent; i++) {
                            messages.add(describe(base + 64L * i));
                        }
                        return sent;
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(LibC real, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
