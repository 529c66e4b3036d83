package io.pathprobe.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.linux.internal.libc.DirectLibC;
import io.pathprobe.linux.internal.libc.LibC;
import java.util.stream.Stream;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libc called through jffi directly ({@link DirectLibC}, the default) answers as jnr-ffi's generated binding
 * does (the {@code pathprobe.linux.binding=jnr} fallback): results, errno, strings, memory and a socket's
 * round trip over loopback.
 */
class DirectLibCTest {

    @BeforeAll
    static void linux() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux") && Posix.loadFailure() == null);
    }

    static Stream<LibC> bindings() {
        return Stream.of(new DirectLibC(), LibraryLoader.create(LibC.class).failImmediately().load("c"));
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
        Pointer p = Posix.wrap(block);
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

    @ParameterizedTest
    @MethodSource("bindings")
    void javaMemoryIsRefusedOrCopiedButNeverPassedAsAnAddress(LibC libc) {
        Pointer heap = Memory.allocate(Runtime.getSystemRuntime(), 16);
        if (libc instanceof DirectLibC) {
            assumeTrue(!heap.isDirect());
            assertThatThrownBy(() -> libc.clock_gettime(Abi.CLOCK_MONOTONIC, heap))
                    .isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(libc.clock_gettime(Abi.CLOCK_MONOTONIC, heap)).isZero();
        }
    }
}
