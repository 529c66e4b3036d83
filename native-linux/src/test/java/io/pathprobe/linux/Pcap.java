package io.pathprobe.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IP packets of a pcap file written by {@code tcpdump -w} on an Ethernet (veth) interface, with
 * the header fields the raw-transport wire tests check. Test helper.
 */
final class Pcap {
    private Pcap() {}

    /**
     * One IPv4 or IPv6 packet.
     *
     * @param ip the packet from its IP header on
     * @param transport offset of the transport header in {@code ip}
     */
    record Packet(boolean ipv6, byte[] ip, int transport) {
        int protocol() {
            return ipv6 ? ip[6] & 0xff : ip[9] & 0xff;
        }

        int ttl() {
            return ipv6 ? ip[7] & 0xff : ip[8] & 0xff;
        }

        int ipId() {
            return u16(4);
        }

        boolean dontFragment() {
            return (u16(6) & 0x4000) != 0;
        }

        int flowLabel() {
            return ((ip[1] & 0x0f) << 16) | u16(2);
        }

        byte[] source() {
            return java.util.Arrays.copyOfRange(ip, ipv6 ? 8 : 12, ipv6 ? 24 : 16);
        }

        byte[] destination() {
            return java.util.Arrays.copyOfRange(ip, ipv6 ? 24 : 16, ipv6 ? 40 : 20);
        }

        int u16(int offset) {
            return ((ip[offset] & 0xff) << 8) | (ip[offset + 1] & 0xff);
        }

        long u32(int offset) {
            return ((long) u16(offset) << 16) | u16(offset + 2);
        }

        /** A 16-bit word of the transport header. */
        int t16(int offset) {
            return u16(transport + offset);
        }

        int transportLength() {
            return ip.length - transport;
        }

        /**
         * Whether the transport checksum verifies (pseudo-header included for UDP, TCP and ICMPv6;
         * ICMPv4 covers the message only).
         */
        boolean checksumValid() {
            int p = protocol();
            long sum = 0;
            if (p != 1) {
                byte[] s = source();
                byte[] d = destination();
                for (int i = 0; i < s.length; i += 2) {
                    sum += ((s[i] & 0xff) << 8 | (s[i + 1] & 0xff)) + ((d[i] & 0xff) << 8 | (d[i + 1] & 0xff));
                }
                sum += p + transportLength();
            }
            for (int i = transport; i < ip.length; i += 2) {
                sum += ((ip[i] & 0xff) << 8) | (i + 1 < ip.length ? ip[i + 1] & 0xff : 0);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            return sum == 0xffff;
        }
    }

    static List<Packet> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Packet> out = new ArrayList<>();
        if (b.remaining() < 24) {
            return out;
        }
        int magic = b.getInt(0);
        b.order(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int linkType = b.getInt(20);
        int at = 24;
        while (at + 16 <= b.limit()) {
            int captured = b.getInt(at + 8);
            int frame = at + 16;
            at = frame + captured;
            if (at > b.limit()) {
                break;
            }
            int ip = linkType == 1 ? frame + 14 : frame; // Ethernet, or raw IP
            if (linkType == 1) {
                int etherType = ((b.get(frame + 12) & 0xff) << 8) | (b.get(frame + 13) & 0xff);
                if (etherType != 0x0800 && etherType != 0x86dd) {
                    continue;
                }
            }
            byte[] bytes = new byte[at - ip];
            b.get(ip, bytes);
            if (bytes.length < 20) {
                continue;
            }
            int version = (bytes[0] & 0xff) >>> 4;
            if (version == 4) {
                int length = Math.min(bytes.length, ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff));
                out.add(new Packet(false, java.util.Arrays.copyOf(bytes, length), (bytes[0] & 0x0f) * 4));
            } else if (version == 6 && bytes.length >= 40) {
                int length = Math.min(bytes.length, 40 + (((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff)));
                out.add(new Packet(true, java.util.Arrays.copyOf(bytes, length), 40));
            }
        }
        return out;
    }
}
