package io.pathprobe.bufferbloat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading the kernel's {@code TCP_CONGESTION} buffer, and what a server's header may name. */
class TcpCongestionTest {
    @Test
    void theNameEndsAtItsNul() {
        byte[] b = new byte[16];
        byte[] cubic = "cubic".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(cubic, 0, b, 0, cubic.length);
        assertThat(TcpCongestion.name(ByteBuffer.wrap(b))).contains("cubic");
        assertThat(TcpCongestion.name(ByteBuffer.wrap("bbr".getBytes(StandardCharsets.US_ASCII)))).contains("bbr");
    }

    @Test
    void anEmptyOrOddBufferNamesNothing() {
        assertThat(TcpCongestion.name(ByteBuffer.allocate(16))).isEmpty();
        assertThat(TcpCongestion.name(ByteBuffer.wrap(new byte[] {'B', 'B', 'R', 0}))).isEmpty();
        assertThat(TcpCongestion.name(ByteBuffer.wrap(new byte[] {'x', (byte) 0xff, 0}))).isEmpty();
    }

    @Test
    void aHeaderMayNameOnlyAPlainShortName() {
        assertThat(TcpCongestion.valid("bbr")).isTrue();
        assertThat(TcpCongestion.valid("highspeed")).isTrue();
        assertThat(TcpCongestion.valid("dctcp-2")).isTrue();
        assertThat(TcpCongestion.valid("")).isFalse();
        assertThat(TcpCongestion.valid("a-name-longer-than-16")).isFalse();
        assertThat(TcpCongestion.valid("bbr\r\nx: y")).isFalse();
        assertThat(TcpCongestion.valid("<script>")).isFalse();
    }
}
