package io.pathprobe.macos.internal;

import static io.pathprobe.macos.internal.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Darwin's structures as the kernel reads and writes them (layouts in {@link DarwinStructs}). */
class DarwinStructsTest {

    @Test
    void sockaddrInHasTheLengthByteFirst() throws Exception {
        // struct sockaddr_in: sin_len 16, sin_family AF_INET 2, sin_port (network order), sin_addr, sin_zero[8]
        assertThat(DarwinStructs.sockaddr(InetAddress.getByName("198.18.0.9"), 33434))
                .isEqualTo(hex("10 02 | 82 9a | c6 12 00 09 | 00 00 00 00 00 00 00 00"));
    }

    @Test
    void sockaddrIn6HasTheLengthByteAndDarwinsAfInet6() throws Exception {
        // struct sockaddr_in6: sin6_len 28, sin6_family AF_INET6 30 (0x1e), port, flowinfo, addr[16], scope_id (host order)
        assertThat(DarwinStructs.sockaddr(InetAddress.getByName("2001:db8::9"), 0)).isEqualTo(hex(
                "1c 1e | 00 00 | 00 00 00 00 | 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 09 | 00 00 00 00"));
    }

    @Test
    void addressesAreReadBackWithTheirScope() throws Exception {
        byte[] linkLocal = hex("1c 1e 00 00 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01 | 04 00 00 00");
        InetAddress a = DarwinStructs.address(linkLocal, 28);
        assertThat(a).isInstanceOf(Inet6Address.class);
        assertThat(((Inet6Address) a).getScopeId()).isEqualTo(4);
        assertThat(DarwinStructs.address(hex("10 02 00 00 c6 12 00 01 00 00 00 00 00 00 00 00"), 16))
                .isEqualTo(InetAddress.getByName("198.18.0.1"));
    }

    @Test
    void aLinuxStyleSockaddrIsNotTakenForADarwinOne() {
        // Linux: u16 family (2) first, no length byte: byte 1 is 0, no Darwin family
        assertThat(DarwinStructs.address(hex("02 00 00 00 c6 12 00 01 00 00 00 00 00 00 00 00"), 16)).isNull();
        assertThat(DarwinStructs.address(hex("1c 1e 00"), 3)).as("truncated").isNull();
    }

    @Test
    void controlMessagesAreFourByteAlignedWithATwelveByteHeader() {
        // as recvmsg fills msg_control on Darwin: a cmsghdr is {u32 len, i32 level, i32 type} (12 bytes),
        // data at +12, the next header at __DARWIN_ALIGN32(len). First a 1-byte IP_RECVTTL message
        // (len 13, padded to 16), then IPV6_HOPLIMIT (level 41, type 47) with the int 57.
        byte[] control = hex("0d 00 00 00 | 00 00 00 00 | 18 00 00 00 | 40 00 00 00"
                + "10 00 00 00 | 29 00 00 00 | 2f 00 00 00 | 39 00 00 00");
        assertThat(DarwinStructs.control(control, 32).hopLimit()).isEqualTo(57);
        assertThat(DarwinStructs.control(control, 28).hopLimit()).as("second message truncated").isEqualTo(-1);
        assertThat(DarwinStructs.control(control, 0)).isEqualTo(DarwinStructs.Control.NONE);
        assertThat(DarwinStructs.cmsgSpace(4)).as("CMSG_SPACE(sizeof(int)): 16 on Darwin, 24 on Linux").isEqualTo(16);
    }

    @Test
    void msghdrIsFortyEightBytesOnLp64Darwin() {
        // void *name; socklen_t namelen; (pad) struct iovec *iov; int iovlen; (pad) void *control;
        // socklen_t controllen; int flags
        assertThat(new int[] {DarwinStructs.MSG_NAME, DarwinStructs.MSG_NAMELEN, DarwinStructs.MSG_IOV,
                DarwinStructs.MSG_IOVLEN, DarwinStructs.MSG_CONTROL, DarwinStructs.MSG_CONTROLLEN, DarwinStructs.MSG_FLAGS})
                .containsExactly(0, 8, 16, 24, 32, 40, 44);
        assertThat(DarwinStructs.MSGHDR_SIZE).isEqualTo(48);
    }
}
