package io.pathprobe.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.NodeId;
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

    /** An RFC 5837 / Node Identification payload: the sub-objects C-Type announces, in their order. */
    private static byte[] identity(int cType, int ifIndex, String address, String name, int mtu) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128);
        if ((cType & 0x08) != 0) {
            b.putInt(ifIndex);
        }
        if ((cType & 0x04) != 0) {
            byte[] a = java.net.InetAddress.getByName(address).getAddress();
            b.putShort((short) (a.length == 4 ? 1 : 2)).putShort((short) 0).put(a);
        }
        if ((cType & 0x02) != 0) {
            byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int length = (1 + n.length + 3) / 4 * 4;
            b.put((byte) length).put(n).put(new byte[length - 1 - n.length]);
        }
        if ((cType & 0x01) != 0) {
            b.putInt(mtu);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static java.util.Optional<java.net.InetAddress> ip(String a) throws Exception {
        return java.util.Optional.of(java.net.InetAddress.getByName(a));
    }

    @Test
    void readsEachRoleAndEachSubObjectOfAnInterfaceInformationObject() throws Exception {
        InterfaceInfo all = new IcmpExtension(2, 0x0f, identity(0x0f, 31, "198.18.0.1", "eth0", 1500))
                .interfaceInfo().orElseThrow();
        assertThat(all).isEqualTo(new InterfaceInfo(InterfaceInfo.Role.INCOMING, java.util.OptionalInt.of(31),
                ip("198.18.0.1"), java.util.Optional.of("eth0"), java.util.OptionalInt.of(1500)));
        assertThat(all).hasToString("INC:31,198.18.0.1,\"eth0\",mtu=1500");
        assertThat(new IcmpExtension(2, 0x40 | 0x02, identity(0x02, 0, "", "ge-0/0/1.0 \"x\"", 0)).interfaceInfo())
                .hasValueSatisfying(i -> assertThat(i).hasToString("SUB:\"ge-0/0/1.0%20%22x%22\""));
        assertThat(new IcmpExtension(2, 0x80 | 0x04, identity(0x04, 0, "2001:db8::1", "", 0)).interfaceInfo())
                .hasValueSatisfying(i -> assertThat(i).hasToString("OUT:2001:db8::1"));
        assertThat(new IcmpExtension(2, 0xc0 | 0x09, identity(0x09, -1, "", "", 9000)).interfaceInfo())
                .hasValueSatisfying(i -> assertThat(i).hasToString("NXT:4294967295,mtu=9000"));
        assertThat(new IcmpExtension(1, 0x0f, identity(0x0f, 31, "198.18.0.1", "eth0", 1500)).interfaceInfo())
                .as("an MPLS object is no interface").isEmpty();
    }

    @Test
    void readsANodeIdentificationObjectOfEitherFamilyWhateverTheIcmp() throws Exception {
        NodeId node = new IcmpExtension(5, 0x06, identity(0x06, 0, "2001:db8::7", "r7.lab", 0)).nodeId()
                .orElseThrow();
        assertThat(node).isEqualTo(new NodeId(ip("2001:db8::7"), java.util.Optional.of("r7.lab")));
        assertThat(node).hasToString("NODE:2001:db8::7,\"r7.lab\"");
        assertThat(new IcmpExtension(5, 0xf9, new byte[0]).nodeId()).as("unassigned bits ignored, nothing announced")
                .hasValue(new NodeId(java.util.Optional.empty(), java.util.Optional.empty()));
        assertThat(new IcmpExtension(2, 0x06, identity(0x06, 0, "2001:db8::7", "r7", 0)).nodeId()).isEmpty();
    }

    @Test
    void skipsMalformedObjectsWithoutAnException() throws Exception {
        byte[] name = identity(0x02, 0, "", "eth0", 0);
        name[0] = 3; // not a multiple of 4
        assertThat(new IcmpExtension(2, 0x02, name).interfaceInfo()).isEmpty();
        name[0] = 68; // over 64
        assertThat(new IcmpExtension(2, 0x02, name).interfaceInfo()).isEmpty();
        name[0] = 0;
        assertThat(new IcmpExtension(5, 0x02, name).nodeId()).isEmpty();
        byte[] afi = identity(0x04, 0, "198.18.0.1", "", 0);
        afi[1] = 3; // an unknown address family
        assertThat(new IcmpExtension(2, 0x04, afi).interfaceInfo()).isEmpty();
        byte[] all = identity(0x0f, 31, "2001:db8::1", "eth0", 1500);
        for (int cut = 0; cut < all.length; cut++) { // every truncation
            assertThat(new IcmpExtension(2, 0x0f, java.util.Arrays.copyOf(all, cut)).interfaceInfo()).isEmpty();
        }
    }

    @Test
    void findsSeveralInterfaceObjectsAndTheNodeBesideMplsInOneMessage() throws Exception {
        byte[] m = timeExceededWithMpls(true, true, entry(16004, 0, true, 1));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(m);
        for (byte[] object : List.of(object(2, 0x0a, identity(0x0a, 2, "", "veth-in", 0)),
                object(2, 0x80 | 0x0a, identity(0x0a, 3, "", "veth-out", 0)),
                object(5, 0x06, identity(0x06, 0, "198.18.9.2", "r2", 0)))) {
            out.write(object);
        }
        byte[] all = out.toByteArray();
        int ext = 8 + 128;
        all[ext + 2] = 0;
        all[ext + 3] = 0;
        int sum = 0;
        for (int i = ext; i < all.length; i += 2) {
            sum += ((all[i] & 0xff) << 8) | (i + 1 < all.length ? all[i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        all[ext + 2] = (byte) (~sum >> 8);
        all[ext + 3] = (byte) ~sum;
        List<IcmpExtension> ext4884 = IcmpExtension.parse(all, 0, all.length, true);
        assertThat(ext4884).hasSize(4);
        ProbeResponse r = new ProbeResponse(0, ResponseKind.TIME_EXCEEDED, 3, 0,
                java.net.InetAddress.getLoopbackAddress(), 0, 64, 1, 7, 0x1234, 0x1234, ext4884);
        assertThat(r.mplsLabels()).hasSize(1);
        assertThat(r.interfaces()).extracting(Object::toString).containsExactly("INC:2,\"veth-in\"",
                "OUT:3,\"veth-out\"");
        assertThat(r.nodeId()).hasValue(new NodeId(ip("198.18.9.2"), java.util.Optional.of("r2")));
        all[all.length - 1] ^= 1; // the checksum no longer holds: none of it is trusted
        assertThat(IcmpExtension.parse(all, 0, all.length, true)).isEmpty();
    }

    private static byte[] object(int classNumber, int cType, byte[] payload) {
        byte[] o = new byte[4 + payload.length];
        o[0] = (byte) (o.length >> 8);
        o[1] = (byte) o.length;
        o[2] = (byte) classNumber;
        o[3] = (byte) cType;
        System.arraycopy(payload, 0, o, 4, payload.length);
        return o;
    }
}
