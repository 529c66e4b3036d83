package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.middlebox.QuotePreservingNat;
import io.pathprobe.lab.namespace.Exec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daemon's rewriting on crafted packets ({@code quotenat --translate}: hex in, hex out, no
 * sockets), for what a Linux router in the lab does not send: RFC 4884 extensions after the quote,
 * quotes about other hosts, truncated quotes, fragments, TTL 1. A lab test because it compiles the
 * daemon with gcc.
 */
@LabTest
class QuotePreservingNatTranslationTest {
    private static final byte[] ROUTER = {(byte) 198, 18, 0, 2};
    private static final byte[] PUBLIC = {(byte) 198, 18, 0, 1};
    private static final byte[] INSIDE = {(byte) 192, (byte) 168, 1, 2};
    private static final byte[] OTHER = {(byte) 198, 18, 0, 9};
    private static final byte[] TARGET = {(byte) 198, 18, 0, 6};

    @Test
    void rfc4884ExtensionsAfterTheQuoteAreKeptAndTheQuotedUdpChecksumIsNotTouched() {
        // the quoted datagram padded to 128 bytes (length field 32 words), then an extension structure
        byte[] probe = udp(PUBLIC, TARGET, 1, 40);
        byte[] quote = Arrays.copyOf(probe, 128);
        byte[] extension = {0x20, 0, 0, 0, 0, 8, 2, 1, 1, 2, 3, 4}; // version 2, checksum, one 8-byte object
        put16(extension, 2, Capture.checksum(extension, 0, extension.length));
        byte[] error = icmpError(ROUTER, PUBLIC, 64, 11, 0, 32, concat(quote, extension));

        byte[] out = translate(error).get(0);

        assertThat(out).hasSize(error.length);
        assertThat(Arrays.copyOfRange(out, 12, 16)).isEqualTo(ROUTER);
        assertThat(Arrays.copyOfRange(out, 16, 20)).isEqualTo(INSIDE);
        assertThat(out[8]).isEqualTo((byte) 63);
        assertThat(Capture.checksum(out, 0, 20)).isZero();
        assertThat(Capture.checksum(out, 20, out.length - 20)).isZero();
        assertThat(out[20 + 5]).as("RFC 4884 length").isEqualTo((byte) 32);
        int q = 28;
        assertThat(Arrays.copyOfRange(out, q + 12, q + 16)).isEqualTo(INSIDE);
        assertThat(Capture.checksum(out, q, 20)).isZero();
        // the quoted UDP header (its checksum, computed for PUBLIC), the padding and the extension: as they were
        assertThat(Arrays.copyOfRange(out, q + 20, out.length)).isEqualTo(Arrays.copyOfRange(error, q + 20, error.length));
        assertThat(Capture.checksum(out, q + 128, extension.length)).as("extension checksum").isZero();
    }

    @Test
    void onlyIcmpErrorsForThePublicAddressWithTtlLeftAreForwarded() {
        byte[] aboutOther = icmpError(ROUTER, PUBLIC, 64, 3, 1, 0, udp(OTHER, TARGET, 1, 8));
        byte[] truncated = icmpError(ROUTER, PUBLIC, 64, 11, 0, 0, Arrays.copyOf(udp(PUBLIC, TARGET, 1, 8), 20));
        byte[] lastTtl = icmpError(ROUTER, PUBLIC, 1, 11, 0, 0, udp(PUBLIC, TARGET, 1, 8));
        byte[] notForUs = icmpError(ROUTER, OTHER, 64, 11, 0, 0, udp(PUBLIC, TARGET, 1, 8));
        byte[] echoReply = icmpError(ROUTER, PUBLIC, 64, 0, 0, 0, new byte[20]);
        byte[] fragment = icmpError(ROUTER, PUBLIC, 64, 11, 0, 0, udp(PUBLIC, TARGET, 1, 8));
        fragment[6] = 0x20; // more fragments
        put16(fragment, 10, 0);
        put16(fragment, 10, Capture.checksum(fragment, 0, 20));

        List<byte[]> out = translate(aboutOther, truncated, lastTtl, notForUs, echoReply, fragment);

        // a quote about another source: only the outer header is translated
        assertThat(Arrays.copyOfRange(out.get(0), 16, 20)).isEqualTo(INSIDE);
        assertThat(Arrays.copyOfRange(out.get(0), 28, out.get(0).length))
                .isEqualTo(Arrays.copyOfRange(aboutOther, 28, aboutOther.length));
        assertThat(Capture.checksum(out.get(0), 20, out.get(0).length - 20)).isZero();
        // a quote of the IP header only
        assertThat(Arrays.copyOfRange(out.get(1), 40, 44)).isEqualTo(INSIDE);
        assertThat(Capture.checksum(out.get(1), 28, 20)).isZero();
        assertThat(Capture.checksum(out.get(1), 20, out.get(1).length - 20)).isZero();
        assertThat(out.subList(2, 6)).allSatisfy(p -> assertThat(p).isEmpty());
    }

    /** Runs the daemon's --translate mode; an empty array for a packet it drops. */
    private static List<byte[]> translate(byte[]... packets) {
        Path program = QuotePreservingNat.compiled();
        StringBuilder in = new StringBuilder();
        for (byte[] p : packets) {
            in.append(HexFormat.of().formatHex(p)).append('\n');
        }
        Exec.Result r = Exec.check("translating", List.of(program.toString(), "--translate", "192.168.1.2", "198.18.0.1"),
                "quotenat --translate", in.toString(), null, Duration.ofSeconds(30));
        return r.stdout().lines().map(l -> l.equals("drop") ? new byte[0] : HexFormat.of().parseHex(l)).toList();
    }

    private static byte[] udp(byte[] src, byte[] dst, int ttl, int payload) {
        byte[] p = new byte[28 + payload];
        ipHeader(p, src, dst, ttl, 17);
        put16(p, 20, 40000);
        put16(p, 22, 33434);
        put16(p, 24, 8 + payload);
        for (int i = 0; i < payload; i++) {
            p[28 + i] = (byte) (0x40 + i);
        }
        byte[] pseudo = new byte[12 + 8 + payload];
        System.arraycopy(src, 0, pseudo, 0, 4);
        System.arraycopy(dst, 0, pseudo, 4, 4);
        pseudo[9] = 17;
        put16(pseudo, 10, 8 + payload);
        System.arraycopy(p, 20, pseudo, 12, 8 + payload);
        put16(p, 26, Capture.checksum(pseudo, 0, pseudo.length));
        return p;
    }

    private static byte[] icmpError(byte[] src, byte[] dst, int ttl, int type, int code, int lengthWords, byte[] body) {
        byte[] p = new byte[28 + body.length];
        ipHeader(p, src, dst, ttl, 1);
        p[20] = (byte) type;
        p[21] = (byte) code;
        p[25] = (byte) lengthWords;
        System.arraycopy(body, 0, p, 28, body.length);
        put16(p, 22, Capture.checksum(p, 20, p.length - 20));
        return p;
    }

    private static void ipHeader(byte[] p, byte[] src, byte[] dst, int ttl, int protocol) {
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, 0x1234);
        p[8] = (byte) ttl;
        p[9] = (byte) protocol;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        put16(p, 10, Capture.checksum(p, 0, 20));
    }

    private static void put16(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >> 8);
        b[offset + 1] = (byte) value;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
