package io.pathprobe.linux.internal.transport;

import io.pathprobe.lab.fuzz.FuzzSupport;
import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.codec.IcmpQuote;
import io.pathprobe.linux.internal.codec.InConnectionKey;
import io.pathprobe.linux.internal.codec.InConnectionProbes;
import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.codec.TcpProbes;
import io.pathprobe.linux.internal.codec.UdpProbes;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.ArrayPointer;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.IcmpExtension;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The native-linux packet parsers as fuzz targets ({@link FuzzSupport.Target}), each with valid
 * seeds built the way the peers build them, and the documented outcomes each may have.
 *
 * <p>Packets are handed to the parsers in heap memory of exactly the packet's length (an
 * {@link ArrayPointer}), not in the 64 KiB native receive buffer: a read
 * past the packet's end, which in the real buffer would silently read a previous packet's bytes,
 * throws here, and fails the target. That is the invariant "every offset a parser reads lies within
 * the bytes received".
 */
final class PacketTargets {
    static final int IDENTIFIER = 0x2b2b;
    static final long COOKIE = 0x5a5a1234abcd0001L;
    static final int LOCAL = 40000;
    static final int PORT = 33434;
    static final byte[] HOST = {(byte) 198, 18, 0, 1};
    static final byte[] ROUTER = {(byte) 198, 18, 0, 6};
    static final byte[] DESTINATION = {(byte) 198, 19, 0, 1};
    static final byte[] HOST6 = v6("2001:db8:1::1");
    static final byte[] ROUTER6 = v6("2001:db8:1::2");
    static final byte[] DESTINATION6 = v6("2001:db8:2::2");

    private PacketTargets() {}

    static List<FuzzSupport.Target> all() {
        return List.of(new Icmp4(), new Icmp6(), new Quote4(), new Quote6(), new TcpAnswer(), new Extensions(),
                new ControlMessages(), new InConnection());
    }

    /** {@code length} bytes of {@code b} as a pointer that cannot be read past them. */
    static Pointer bounded(byte[] b) {
        return new ArrayPointer(b);
    }

    /** A fuzz target named {@code name}. */
    abstract static class Target implements FuzzSupport.Target {
        private final String name;

        Target(String name) {
            this.name = name;
        }

        @Override
        public final String name() {
            return name;
        }
    }

    /** A target fed IPv4 packets, header included: {@link #fixIpv4} re-establishes a mutant's lengths and checksums. */
    abstract static class Ipv4Target extends Target {
        Ipv4Target(String name) {
            super(name);
        }

        @Override
        public final byte[] fixup(byte[] b) {
            return fixIpv4(b);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // sessions as the receive paths see them

    /** Records what it is handed; probe {@code sequence} was sent with flow {@code sequence & 0xff}. */
    static final class Echo extends RecordingEchoTarget {
        Echo(byte[] destination) {
            super(address(destination), IDENTIFIER, COOKIE);
        }

        @Override
        public int sentChecksum(int sequence) {
            return IcmpEchoFormat.flowChecksum(sequence & 0xff);
        }
    }

    static final class Port extends RecordingTarget implements RawPortTransport.PortTarget {
        final PortKey key;

        Port(PortKey key) {
            this.key = key;
        }

        @Override
        public PortKey key() {
            return key;
        }

        IntFunction<RawPortTransport.@Nullable PortTarget> byPort() {
            return p -> p - key.localFirst >= 0 && p - key.localFirst < key.localCount ? this : null;
        }
    }

    /** A UDP (FIXED, flow 0) or TCP (PER_PROBE over 32 ports) session with probes 0..99 sent. */
    static Port port(boolean tcp, boolean ipv6) {
        FlowPolicy policy = tcp ? FlowPolicy.PER_PROBE : FlowPolicy.FIXED;
        int count = tcp ? RawPortTransport.TCP_PORTS : 1;
        PortKey key = new PortKey(new Destination(address(ipv6 ? DESTINATION6 : DESTINATION)), policy, LOCAL, count,
                PORT, 0, 0xfffe, tcp ? RawPortTransport.TCP_PORTS - 1 : 65535 - PORT, COOKIE);
        Port port = port(key, tcp, ipv6);
        for (int s = 0; s < 100; s++) {
            key.markSent(s);
        }
        return port;
    }

    /** The session of {@code key} from HOST to DESTINATION(6), its base sum set as the transport sets it from a probe template. */
    static Port port(PortKey key, boolean tcp, boolean ipv6) {
        NativeMemory m = NativeMemory.allocate(64);
        try {
            byte[] src = ipv6 ? HOST6 : HOST;
            byte[] dst = ipv6 ? DESTINATION6 : DESTINATION;
            int length = tcp ? TcpProbes.LENGTH : UdpProbes.LENGTH;
            int pseudo = InternetChecksum.pseudoHeaderSum(src, dst, tcp ? 6 : 17, length);
            if (tcp) {
                TcpProbes.write(m.pointer(), 0, PORT);
                key.baseSum = TcpProbes.baseSum(m.pointer(), 0, pseudo);
            } else {
                UdpProbes.write(m.pointer(), 0, LOCAL, key.cookie);
                key.baseSum = UdpProbes.baseSum(m.pointer(), 0, pseudo);
            }
        } finally {
            m.free();
        }
        return new Port(key);
    }

    // ---------------------------------------------------------------------------------------------
    // what every delivered response must satisfy

    static void checkResponse(ProbeResponse r, int length) {
        Objects.requireNonNull(r.kind());
        Objects.requireNonNull(r.responder());
        require(r.sequence() >= 0 && r.sequence() <= 0xffff, "sequence " + r.sequence());
        require(r.replyTtl() == ProbeResponse.UNKNOWN || r.replyTtl() >= 0 && r.replyTtl() <= 255, "reply TTL");
        require(r.quotedTtl() == ProbeResponse.UNKNOWN || r.quotedTtl() >= 0 && r.quotedTtl() <= 255, "quoted TTL");
        require(r.quotedIpId() == ProbeResponse.UNKNOWN || r.quotedIpId() >= 0 && r.quotedIpId() <= 0xffff, "IP ID");
        require(r.quotedChecksum() == ProbeResponse.UNKNOWN || r.quotedChecksum() >= 0 && r.quotedChecksum() <= 0xffff,
                "quoted checksum");
        checkExtensions(r.extensions(), length);
        r.mplsLabels();
    }

    static void checkExtensions(List<IcmpExtension> extensions, int length) {
        int total = 0;
        for (IcmpExtension e : extensions) {
            require(e.classNumber() >= 0 && e.classNumber() <= 255 && e.classType() >= 0 && e.classType() <= 255,
                    "class " + e);
            total += 4 + e.payload().length;
            for (MplsLabel l : e.mplsLabels()) {
                require(l.label() >= 0 && l.label() < (1 << 20), "label " + l);
            }
            e.interfaceInfo().ifPresent(i -> {
                require(e.classNumber() == IcmpExtension.INTERFACE_INFORMATION_CLASS, "interface from " + e);
                require(i.name().map(n -> n.indexOf(0) < 0 && n.length() <= 63).orElse(true), "name " + i);
                require(i.toString().startsWith(i.role().tag() + ":"), "text " + i);
            });
            e.nodeId().ifPresent(n -> {
                require(e.classNumber() == IcmpExtension.NODE_IDENTIFICATION_CLASS, "node id from " + e);
                require(n.name().map(x -> x.indexOf(0) < 0 && x.length() <= 63).orElse(true), "name " + n);
                require(n.toString().startsWith("NODE:"), "text " + n);
            });
        }
        require(total <= length, "extension objects of " + total + " bytes in a message of " + length);
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("invariant broken: " + what);
        }
    }

    /** A drop reason or a delivery of exactly one response; nothing else. Returns which. */
    static String checkOutcome(@Nullable DropReason outcome, List<ProbeResponse> responses, int length) {
        String label;
        if (outcome == null) {
            require(responses.size() == 1, "delivered " + responses.size() + " responses");
            checkResponse(responses.get(0), length);
            label = "delivered " + responses.get(0).kind();
        } else {
            require(responses.isEmpty(), "dropped as " + outcome + " but delivered");
            label = outcome.name();
        }
        responses.clear();
        return label;
    }

    // ---------------------------------------------------------------------------------------------
    // targets

    /**
     * linux-tcp-in-connection's parsers (issue 26) on an IPv4 packet: as an ICMP error quoting a probe
     * ({@link InConnectionTransport#onQuote}), and as a segment from the destination (the SYN-ACK,
     * {@link InConnectionProbes#handshake}; a duplicate ACK, {@link InConnectionProbes#answered}).
     */
    static final class InConnection extends Ipv4Target {
        private final InConnectionKey key = new InConnectionKey(new Destination(address(DESTINATION)), HOST, LOCAL, PORT,
                0x10000001, 0x70000001, true, 0x01020304, 512, 1023, 0x4321);
        private final RecordingConnectionTarget target = new RecordingConnectionTarget(key);
        private final InetAddresses addresses = new InetAddresses();
        private final IcmpQuote quote = new IcmpQuote();
        private final byte[] scratch = new byte[64];
        private final byte[][] probes = new byte[8][];

        InConnection() {
            super("in-connection");
            for (int slot = 0; slot < probes.length; slot++) {
                probes[slot] = new byte[key.segmentLength];
                int c = InConnectionProbes.fill(probes[slot], key, slot, 0x70000001, 5000 + slot);
                key.recordSend(slot, 0x70000001, 5000 + slot, c);
            }
        }

        @Override
        public List<byte[]> seeds() {
            byte[] sack = new byte[44];
            FuzzSupport.putShort(sack, 0, PORT);
            FuzzSupport.putShort(sack, 2, LOCAL);
            FuzzSupport.putShort(sack, 8, 0x1000);
            FuzzSupport.putShort(sack, 10, 0x0001);
            sack[12] = (byte) 0xb0;
            sack[13] = 0x10;
            byte[] options = {1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 1, 1, 5, 10};
            System.arraycopy(options, 0, sack, 20, options.length);
            int left = InConnectionProbes.sequenceNumber(key, 3);
            FuzzSupport.putShort(sack, 36, left >>> 16);
            FuzzSupport.putShort(sack, 38, left);
            FuzzSupport.putShort(sack, 40, (left + 1) >>> 16);
            FuzzSupport.putShort(sack, 42, left + 1);
            byte[] synAck = new byte[40];
            FuzzSupport.putShort(synAck, 0, PORT);
            FuzzSupport.putShort(synAck, 2, LOCAL);
            synAck[12] = (byte) 0xa0;
            synAck[13] = 0x12;
            byte[] synOptions = {2, 4, 5, (byte) 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 3, 3, 7};
            System.arraycopy(synOptions, 0, synAck, 20, synOptions.length);
            return List.of(
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, PortKey.ipId(0x4321, 3), 6,
                            probes[3]))),
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpError(11, 0, Arrays.copyOf(ipv4(HOST, DESTINATION, 1,
                            PortKey.ipId(0x4321, 5), 6, probes[5]), 28))),
                    ipv4(DESTINATION, HOST, 60, 1, 6, sack),
                    ipv4(DESTINATION, HOST, 60, 1, 6, synAck));
        }

        @Override
        public String check(byte[] input) {
            Pointer d = bounded(input);
            String label;
            DropReason malformed = quote.parseV4(d, input.length);
            if (malformed != null) {
                require(malformed == DropReason.MALFORMED, "parseV4: " + malformed);
                label = "quote " + malformed.name();
            } else {
                DropReason outcome = InConnectionTransport.onQuote(quote, d, 42L, p -> p == LOCAL ? target : null,
                        addresses, scratch);
                label = "quote " + checkOutcome(outcome, target.responses, input.length);
            }
            int ihl = IcmpQuote.ipv4HeaderLength(d, 0, input.length);
            int tcp = ihl < 0 ? 0 : ihl;
            if (InConnectionProbes.handshake(d, tcp, input.length) != null) {
                label += ", a SYN-ACK";
            }
            int[] slots = new int[4];
            int n = InConnectionProbes.answered(d, tcp, input.length, key, new int[8], slots);
            require(n >= 0 && n <= 4, "answered " + n);
            for (int i = 0; i < n; i++) {
                require(slots[i] >= 0 && slots[i] <= key.maxSlot && key.sends(slots[i]) > 0, "slot " + slots[i]);
            }
            for (int slot = 0; slot < probes.length; slot++) { // answered again by the next input
                key.recordSend(slot, 0x70000001, 5000 + slot, key.checksum(slot));
            }
            return label + (n > 0 ? ", answers " + n : "");
        }
    }

    /** RawIcmpTransport.onPacket: an IPv4 packet (header included) carrying ICMP. */
    static final class Icmp4 extends Ipv4Target {
        private final Echo echo = new Echo(DESTINATION);
        private final IntFunction<RawIcmpTransport.@Nullable EchoTarget> byId = id -> id == IDENTIFIER ? echo : null;
        private final InetAddresses addresses = new InetAddresses();

        Icmp4() {
            super("icmp4");
        }

        @Override
        public List<byte[]> seeds() {
            byte[] request = echoRequest(false, 777, 777 & 0xff);
            byte[] reply = echoRequest(false, 5, 0);
            reply[0] = 0;
            return List.of(
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 0xabcd, 1, request))),
                    ipv4(DESTINATION, HOST, 61, 1, 1, icmpError(3, 3, ipv4(HOST, DESTINATION, 9, 7, 1, request))),
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpError(11, 0, Arrays.copyOf(ipv4(HOST, DESTINATION, 1, 2, 1,
                            request), 28))),
                    ipv4(ROUTER, HOST, 250, 1, 1, icmpErrorWithMpls(11, false, ipv4(HOST, DESTINATION, 1, 7, 1,
                            request))),
                    ipv4(DESTINATION, HOST, 36, 1, 1, reply));
        }

        @Override
        public String check(byte[] input) {
            DropReason outcome = RawIcmpTransport.onPacket(bounded(input), input.length, 42L, byId, addresses);
            return checkOutcome(outcome, echo.responses, input.length);
        }
    }

    /** RawIcmpTransport.onPacket6 (with IcmpQuote.parseV6): an ICMPv6 message from a sockaddr_in6. */
    static final class Icmp6 extends Target {
        private final Echo echo = new Echo(DESTINATION6);
        private final IntFunction<RawIcmpTransport.@Nullable EchoTarget> byId = id -> id == IDENTIFIER ? echo : null;
        private final InetAddresses addresses = new InetAddresses();
        private final IcmpQuote quote = new IcmpQuote();
        private final Pointer router = sockaddr(ROUTER6);
        private final Pointer destination = sockaddr(DESTINATION6);

        Icmp6() {
            super("icmp6");
        }

        @Override
        public List<byte[]> seeds() {
            byte[] request = echoRequest(true, 777, 777 & 0xff);
            byte[] reply = echoRequest(true, 5, 0);
            reply[0] = (byte) 129;
            return List.of(
                    icmpError(3, 0, ipv6(HOST6, DESTINATION6, 1, 58, 0x12345, request)),
                    icmpError(1, 4, ipv6(HOST6, DESTINATION6, 9, 58, 0x12345, request)),
                    icmpError(3, 0, Arrays.copyOf(ipv6(HOST6, DESTINATION6, 1, 58, 1, request), 48)),
                    icmpErrorWithMpls(3, true, ipv6(HOST6, DESTINATION6, 1, 58, 1, request)),
                    reply);
        }

        @Override
        public String check(byte[] input) {
            Pointer from = input.length > 0 && (input[input.length - 1] & 1) == 1 ? destination : router;
            DropReason outcome = RawIcmpTransport.onPacket6(bounded(input), input.length, from, 63, 42L, byId,
                    addresses, quote);
            return checkOutcome(outcome, echo.responses, input.length);
        }
    }

    /** IcmpQuote.parseV4 and RawPortTransport.onQuote (UdpProbes / TcpProbes.matchQuote). */
    static final class Quote4 extends Ipv4Target {
        private final Port udp = port(false, false);
        private final Port tcp = port(true, false);
        private final InetAddresses addresses = new InetAddresses();
        private final IcmpQuote quote = new IcmpQuote();

        Quote4() {
            super("quote4");
        }

        @Override
        public List<byte[]> seeds() {
            byte[] u = udpProbe(udp, 7, false);
            byte[] t = tcpProbe(tcp, 9, LOCAL + 9, false);
            return List.of(
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, PortKey.ipId(7), 17, u))),
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpError(3, 3, Arrays.copyOf(ipv4(HOST, DESTINATION, 1,
                            PortKey.ipId(7) + 1, 17, u), 28))),
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpErrorWithMpls(11, false, ipv4(HOST, DESTINATION, 1, 8, 17, u))),
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 3, 6, t))),
                    ipv4(ROUTER, HOST, 61, 1, 1, icmpErrorWithMpls(3, false, ipv4(HOST, DESTINATION, 1, 3, 6, t))));
        }

        @Override
        public String check(byte[] input) {
            Pointer d = bounded(input);
            DropReason malformed = quote.parseV4(d, input.length);
            if (malformed != null) {
                require(malformed == DropReason.MALFORMED, "parseV4: " + malformed);
                return malformed.name();
            }
            return quoted(quote, d, input.length, udp, tcp, addresses);
        }
    }

    /** IcmpQuote.parseV6 and RawPortTransport.onQuote for IPv6. */
    static final class Quote6 extends Target {
        private final Port udp = port(false, true);
        private final Port tcp = port(true, true);
        private final InetAddresses addresses = new InetAddresses();
        private final IcmpQuote quote = new IcmpQuote();
        private final Pointer router = sockaddr(ROUTER6);

        Quote6() {
            super("quote6");
        }

        @Override
        public List<byte[]> seeds() {
            byte[] u = udpProbe(udp, 7, true);
            byte[] t = tcpProbe(tcp, 9, LOCAL + 9, true);
            return List.of(
                    icmpError(3, 0, ipv6(HOST6, DESTINATION6, 1, 17, 5, u)),
                    icmpError(1, 4, ipv6(HOST6, DESTINATION6, 1, 17, 5, u)),
                    icmpErrorWithMpls(3, true, ipv6(HOST6, DESTINATION6, 1, 17, 5, u)),
                    icmpError(3, 0, ipv6(HOST6, DESTINATION6, 1, 6, 5, t)),
                    icmpError(1, 3, Arrays.copyOf(ipv6(HOST6, DESTINATION6, 1, 6, 5, t), 56)));
        }

        @Override
        public String check(byte[] input) {
            Pointer d = bounded(input);
            DropReason malformed = quote.parseV6(d, input.length, router, 0, 63);
            if (malformed != null) {
                require(malformed == DropReason.MALFORMED, "parseV6: " + malformed);
                return malformed.name();
            }
            return quoted(quote, d, input.length, udp, tcp, addresses);
        }
    }

    /** A parsed quote handed to the UDP session and to the TCP session: the outcome of the one it is for. */
    static String quoted(IcmpQuote q, Pointer d, int length, Port udp, Port tcp, InetAddresses addresses) {
        checkQuote(q, length);
        String label = null;
        for (Port p : List.of(udp, tcp)) {
            DropReason outcome = RawPortTransport.onQuote(q, d, 42L, p == tcp, p.byPort(), addresses);
            String l = checkOutcome(outcome, p.responses, length);
            if (label == null || outcome == null || q.protocol == (p == tcp ? Abi.IPPROTO_TCP : Abi.IPPROTO_UDP)) {
                label = (p == tcp ? "tcp " : "udp ") + l;
            }
        }
        return label;
    }

    /** A parsed quote's offsets lie within the message, and it has the 8 bytes every router quotes. */
    static void checkQuote(IcmpQuote q, int length) {
        require(q.icmp >= 0 && q.icmp + 8 <= length, "ICMP header at " + q.icmp + " of " + length);
        require(q.icmpLength == length - q.icmp, "ICMP length " + q.icmpLength);
        require(q.quote > q.icmp && q.quote < q.transport, "quote at " + q.quote);
        require(q.transport + q.available <= length, "transport " + q.transport + "+" + q.available + " > " + length);
        require(q.available >= 8, "available " + q.available);
    }

    /** RawPortTransport.onTcpAnswer: a SYN-ACK or RST (IPv4 with its header, or IPv6 without). */
    static final class TcpAnswer extends Target {
        private final Port tcp4 = port(true, false);
        private final Port tcp6 = port(true, true);
        private final Pointer destination6 = sockaddr(DESTINATION6);

        TcpAnswer() {
            super("tcp-answer");
        }

        @Override
        public List<byte[]> seeds() {
            List<byte[]> seeds = new ArrayList<>();
            for (int flags : new int[] {0x12, 0x14}) {
                for (int probe : new int[] {0, 9, 99}) {
                    byte[] segment = new byte[20];
                    FuzzSupport.putShort(segment, 0, PORT);
                    FuzzSupport.putShort(segment, 2, LOCAL + probe % RawPortTransport.TCP_PORTS);
                    int ack = TcpProbes.sequenceNumber(tcp4.key.tag(), probe) + 1;
                    FuzzSupport.putShort(segment, 8, ack >>> 16);
                    FuzzSupport.putShort(segment, 10, ack);
                    segment[12] = 0x50;
                    segment[13] = (byte) flags;
                    seeds.add(ipv4(DESTINATION, HOST, 60, 1, 6, segment));
                }
            }
            return seeds;
        }

        @Override
        public String check(byte[] input) {
            Pointer d = bounded(input);
            String label = "not IPv4";
            // IPv4, as onTcp4 reads it
            int ihl = IcmpQuote.ipv4HeaderLength(d, 0, input.length);
            if (ihl >= 0) {
                DropReason outcome = RawPortTransport.onTcpAnswer(d, ihl, input.length, Sockets.readBigEndianInt(d, 12),
                        null, d.getByte(8) & 0xff, 42L, tcp4.byPort());
                label = "v4 " + checkOutcome(outcome, tcp4.responses, input.length);
            }
            // IPv6, as onTcp6 reads it: the segment alone (the same bytes after the IPv4 header, with the tag of tcp6)
            byte[] segment = ihl >= 0 ? Arrays.copyOfRange(input, ihl, input.length) : input;
            if (segment.length >= 12) {
                int ack = TcpProbes.sequenceNumber(tcp6.key.tag(), FuzzSupport.getShort(segment, 10) - 1 & 0xffff) + 1;
                FuzzSupport.putShort(segment, 8, ack >>> 16);
            }
            DropReason outcome = RawPortTransport.onTcpAnswer(bounded(segment), 0, segment.length, 0, destination6, 63,
                    42L, tcp6.byPort());
            String v6 = checkOutcome(outcome, tcp6.responses, segment.length);
            return label + ", v6 " + v6;
        }
    }

    /** IcmpExtension.parse (RFC 4884 extension structure, RFC 4950 MPLS objects) and mplsLabels. */
    static final class Extensions extends Target {
        Extensions() {
            super("rfc4884");
        }

        @Override
        public List<byte[]> seeds() {
            byte[] request = echoRequest(false, 1, 0);
            byte[] quote = ipv4(HOST, DESTINATION, 1, 7, 1, request);
            byte[] quote6 = ipv6(HOST6, DESTINATION6, 1, 58, 1, request);
            return List.of(icmpErrorWithMpls(11, false, quote), icmpErrorWithMpls(3, true, quote6),
                    withExtension(icmpErrorWithMpls(11, false, quote), 2, 3, new byte[9]),
                    withExtension(icmpErrorWithMpls(11, false, quote), 2, 0x0f, interfaceObject(false)),
                    withExtension(icmpErrorWithMpls(3, true, quote6), 5, 0x06, interfaceObject(true)));
        }

        @Override
        public byte[] fixup(byte[] b) {
            // the extension checksum over what follows the 128-byte (IPv4: words * 4) quote
            if (b.length < 8) {
                return b;
            }
            for (boolean ipv6 : new boolean[] {false, true}) {
                int words = ipv6 ? b[4] & 0xff : b[5] & 0xff;
                int start = 8 + words * (ipv6 ? 8 : 4);
                if (words > 0 && start + 4 <= b.length) {
                    b[start + 2] = 0;
                    b[start + 3] = 0;
                    FuzzSupport.putShort(b, start + 2, checksum(b, start, b.length - start));
                    return b;
                }
            }
            return b;
        }

        @Override
        public String check(byte[] input) {
            int objects = 0;
            for (boolean ipv6 : new boolean[] {false, true}) {
                List<IcmpExtension> parsed = IcmpExtension.parse(input, 0, input.length, ipv6);
                objects += parsed.size();
                checkExtensions(parsed, input.length);
                // the same message inside a larger array: same objects
                byte[] padded = new byte[input.length + 7];
                System.arraycopy(input, 0, padded, 3, input.length);
                require(parsed.equals(IcmpExtension.parse(padded, 3, input.length, ipv6)), "offset changes the result");
                // and bounds that do not fit are no objects, not an exception
                require(IcmpExtension.parse(input, 1, input.length, ipv6).isEmpty(), "past the array");
                require(IcmpExtension.parse(input, -1, input.length, ipv6).isEmpty(), "negative offset");
            }
            return objects == 0 ? "no objects" : objects == 1 ? "1 object" : "2+ objects";
        }
    }

    /**
     * ReceiveBuffer.parseControl (cmsg: SCM_TIMESTAMPNS, IP_TTL / IPV6_HOPLIMIT, IP_RECVERR /
     * IPV6_RECVERR with sock_extended_err and offender) and what the sessions then read: the error
     * kind and the offender's address (InetAddresses.fromSockaddr). The control area is the
     * buffer's own native memory; bytes past the length recvmsg reports are filled with two
     * different patterns, and everything parsed must come out the same: nothing is read past it.
     */
    static final class ControlMessages extends Target {
        static final int CAPACITY = 512;
        private final ReceiveBuffer buffer = new ReceiveBuffer();
        private final InetAddresses addresses = new InetAddresses();

        ControlMessages() {
            super("cmsg");
        }

        @Override
        public List<byte[]> seeds() {
            List<byte[]> seeds = new ArrayList<>();
            seeds.add(control(false));
            seeds.add(control(true));
            byte[] ttlOnly = new byte[24];
            cmsg(ttlOnly, 0, Abi.SOL_IPV6, Abi.IPV6_HOPLIMIT, 4);
            ttlOnly[16] = 64;
            seeds.add(ttlOnly);
            return seeds;
        }

        @Override
        public byte[] fixup(byte[] b) {
            // cmsg_len fields: each says how far the next one is, as the kernel writes them
            int at = 0;
            while (at + Abi.CMSG_HDR <= b.length) {
                long len = ByteBuffer.wrap(b, at, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                if (len < Abi.CMSG_HDR || len > b.length - at) {
                    len = b.length - at;
                    ByteBuffer.wrap(b, at, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(len);
                }
                at += Abi.cmsgAlign((int) len);
            }
            return b;
        }

        @Override
        public String check(byte[] input) {
            int length = Math.min(input.length, CAPACITY);
            Result first = parse(input, length, (byte) 0);
            Result second = parse(input, length, (byte) 0xa5);
            require(first.equals(second), "bytes past the control length changed the result: " + first + " / " + second);
            return first.offender() != null ? "error with offender" : first.error() ? "error"
                    : first.ttl() != ProbeResponse.UNKNOWN ? "TTL only" : "nothing";
        }

        private Result parse(byte[] input, int length, byte fill) {
            Pointer c = buffer.control();
            c.setMemory(0, CAPACITY + 64, fill);
            c.put(0, input, 0, length);
            buffer.parseControl(length);
            int ttl = buffer.replyTtl();
            require(ttl == ProbeResponse.UNKNOWN || ttl >= 0 && ttl <= 255, "reply TTL " + ttl);
            ResponseKind v4 = buffer.icmpErrorKind(false);
            ResponseKind v6 = buffer.icmpErrorKind(true);
            InetAddress offender = null;
            int at = buffer.offenderOffset();
            if (buffer.hasError() && at >= 0) { // what SocketSession's error handler requires before onError
                require(at + 2 <= length, "offender at " + at + " of " + length);
                offender = addresses.fromSockaddr(c, at);
            }
            return new Result(ttl, buffer.hasError(), buffer.hasError() ? buffer.errorOrigin() : -1,
                    buffer.hasError() ? buffer.errorType() : -1, buffer.hasError() ? buffer.errorCode() : -1, at, v4,
                    v6, offender);
        }

        record Result(int ttl, boolean error, int origin, int type, int code, int offenderOffset,
                @Nullable ResponseKind v4, @Nullable ResponseKind v6, @Nullable InetAddress offender) {}

        /** SCM_TIMESTAMPNS, IP_TTL / IPV6_HOPLIMIT and IP(V6)_RECVERR with an offender, as the kernel writes them. */
        static byte[] control(boolean ipv6) {
            int sockaddr = ipv6 ? Abi.SOCKADDR_IN6_SIZE : Abi.SOCKADDR_IN_SIZE;
            byte[] b = new byte[Abi.cmsgSpace(16) + Abi.cmsgSpace(4) + Abi.cmsgSpace(Abi.EE_SIZE + sockaddr)];
            int at = cmsg(b, 0, Abi.SOL_SOCKET, Abi.SCM_TIMESTAMPNS, 16);
            ByteBuffer.wrap(b, at - 16, 16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1_700_000_000L)
                    .putLong(123_456_789L);
            int ttlAt = at;
            at = cmsg(b, at, ipv6 ? Abi.SOL_IPV6 : Abi.SOL_IP, ipv6 ? Abi.IPV6_HOPLIMIT : Abi.IP_TTL, 4);
            b[ttlAt + Abi.CMSG_HDR] = 62;
            int ee = at + Abi.CMSG_HDR;
            cmsg(b, at, ipv6 ? Abi.SOL_IPV6 : Abi.SOL_IP, ipv6 ? Abi.IPV6_RECVERR : Abi.IP_RECVERR,
                    Abi.EE_SIZE + sockaddr);
            b[ee] = 113;
            b[ee + Abi.EE_ORIGIN] = (byte) (ipv6 ? Abi.SO_EE_ORIGIN_ICMP6 : Abi.SO_EE_ORIGIN_ICMP);
            b[ee + Abi.EE_TYPE] = (byte) (ipv6 ? 3 : 11);
            int sa = ee + Abi.EE_SIZE;
            b[sa] = (byte) (ipv6 ? Abi.AF_INET6 : Abi.AF_INET);
            if (ipv6) {
                System.arraycopy(ROUTER6, 0, b, sa + Abi.SIN6_ADDR, 16);
            } else {
                System.arraycopy(ROUTER, 0, b, sa + Abi.SIN_ADDR, 4);
            }
            return b;
        }

        static int cmsg(byte[] b, int at, int level, int type, int dataLength) {
            ByteBuffer.wrap(b, at, Abi.CMSG_HDR).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(Abi.CMSG_HDR + dataLength).putInt(level).putInt(type);
            return at + Abi.cmsgSpace(dataLength);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // packets as the transports and routers build them

    static byte[] echoRequest(boolean ipv6, int sequence, int flow) {
        return echoRequest(ipv6, IDENTIFIER, COOKIE, sequence, flow);
    }

    /** An echo request as a session writes it, probe {@code sequence} on {@code flow}. */
    static byte[] echoRequest(boolean ipv6, int identifier, long cookie, int sequence, int flow) {
        NativeMemory m = NativeMemory.allocate(IcmpEchoFormat.LENGTH);
        try {
            IcmpEcho.writeRequest(m.pointer(), ipv6, identifier, cookie, true);
            IcmpEcho.setProbe(m.pointer(), IcmpEcho.baseSum(m.pointer()), sequence, flow, true);
            byte[] b = new byte[IcmpEchoFormat.LENGTH];
            m.pointer().get(0, b, 0, b.length);
            return b;
        } finally {
            m.free();
        }
    }

    static byte[] udpProbe(Port t, int sequence, boolean ipv6) {
        return udpProbe(t, sequence, PORT);
    }

    /** UDP probe {@code sequence} of {@code t}'s session to {@code destinationPort}, as the transport writes it. */
    static byte[] udpProbe(Port t, int sequence, int destinationPort) {
        NativeMemory m = NativeMemory.allocate(64);
        try {
            UdpProbes.write(m.pointer(), 0, LOCAL, t.key.cookie);
            UdpProbes.setProbe(m.pointer(), 0, t.key.baseSum, destinationPort, sequence);
            byte[] b = new byte[UdpProbes.LENGTH];
            m.pointer().get(0, b, 0, b.length);
            return b;
        } finally {
            m.free();
        }
    }

    static byte[] tcpProbe(Port t, int probe, int sourcePort, boolean ipv6) {
        NativeMemory m = NativeMemory.allocate(64);
        try {
            TcpProbes.write(m.pointer(), 0, PORT);
            TcpProbes.setProbe(m.pointer(), 0, t.key.baseSum, sourcePort, TcpProbes.sequenceNumber(t.key.tag(), probe));
            byte[] b = new byte[TcpProbes.LENGTH];
            m.pointer().get(0, b, 0, b.length);
            return b;
        } finally {
            m.free();
        }
    }

    static byte[] ipv4(byte[] source, byte[] destination, int ttl, int id, int protocol, byte[] payload) {
        byte[] b = new byte[20 + payload.length];
        b[0] = 0x45;
        FuzzSupport.putShort(b, 2, b.length);
        FuzzSupport.putShort(b, 4, id);
        b[6] = 0x40;
        b[8] = (byte) ttl;
        b[9] = (byte) protocol;
        System.arraycopy(source, 0, b, 12, 4);
        System.arraycopy(destination, 0, b, 16, 4);
        FuzzSupport.putShort(b, 10, checksum(b, 0, 20));
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    static byte[] ipv6(byte[] source, byte[] destination, int hopLimit, int nextHeader, int label, byte[] payload) {
        byte[] b = new byte[40 + payload.length];
        b[0] = 0x60;
        b[1] = (byte) ((label >>> 16) & 0x0f);
        FuzzSupport.putShort(b, 2, label);
        FuzzSupport.putShort(b, 4, payload.length);
        b[6] = (byte) nextHeader;
        b[7] = (byte) hopLimit;
        System.arraycopy(source, 0, b, 8, 16);
        System.arraycopy(destination, 0, b, 24, 16);
        System.arraycopy(payload, 0, b, 40, payload.length);
        return b;
    }

    static byte[] icmpError(int type, int code, byte[] quote) {
        byte[] b = new byte[8 + quote.length];
        b[0] = (byte) type;
        b[1] = (byte) code;
        System.arraycopy(quote, 0, b, 8, quote.length);
        FuzzSupport.putShort(b, 2, checksum(b, 0, b.length));
        return b;
    }

    /** An ICMP(v6) error with the RFC 4884 length, the quote padded to 128 bytes, and an MPLS label stack object. */
    static byte[] icmpErrorWithMpls(int type, boolean ipv6, byte[] quote) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[8];
        header[0] = (byte) type;
        header[ipv6 ? 4 : 5] = (byte) (ipv6 ? 128 / 8 : 128 / 4);
        out.writeBytes(header);
        out.writeBytes(Arrays.copyOf(quote, 128));
        int entry = (16004 << 12) | (5 << 9) | (1 << 8) | 1;
        byte[] extension = new byte[12];
        extension[0] = 0x20;
        FuzzSupport.putShort(extension, 4, 8);
        extension[6] = 1;
        extension[7] = 1;
        FuzzSupport.putShort(extension, 8, entry >>> 16);
        FuzzSupport.putShort(extension, 10, entry);
        FuzzSupport.putShort(extension, 2, checksum(extension, 0, extension.length));
        out.writeBytes(extension);
        return out.toByteArray();
    }

    /** {@code icmp} (an error with one extension structure at its end) with one more object appended. */
    /**
     * An RFC 5837 payload: ifIndex 7, an IPv4 or IPv6 address, the name "eth0" and MTU 1500 (class 2, C-Type 0x0f);
     * for the Node Identification object (class 5, C-Type 0x06) its address and name are read, the rest ignored.
     */
    static byte[] interfaceObject(boolean ipv6) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + (ipv6 ? 16 : 4) + 8 + 4);
        if (!ipv6) {
            b.putInt(7);
        }
        b.putShort((short) (ipv6 ? 2 : 1)).putShort((short) 0).put(ipv6 ? DESTINATION6 : DESTINATION);
        b.put((byte) 8).put("eth0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(new byte[3]);
        b.putInt(1500);
        return Arrays.copyOf(b.array(), b.position());
    }

    static byte[] withExtension(byte[] icmp, int classNumber, int classType, byte[] payload) {
        byte[] b = Arrays.copyOf(icmp, icmp.length + 4 + payload.length);
        FuzzSupport.putShort(b, icmp.length, 4 + payload.length);
        b[icmp.length + 2] = (byte) classNumber;
        b[icmp.length + 3] = (byte) classType;
        System.arraycopy(payload, 0, b, icmp.length + 4, payload.length);
        int start = 8 + 128;
        b[start + 2] = 0;
        b[start + 3] = 0;
        FuzzSupport.putShort(b, start + 2, checksum(b, start, b.length - start));
        return b;
    }

    /** The outer IPv4 header's total length and checksum made consistent with the bytes. */
    static byte[] fixIpv4(byte[] b) {
        if (b.length >= 20 && (b[0] & 0xf0) == 0x40) {
            FuzzSupport.putShort(b, 2, b.length);
            b[10] = 0;
            b[11] = 0;
            FuzzSupport.putShort(b, 10, checksum(b, 0, 20));
        }
        return b;
    }

    /** A sockaddr_in6 for {@code address}, as recvmsg writes msg_name. */
    static Pointer sockaddr(byte[] address) {
        byte[] b = new byte[Abi.SOCKADDR_IN6_SIZE];
        b[0] = (byte) Abi.AF_INET6;
        System.arraycopy(address, 0, b, Abi.SIN6_ADDR, 16);
        return bounded(b);
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes of {@code b} from {@code offset}: the value the field holds. */
    static int checksum(byte[] b, int offset, int length) {
        return InternetChecksum.checksum(b, offset, length, 0);
    }

    static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] v6(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
