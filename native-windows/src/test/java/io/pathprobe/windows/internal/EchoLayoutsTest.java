package io.pathprobe.windows.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The x64 layouts on reply buffers built byte by byte ({@link ReplyBytes}) and request bytes checked byte by byte. */
class EchoLayoutsTest {
    private static final long BUFFER = 0x0000_01D4_5A20_0F40L; // a heap address, as x64 Windows hands them out

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: nothing is resolved
    }

    private static byte[] payload(int n) {
        return EchoPayload.build(n, 0x1234, 0xCAFEBABE);
    }

    @Test
    void anEchoReplyAsIcmpParseRepliesLeavesIt() throws Exception {
        byte[] data = payload(32);
        byte[] buffer = ReplyBytes.v4(EchoLayouts.replyBufferSize(32, false), BUFFER, true, new int[] {198, 18, 3, 7},
                IcmpStatus.IP_SUCCESS, 3, data, 57);
        EchoLayouts.Reply r = EchoLayouts.decodeV4(buffer, 0, BUFFER);
        assertThat(r).isNotNull();
        assertThat(r.status()).isZero();
        assertThat(r.address()).isEqualTo(ip("198.18.3.7"));
        assertThat(r.roundTripMillis()).isEqualTo(3);
        assertThat(r.dataSize()).isEqualTo(32);
        assertThat(r.dataOffset()).as("Data points 40 bytes into the buffer, past the x64 structure").isEqualTo(40);
        assertThat(r.ttl()).as("Options.Ttl at byte 24").isEqualTo(57);
        assertThat(EchoPayload.echoes(data, buffer, r.dataOffset(), 32)).isTrue();
    }

    @Test
    void theDriversOffsetFormOfDataIsReadAsAnOffset() throws Exception {
        byte[] data = payload(8);
        byte[] buffer = ReplyBytes.v4(128, BUFFER, false, new int[] {198, 18, 0, 1}, 0, 0, data, 64);
        EchoLayouts.Reply r = EchoLayouts.decodeV4(buffer, 0, BUFFER);
        assertThat(r).isNotNull();
        assertThat(r.dataOffset()).isEqualTo(40);
    }

    @Test
    void aDataPointerOutsideTheBufferIsNotFollowed() {
        byte[] buffer = ReplyBytes.v4(128, BUFFER, true, new int[] {198, 18, 0, 1}, 0, 0, payload(8), 64);
        ReplyBytes.le64(buffer, 16, 0x7FFE_0000_1000L); // somewhere else entirely
        EchoLayouts.Reply r = EchoLayouts.decodeV4(buffer, 0, BUFFER);
        assertThat(r).isNotNull();
        assertThat(r.dataOffset()).isEqualTo(-1);
    }

    @Test
    void aTimeExceededNamesTheRouterInAddress() throws Exception {
        byte[] buffer = ReplyBytes.v4(EchoLayouts.replyBufferSize(32, false), BUFFER, true, new int[] {198, 18, 0, 254},
                11013, 1, new byte[0], 254);
        EchoLayouts.Reply r = EchoLayouts.decodeV4(buffer, 0, BUFFER);
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(IcmpStatus.IP_TTL_EXPIRED_TRANSIT).isEqualTo(11013);
        assertThat(r.address()).isEqualTo(ip("198.18.0.254"));
        assertThat(r.dataSize()).isZero();
        assertThat(r.ttl()).isEqualTo(254);
        IcmpStatus.Outcome o = IcmpStatus.outcome(r.status(), false);
        assertThat(o.kind()).isEqualTo(io.pathprobe.spi.ResponseKind.TIME_EXCEEDED);
        assertThat(o.icmpType()).isEqualTo(11);
        assertThat(o.icmpCode()).isZero();
    }

    @Test
    void aBufferShorterThanTheStructureIsRefused() {
        byte[] buffer = ReplyBytes.v4(64, BUFFER, true, new int[] {198, 18, 0, 1}, 0, 0, new byte[0], 1);
        assertThat(EchoLayouts.decodeV4(java.util.Arrays.copyOf(buffer, 39), 0, BUFFER)).isNull();
        assertThat(EchoLayouts.decodeV6(new byte[35], 0)).isNull();
    }

    @Test
    void anIcmpv6ReplyWithItsPackedAddressAndPadding() throws Exception {
        byte[] data = payload(32);
        byte[] buffer = ReplyBytes.v6(EchoLayouts.replyBufferSize(32, true), ip("2001:db8:0:3::7").getAddress(),
                IcmpStatus.IP_TTL_EXPIRED_TRANSIT, 2, data);
        EchoLayouts.Reply r = EchoLayouts.decodeV6(buffer, 0);
        assertThat(r).isNotNull();
        assertThat(r.address()).isEqualTo(ip("2001:db8:0:3::7"));
        assertThat(r.status()).as("Status at 28, after 26 packed address bytes and 2 of padding").isEqualTo(11013);
        assertThat(r.roundTripMillis()).isEqualTo(2);
        assertThat(r.dataOffset()).as("the data follows the 36-byte structure").isEqualTo(36);
        assertThat(r.dataSize()).isEqualTo(-1);
        assertThat(r.ttl()).isEqualTo(-1);
        assertThat(EchoPayload.echoes(data, buffer, 36, 32)).isTrue();
        IcmpStatus.Outcome o = IcmpStatus.outcome(r.status(), true);
        assertThat(o.icmpType()).isEqualTo(3);
    }

    @Test
    void ipOptionInformationCarriesTheTtlAndNothingElse() {
        byte[] b = new byte[20];
        java.util.Arrays.fill(b, (byte) 0x55);
        EchoLayouts.writeOptions(b, 2, 7);
        assertThat(b).containsExactly(0x55, 0x55, // untouched
                7, 0, 0, 0,          // Ttl, Tos, Flags, OptionsSize
                0, 0, 0, 0,          // padding
                0, 0, 0, 0, 0, 0, 0, 0, // OptionsData = NULL (8 bytes)
                0x55, 0x55);
    }

    @Test
    void sockaddrIn6UsesWindowsAfInet6() throws Exception {
        byte[] b = new byte[28];
        EchoLayouts.writeSockaddrIn6(b, 0, (Inet6Address) ip("2001:db8::9"));
        assertThat(b[0]).isEqualTo((byte) 23); // AF_INET6 on Windows, little-endian
        assertThat(b[1]).isZero();
        assertThat(java.util.Arrays.copyOfRange(b, 8, 24)).isEqualTo(ip("2001:db8::9").getAddress());
        byte[] any = new byte[28];
        EchoLayouts.writeSockaddrIn6(any, 0, null);
        assertThat(any[0]).isEqualTo((byte) 23);
        assertThat(java.util.Arrays.copyOfRange(any, 2, 28)).containsOnly(0);
    }

    @Test
    void ipAddrHoldsTheNetworkOrderBytesInMemory() throws Exception {
        assertThat(EchoLayouts.ipAddr((Inet4Address) ip("127.0.0.1"))).isEqualTo(0x0100007F);
        assertThat(EchoLayouts.ipAddr((Inet4Address) ip("198.18.0.1"))).isEqualTo(0x010012C6);
    }

    @Test
    void theReplyBufferHasTheDocumentedRoomAndAlignment() {
        for (int size : new int[] {0, 1, 32, 1472, 65500}) {
            assertThat(EchoLayouts.replyBufferSize(size, false)).isGreaterThanOrEqualTo(40 + size + 8 + 16)
                    .matches(n -> n % 8 == 0);
            assertThat(EchoLayouts.replyBufferSize(size, true)).isGreaterThanOrEqualTo(36 + size + 8 + 16)
                    .matches(n -> n % 8 == 0);
        }
    }

    @Test
    void thePayloadCarriesTheSequenceTheCookieAndThePattern() {
        byte[] p = EchoPayload.build(10, 0x0102, 0x0A0B0C0D);
        assertThat(p).containsExactly(1, 2, 0x0A, 0x0B, 0x0C, 0x0D, 6, 7, 8, 9);
        assertThat(EchoPayload.build(3, 0x0102, 0x0A0B0C0D)).containsExactly(1, 2, 0x0A);
        assertThat(EchoPayload.build(0, 1, 2)).isEmpty();
    }
}
