package io.pathprobe.lab;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A DNS client just big enough for the lab's tests (dnsjava, which the project's parent pom manages,
 * is not in the offline Maven repository this module builds from): one question, recursion desired,
 * over UDP or TCP; the answer's rcode and its A, AAAA, PTR and TXT records.
 */
final class MiniDns {
    static final int A = 1;
    static final int PTR = 12;
    static final int TXT = 16;
    static final int AAAA = 28;
    static final int NOERROR = 0;
    static final int NXDOMAIN = 3;
    static final int REFUSED = 5;

    private MiniDns() {}

    /** One answer record: its type, TTL and data (an address for A/AAAA, a name for PTR). */
    record Record(String name, int type, long ttl, String data) {}

    /** An answer: its id matched, its rcode, whether authoritative, and its answer section. */
    record Answer(int rcode, boolean authoritative, List<Record> records) {}

    static Answer udp(InetSocketAddress server, String name, int type) throws IOException {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] query = query(id, name, type);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(3000);
            s.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return parse(ByteBuffer.wrap(buf, 0, p.getLength()), id);
        }
    }

    static Answer tcp(InetSocketAddress server, String name, int type) throws IOException {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] query = query(id, name, type);
        try (Socket s = new Socket()) {
            s.connect(server, 3000);
            s.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return parse(ByteBuffer.wrap(answer), id);
        }
    }

    /** {@code 1.0.19.198.in-addr.arpa} for 198.19.0.1, the nibble form under ip6.arpa for IPv6. */
    static String reverse(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder();
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xFF).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = b.length - 1; i >= 0; i--) {
            sb.append(Integer.toHexString(b[i] & 0xF)).append('.').append(Integer.toHexString((b[i] >> 4) & 0xF)).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    static byte[] query(int id, String name, int type) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0);
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0).putShort((short) type).putShort((short) 1);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static Answer parse(ByteBuffer b, int id) throws IOException {
        if ((b.getShort(0) & 0xFFFF) != id) {
            throw new IOException("answer id " + (b.getShort(0) & 0xFFFF) + ", query id " + id);
        }
        int flags = b.getShort(2) & 0xFFFF;
        int qd = b.getShort(4) & 0xFFFF;
        int an = b.getShort(6) & 0xFFFF;
        b.position(12);
        for (int i = 0; i < qd; i++) {
            name(b);
            b.position(b.position() + 4);
        }
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < an; i++) {
            String owner = name(b);
            int type = b.getShort() & 0xFFFF;
            b.getShort(); // class
            long ttl = b.getInt() & 0xFFFFFFFFL;
            int length = b.getShort() & 0xFFFF;
            int end = b.position() + length;
            String data;
            if (type == A || type == AAAA) {
                byte[] addr = new byte[length];
                b.get(addr);
                data = InetAddress.getByAddress(addr).getHostAddress();
            } else if (type == PTR) {
                data = name(b);
            } else if (type == TXT) {
                StringBuilder text = new StringBuilder(); // its character-strings, joined
                while (b.position() < end) {
                    byte[] part = new byte[b.get() & 0xFF];
                    b.get(part);
                    text.append(new String(part, java.nio.charset.StandardCharsets.US_ASCII));
                }
                data = text.toString();
            } else {
                data = "<type " + type + ">";
            }
            b.position(end);
            records.add(new Record(owner, type, ttl, data));
        }
        return new Answer(flags & 0xF, (flags & 0x0400) != 0, records);
    }

    private static String name(ByteBuffer b) {
        StringBuilder sb = new StringBuilder();
        int jumpBack = -1;
        for (int guard = 0; guard < 128; guard++) {
            int len = b.get() & 0xFF;
            if (len == 0) {
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                int target = ((len & 0x3F) << 8) | (b.get() & 0xFF);
                if (jumpBack < 0) {
                    jumpBack = b.position();
                }
                b.position(target);
                continue;
            }
            byte[] label = new byte[len];
            b.get(label);
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(label, StandardCharsets.US_ASCII));
        }
        if (jumpBack >= 0) {
            b.position(jumpBack);
        }
        return sb.toString();
    }
}
