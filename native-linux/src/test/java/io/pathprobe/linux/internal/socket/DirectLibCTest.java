package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.linux.internal.libc.DirectLibC;
import io.pathprobe.linux.internal.libc.JnrBinding;
import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libc called through jffi directly ({@link DirectLibC}, the default) answers as jnr-ffi's generated binding
 * does (the {@code pathprobe.linux.binding=jnr} fallback): results, errno, strings, memory and a socket's
 * round trip over loopback; and {@link Pointer} reads and writes native memory as C lays it out.
 */
class DirectLibCTest {

    @BeforeAll
    static void linux() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux") && Posix.loadFailure() == null);
    }

    static Stream<LibC> bindings() {
        return Stream.of(new DirectLibC(), JnrBinding.load());
    }

    @ParameterizedTest
    @MethodSource("bindings")
    void errnoIsSavedPerCallAndStringsAreRead(LibC libc) {
        assertThat(libc.close(-1)).isEqualTo(-1);
        assertThat(Posix.errno()).isEqualTo(9); // EBADF
        assertThat(libc.strerror(9)).isEqualTo("Bad file descriptor");
        assertThat(libc.socket(12345, Abi.SOCK_DGRAM, 0)).isEqualTo(-1);
        assertThat(Posix.errno()).isEqualTo(97); // EAFNOSUPPORT
    }

    @ParameterizedTest
    @MethodSource("bindings")
    void aUdpDatagramGoesRoundLoopback(LibC libc) {
        long block = libc.calloc(1, 256);
        assertThat(block).isNotZero();
        Pointer p = Pointer.wrap(block);
        int fd = libc.socket(Abi.AF_INET, Abi.SOCK_DGRAM | Abi.SOCK_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        try {
            // sockaddr_in 127.0.0.1, port 0
            p.putShort(0, (short) Abi.AF_INET);
            p.putInt(4, 0x0100007f);
            assertThat(libc.bind(fd, p, 16)).isZero();
            p.putInt(16, 16);
            assertThat(libc.getsockname(fd, p, p.slice(16))).isZero();
            assertThat(Short.toUnsignedInt(p.getShort(2))).isNotZero(); // the port given
            assertThat(libc.connect(fd, p, 16)).isZero(); // to itself
            p.putLong(32, 0x2a2a2a2a2a2a2a2aL);
            assertThat(libc.write(fd, p.slice(32), 8)).isEqualTo(8);
            assertThat(libc.read(fd, p.slice(64), 8)).isEqualTo(8);
            assertThat(p.getLong(64)).isEqualTo(0x2a2a2a2a2a2a2a2aL);
            assertThat(libc.clock_gettime(Abi.CLOCK_MONOTONIC, p.slice(96))).isZero();
            assertThat(p.getLong(96) + p.getLong(104)).isPositive();
        } finally {
            assertThat(libc.close(fd)).isZero();
            libc.free(block);
        }
    }

    @Test
    void aPointerReadsAndWritesInTheMachinesByteOrder() {
        LibC libc = Posix.libc();
        long block = libc.calloc(1, 64);
        try {
            Pointer p = Pointer.wrap(block);
            p.putByte(0, (byte) 0x81);
            p.putShort(2, (short) 0x1234);
            p.putInt(4, 0xcafe_babe);
            p.putLong(8, 0x0102_0304_0506_0708L);
            p.putAddress(16, block);
            p.slice(24).put(0, new byte[] {9, 8, 7, 6, 5}, 1, 3);
            byte[] all = new byte[32];
            p.get(0, all, 0, 32);
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.nativeOrder());
            assertThat(b.get(0)).isEqualTo((byte) 0x81);
            assertThat(b.getShort(2)).isEqualTo((short) 0x1234);
            assertThat(b.getInt(4)).isEqualTo(0xcafe_babe);
            assertThat(b.getLong(8)).isEqualTo(0x0102_0304_0506_0708L);
            assertThat(b.getLong(16)).isEqualTo(block);
            assertThat(new byte[] {all[24], all[25], all[26], all[27]}).containsExactly(8, 7, 6, 0);
            assertThat(p.getByte(0)).isEqualTo((byte) 0x81);
            assertThat(p.slice(2).getShort(0)).isEqualTo((short) 0x1234);
            assertThat(p.getInt(4)).isEqualTo(0xcafe_babe);
            assertThat(p.slice(8).getLong(0)).isEqualTo(0x0102_0304_0506_0708L);
            assertThat(p.getAddress(16)).isEqualTo(block);
            assertThat(p.slice(24).address()).isEqualTo(block + 24);
            assertThat(p).hasToString("0x" + Long.toHexString(block));
            p.slice(32).transferFrom(0, p, 4, 12); // the int and the long, copied forward
            assertThat(p.getInt(32)).isEqualTo(0xcafe_babe);
            assertThat(p.getLong(36)).isEqualTo(0x0102_0304_0506_0708L);
            p.setMemory(33, 2, (byte) 0x5a); // the int's two middle bytes, in either byte order
            assertThat(p.getInt(32)).isEqualTo(0xca5a_5abe);
            assertThat(p.getInt(36)).isEqualTo(0x0506_0708);
        } finally {
            libc.free(block);
        }
    }

    @Test
    void theTestsArrayPointerRefusesEveryByteOutsideItsArray() { // what the packet fuzzing relies on
        Pointer p = new ArrayPointer(new byte[] {1, 2, 3, 4, 5, 6});
        assertThat(p.slice(2).getInt(0)).isEqualTo(ByteBuffer.wrap(new byte[] {3, 4, 5, 6})
                .order(ByteOrder.nativeOrder()).getInt());
        assertThatThrownBy(() -> p.getInt(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.slice(4).getShort(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.getByte(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.get(0, new byte[7], 0, 7)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(p::address).isInstanceOf(UnsupportedOperationException.class);
    }
}
