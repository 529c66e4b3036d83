package io.pathprobe.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.probe.MplsLabel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4884 extension structures and RFC 4950 MPLS label stacks, on hand-built ICMP messages. */
class IcmpExtensionTest {

    /** A Time Exceeded whose 128-byte quote is followed by an extension structure with one MPLS object. */
    static byte[] timeExceededWithMpls(boolean ipv6, boolean goodChecksum, int... entries) {
        int quoted = 128;
        int objectLength = 4 + 4 * entries.length;
        byte[] m = new byte[8 + quoted + 4 + objectLength];
        m[0] = (byte) (ipv6 ? 3 : 11);
        if (ipv6) {
            m[4] = (byte) (quoted / 8);
        } else {
            m[5] = (byte) (quoted / 4);
        }
        int ext = 8 + quoted;
        m[ext] = 0x20; // version 2
        int o = ext + 4;
        m[o] = (byte) (objectLength >> 8);
        m[o + 1] = (byte) objectLength;
        m[o + 2] = 1; // class: MPLS label stack
        m[o + 3] = 1; // c-type: incoming
        for (int i = 0; i < entries.length; i++) {
            int at = o + 4 + 4 * i;
            m[at] = (byte) (entries[i] >>> 24);
            m[at + 1] = (byte) (entries[i] >>> 16);
            m[at + 2] = (byte) (entries[i] >>> 8);
            m[at + 3] = (byte) entries[i];
        }
        int sum = 0;
        for (int i = ext; i < m.length; i += 2) {
            sum += ((m[i] & 0xff) << 8) | (i + 1 < m.length ? m[i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int checksum = ~sum & 0xffff;
        if (!goodChecksum) {
            checksum ^= 0x0101;
        }
        m[ext + 2] = (byte) (checksum >> 8);
        m[ext + 3] = (byte) checksum;
        return m;
    }

    private static int entry(int label, int tc, boolean bottom, int ttl) {
        return (label << 12) | (tc << 9) | ((bottom ? 1 : 0) << 8) | ttl;
    }

    @Test
    void parsesAnMplsLabelStackForIpv4AndIpv6() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            byte[] m = timeExceededWithMpls(ipv6, true, entry(16004, 0, false, 1), entry(299792, 5, true, 254));
            List<IcmpExtension> ext = IcmpExtension.parse(m, 0, m.length, ipv6);
            assertThat(ext).hasSize(1);
            assertThat(ext.get(0).mplsLabels()).containsExactly(
                    new MplsLabel(16004, 0, false, 1), new MplsLabel(299792, 5, true, 254));
            ProbeResponse r = new ProbeResponse(0, ResponseKind.TIME_EXCEEDED, m[0], 0,
                    java.net.InetAddress.getLoopbackAddress(), 0, 64, 1, 7, 0x1234, 0x1234, ext);
            assertThat(r.mplsLabels()).hasSize(2);
        }
    }

    @Test
    void rejectsABadChecksumATruncatedObjectAndAMessageWithoutALengthField() {
        byte[] bad = timeExceededWithMpls(false, false, entry(1, 0, true, 1));
        assertThat(IcmpExtension.parse(bad, 0, bad.length, false)).isEmpty();
        byte[] good = timeExceededWithMpls(false, true, entry(1, 0, true, 1));
        assertThat(IcmpExtension.parse(good, 0, good.length - 2, false)).isEmpty();
        good[5] = 0;
        assertThat(IcmpExtension.parse(good, 0, good.length, false)).isEmpty();
        assertThat(IcmpExtension.parse(new byte[4], 0, 4, false)).isEmpty();
    }

    @Test
    void onlyMplsObjectsYieldLabels() {
        assertThat(new IcmpExtension(2, 1, new byte[8]).mplsLabels()).isEmpty();
        assertThat(new IcmpExtension(1, 1, new byte[] {0, 0, 0x11, 5}))
                .isEqualTo(new IcmpExtension(1, 1, new byte[] {0, 0, 0x11, 5}));
    }
}
