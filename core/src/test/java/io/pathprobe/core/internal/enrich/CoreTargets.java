package io.pathprobe.core.internal.enrich;

import io.pathprobe.core.internal.ping.app.AppProbeLoop;
import io.pathprobe.core.internal.ping.app.DnsProbe;
import io.pathprobe.core.internal.ping.app.HttpProbe;
import io.pathprobe.core.internal.ping.app.ProbeOutcome;
import io.pathprobe.lab.fuzz.FuzzSupport;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * core's parsers of what the network hands over, as fuzz targets ({@link FuzzSupport.Target}):
 * STUN responses, DNS answers (our matching and interpretation of what dnsjava parsed, and what
 * the reverse-DNS and Team Cymru lookups take out of the records), the Cymru TXT text, and the ping
 * application probes' DNS answer and HTTP status line (the responsiveness configuration's parser went to
 * pathprobe-bufferbloat with the bufferbloat test: its NqConfigFuzzTest). Private classes are reached by reflection: the code under test is
 * the code that runs, not a copy. No socket is opened, nothing is sent.
 */
final class CoreTargets {
    static final byte[] TID = HexFormat.of().parseHex("000102030405060708090a0b");
    static final InetSocketAddress SERVER = new InetSocketAddress(address("198.18.0.53"), 53);
    static final int ID = 0x1234;
    static final Name PTR_NAME = dnsName("1.0.18.198.in-addr.arpa.");
    static final Name ORIGIN_NAME = dnsName("1.0.18.198.origin.asn.lab.");
    static final Name AS_NAME = dnsName("AS64500.asn.lab.");
    static final Name PROBE_NAME = dnsName("www.lab.");

    private CoreTargets() {}

    static List<FuzzSupport.Target> all() {
        return List.of(new Stun(), new Dns(), new CymruText(), new PingDns(), new PingHttp());
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("invariant broken: " + what);
        }
    }

    /** Calls a reflected method; what it throws is thrown as is. */
    static @Nullable Object call(Method m, @Nullable Object target, Object... args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception x) {
                throw x;
            }
            if (c instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }

    static Method method(Class<?> c, String name, Class<?>... types) {
        try {
            Method m = c.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    static java.lang.reflect.Field field(Class<?> c, String name) {
        try {
            java.lang.reflect.Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    static Class<?> nested(Class<?> outer, String simpleName) {
        for (Class<?> c : outer.getDeclaredClasses()) {
            if (c.getSimpleName().equals(simpleName)) {
                return c;
            }
        }
        throw new AssertionError(outer + " has no " + simpleName);
    }

    static Object construct(Class<?> c, Class<?>[] types, Object... args) {
        try {
            Constructor<?> k = c.getDeclaredConstructor(types);
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * StunMessages.read and StunClient's transaction (what it makes of each kind of response):
     * a mapped address, null (ignored), or a StunException, nothing else.
     */
    static final class Stun implements FuzzSupport.Target {
        private final Object transaction = construct(nested(StunClient.class, "Transaction"),
                new Class<?>[] {InetSocketAddress.class, byte[].class, long.class, long.class}, SERVER, TID,
                500_000_000L, 3_000_000_000L);
        private final Method answer = method(transaction.getClass(), "answer", ByteBuffer.class);

        @Override
        public String name() {
            return "stun";
        }

        @Override
        public List<byte[]> seeds() {
            HexFormat h = HexFormat.of();
            String header = "2112a442000102030405060708090a0b";
            return List.of(
                    h.parseHex("0101000c" + header + "002000080001a147e112a643"),
                    h.parseHex("0101000c" + header + "000100080001803201020304"),
                    h.parseHex("01010018" + header + "00200014000211112112a442000102030405060708090a0b"),
                    h.parseHex("01110010" + header + "0009000c00000401" + h.formatHex("Unauth!!".getBytes(
                            StandardCharsets.UTF_8))),
                    StunMessages.withFingerprint(h.parseHex("0101000c" + header + "002000080001a147e112a643")),
                    h.parseHex("0101001c" + header + "80220004" + "6c616221" + "002000080001a147e112a643"
                            + "000100080001803201020304"));
        }

        @Override
        public byte[] fixup(byte[] b) {
            if (b.length >= 20) {
                FuzzSupport.putShort(b, 2, b.length - 20);
                System.arraycopy(TID, 0, b, 8, 12);
            }
            return b;
        }

        @Override
        public String check(byte[] input) throws Exception {
            StunMessages.Response r;
            String label;
            try {
                r = StunMessages.read(ByteBuffer.wrap(input), TID);
                Objects.requireNonNull(r);
                label = r.getClass().getSimpleName();
                if (r instanceof StunMessages.Mapped m) {
                    require(m.address().getPort() >= 0 && m.address().getPort() <= 0xffff, "port");
                    Objects.requireNonNull(m.address().getAddress());
                } else if (r instanceof StunMessages.Error e) {
                    require(e.code() >= 300 && e.code() <= 699, "error code " + e.code()); // StunException.errorCode
                }
            } catch (StunException e) {
                require(e.kind() == StunException.Kind.MALFORMED, "read threw " + e.kind());
                label = "StunException";
            }
            // the transaction: Mapped or null; an error response or a malformed one as a StunException
            ByteBuffer datagram = ByteBuffer.wrap(input);
            try {
                Object a = call(answer, transaction, datagram);
                require(a == null || a instanceof StunMessages.Mapped, "answer " + a);
            } catch (StunException e) {
                require(e.kind() == StunException.Kind.MALFORMED || e.kind() == StunException.Kind.ERROR_RESPONSE,
                        "answer threw " + e.kind());
            }
            return label;
        }
    }

    /**
     * DNS answers as DnsClient takes them (its query's matching, then the interpretation into a
     * Result or a DnsException), and what ReverseDns and CymruAsnResolver take out of the records
     * (the PTR target; the TXT strings joined and parsed).
     */
    static final class Dns implements FuzzSupport.Target {
        private final Class<?> queryClass = nested(DnsClient.class, "Query");
        private final List<Object> queries = new ArrayList<>();
        private final List<Name> names = List.of(PTR_NAME, ORIGIN_NAME, AS_NAME);
        private final List<Integer> types = List.of(Type.PTR, Type.TXT, Type.TXT);
        private final Method answer = method(queryClass, "answer", ByteBuffer.class);
        private final DnsClient client = (DnsClient) construct(DnsClient.class,
                new Class<?>[] {DnsClient.Config.class, UdpExchanges.class}, DnsClient.Config.of(SERVER,
                        Duration.ofSeconds(1), 0), null);
        private final Method interpret = method(DnsClient.class, "interpret", Name.class, int.class, Message.class);
        private final Method joined = method(CymruAsnResolver.class, "joined", TXTRecord.class);

        Dns() {
            for (int i = 0; i < names.size(); i++) {
                queries.add(construct(queryClass, new Class<?>[] {InetSocketAddress.class, Name.class, int.class,
                        int.class, long.class, java.util.concurrent.atomic.AtomicLong.class}, SERVER, names.get(i),
                        types.get(i), ID, 1_000_000_000L, new java.util.concurrent.atomic.AtomicLong()));
            }
        }

        @Override
        public String name() {
            return "dns";
        }

        @Override
        public List<byte[]> seeds() {
            List<byte[]> seeds = new ArrayList<>();
            Message ptr = response(PTR_NAME, Type.PTR, Rcode.NOERROR);
            ptr.addRecord(new PTRRecord(PTR_NAME, DClass.IN, 300, dnsName("router-1.lab.")), Section.ANSWER);
            seeds.add(ptr.toWire());
            Message cname = response(PTR_NAME, Type.PTR, Rcode.NOERROR);
            cname.addRecord(new CNAMERecord(PTR_NAME, DClass.IN, 60, dnsName("1.0/25.0.18.198.in-addr.arpa.")),
                    Section.ANSWER);
            cname.addRecord(new PTRRecord(dnsName("1.0/25.0.18.198.in-addr.arpa."), DClass.IN, 30, dnsName("r.lab.")),
                    Section.ANSWER);
            seeds.add(cname.toWire());
            Message origin = response(ORIGIN_NAME, Type.TXT, Rcode.NOERROR);
            origin.addRecord(new TXTRecord(ORIGIN_NAME, DClass.IN, 3600, List.of("64500 64501 | 198.18.0.0/15 ",
                    "| ZZ | lab | 2024-01-01")), Section.ANSWER);
            origin.addRecord(new TXTRecord(ORIGIN_NAME, DClass.IN, 3600, "64502 | 198.18.0.0/24 | ZZ | lab | x"),
                    Section.ANSWER);
            seeds.add(origin.toWire());
            Message as = response(AS_NAME, Type.TXT, Rcode.NOERROR);
            as.addRecord(new TXTRecord(AS_NAME, DClass.IN, 3600, "64500 | ZZ | lab | 2024-01-01 | LAB-ISP, ZZ"),
                    Section.ANSWER);
            seeds.add(as.toWire());
            Message nx = response(PTR_NAME, Type.PTR, Rcode.NXDOMAIN);
            nx.addRecord(new SOARecord(dnsName("in-addr.arpa."), DClass.IN, 900, dnsName("ns.lab."), dnsName("h.lab."), 1, 2,
                    3, 4, 600), Section.AUTHORITY);
            seeds.add(nx.toWire());
            seeds.add(response(ORIGIN_NAME, Type.TXT, Rcode.SERVFAIL).toWire());
            Message tc = response(AS_NAME, Type.TXT, Rcode.NOERROR);
            tc.getHeader().setFlag(Flags.TC);
            seeds.add(tc.toWire());
            Message noQuestion = new Message(ID);
            noQuestion.getHeader().setFlag(Flags.QR);
            noQuestion.getHeader().setRcode(Rcode.FORMERR);
            seeds.add(noQuestion.toWire());
            return seeds;
        }

        @Override
        public byte[] fixup(byte[] b) {
            if (b.length >= 3) { // our id and the QR bit: past the matching, into dnsjava's parse and ours
                FuzzSupport.putShort(b, 0, ID);
                b[2] |= (byte) 0x80;
            }
            return b;
        }

        static Message response(Name name, int type, int rcode) {
            Message m = new Message(ID);
            m.getHeader().setFlag(Flags.QR);
            m.getHeader().setFlag(Flags.RD);
            m.getHeader().setFlag(Flags.RA);
            m.getHeader().setRcode(rcode);
            m.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
            return m;
        }

        @Override
        public String check(byte[] input) throws Exception {
            String label = "ignored";
            for (int i = 0; i < queries.size(); i++) {
                Object m = call(answer, queries.get(i), ByteBuffer.wrap(input));
                if (m == null) {
                    continue; // not the answer to this query: ignored
                }
                DnsClient.Result r;
                try {
                    r = (DnsClient.Result) call(interpret, client, names.get(i), types.get(i), m);
                } catch (DnsException e) {
                    require(e.kind() == DnsException.Kind.TRUNCATED || e.kind() == DnsException.Kind.SERVER_FAILURE,
                            "interpret threw " + e.kind());
                    label = "DnsException " + e.kind();
                    continue;
                }
                Objects.requireNonNull(r);
                label = r.found() ? "found " + Type.string(types.get(i)) : "not found";
                require(!r.ttl().isNegative(), "negative TTL " + r.ttl());
                for (Record rec : r.records()) {
                    require(rec.getType() == types.get(i), "a record of another type");
                    if (rec instanceof PTRRecord p) {
                        Objects.requireNonNull(p.getTarget().toString(true)); // ReverseDns.lookup
                    } else if (rec instanceof TXTRecord t) {
                        String text = (String) call(joined, null, t);
                        CymruText.parse(text);
                    }
                }
            }
            return label;
        }
    }

    /** CymruAsnResolver.parseOrigin / parseName on any text (as the TXT strings join to). */
    static final class CymruText implements FuzzSupport.Target {
        @Override
        public String name() {
            return "cymru-txt";
        }

        @Override
        public List<byte[]> seeds() {
            return List.of(bytes("64500 64501 | 192.0.2.0/24 | ZZ | TEST | 2024-01-01"),
                    bytes("64500 | ZZ | test | 2024-01-01 | LAB-ISP, ZZ"), bytes("AS4294967295 | 2001:db8::/32 | | |"),
                    bytes("64500 | 198.18.0.0/ 15 | ZZ | arin | 2024 | extra | fields"));
        }

        @Override
        public String check(byte[] input) {
            parse(new String(input, StandardCharsets.ISO_8859_1));
            return parse(new String(input, StandardCharsets.UTF_8));
        }

        static String parse(String text) {
            CymruAsnResolver.Origin o = CymruAsnResolver.parseOrigin(text);
            if (o != null) {
                require(o.asn() >= 1 && o.asn() <= 0xffff_ffffL, "ASN " + o.asn());
                o.info(java.util.Optional.empty());
            }
            CymruAsnResolver.AsName n = CymruAsnResolver.parseName(text);
            if (n != null) {
                Objects.requireNonNull(n.name());
            }
            return o == null ? "not a record" : n != null && n.name().isPresent() ? "origin, named" : "origin";
        }
    }

    /** What a ping application probe was handed. */
    static final class Outcomes implements io.pathprobe.core.internal.ping.app.ApplicationProbe.Callback {
        final List<ProbeOutcome> outcomes = new ArrayList<>();

        @Override
        public void completed(ProbeOutcome outcome) {
            outcomes.add(outcome);
        }

        /**
         * Requires at most one outcome: a MALFORMED failure, or a Reply whose code is within
         * {@code [minCode, maxCode]}; returns its kind, or {@code none} without one.
         */
        String checked(int minCode, int maxCode, String codeName, String none) {
            require(outcomes.size() <= 1, "outcomes " + outcomes);
            if (outcomes.isEmpty()) {
                return none;
            }
            ProbeOutcome o = outcomes.get(0);
            if (o instanceof ProbeOutcome.Failure f) {
                require(f.kind() == ProbeOutcome.FailureKind.MALFORMED, "failure " + f);
            } else {
                ProbeOutcome.Reply r = (ProbeOutcome.Reply) o;
                require(r.code() >= minCode && r.code() <= maxCode, codeName + r.code());
            }
            return o.getClass().getSimpleName();
        }
    }

    /** One loop for both ping targets: its thread idles; finish() is called on it directly. */
    private static @Nullable AppProbeLoop loop;

    static synchronized AppProbeLoop loop() {
        if (loop == null) {
            loop = new AppProbeLoop();
        }
        return loop;
    }

    /**
     * The ping DNS probe's handling of a datagram (DnsProbe's query: matching on id, QR and
     * question; dnsjava's parse): ignored, a Reply with the RCODE, or a MALFORMED failure.
     */
    static final class PingDns implements FuzzSupport.Target {
        private final DnsProbe probe = new DnsProbe(loop(), new DnsProbe.Config(SERVER, PROBE_NAME, Type.A,
                Duration.ofSeconds(1)));
        private final Class<?> queryClass = nested(DnsProbe.class, "Query");
        private final Method accept = method(queryClass, "accept", AppProbeLoop.class, ByteBuffer.class, long.class);
        private final Field id;

        PingDns() {
            try {
                id = queryClass.getDeclaredField("id");
                id.setAccessible(true);
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String name() {
            return "ping-dns";
        }

        @Override
        public byte[] fixup(byte[] b) {
            if (b.length >= 3) {
                FuzzSupport.putShort(b, 0, ID);
                b[2] |= (byte) 0x80;
            }
            return b;
        }

        @Override
        public List<byte[]> seeds() {
            List<byte[]> seeds = new ArrayList<>();
            Message a = Dns.response(PROBE_NAME, Type.A, Rcode.NOERROR);
            a.addRecord(new ARecord(PROBE_NAME, DClass.IN, 60, address("198.18.0.80")), Section.ANSWER);
            seeds.add(a.toWire());
            seeds.add(Dns.response(PROBE_NAME, Type.A, Rcode.NXDOMAIN).toWire());
            Message tc = Dns.response(PROBE_NAME, Type.A, Rcode.NOERROR);
            tc.getHeader().setFlag(Flags.TC);
            seeds.add(tc.toWire());
            Message noQuestion = new Message(ID);
            noQuestion.getHeader().setFlag(Flags.QR);
            noQuestion.getHeader().setRcode(Rcode.REFUSED);
            seeds.add(noQuestion.toWire());
            return seeds;
        }

        @Override
        public String check(byte[] input) throws Exception {
            Outcomes cb = new Outcomes();
            Object q = construct(queryClass, new Class<?>[] {DnsProbe.class, int.class,
                    io.pathprobe.core.internal.ping.app.ApplicationProbe.Callback.class}, probe, 7, cb);
            id.setInt(q, ID);
            call(accept, q, loop(), ByteBuffer.wrap(input), 1_000L);
            return cb.checked(0, 0xfff, "rcode ", "ignored");
        }
    }

    /**
     * The ping HTTP probe's reading of the response (HttpProbe's request: the status line, in one
     * to three reads): still waiting, a Reply with a status code 100..999, or a MALFORMED failure.
     */
    static final class PingHttp implements FuzzSupport.Target {
        private final HttpProbe probe = new HttpProbe(loop(), new HttpProbe.Config(URI.create("http://198.18.0.80/"),
                address("198.18.0.80"), Duration.ofSeconds(1), null));
        private final Class<?> requestClass = nested(HttpProbe.class, "Request");
        private final Method take = method(requestClass, "take", ByteBuffer.class, long.class);
        private final java.lang.reflect.Field loopField = field(requestClass, "loop");

        @Override
        public String name() {
            return "ping-http";
        }

        @Override
        public List<byte[]> seeds() {
            return List.of(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), bytes("HTTP/1.0 404 Not Found\n"),
                    bytes("HTTP/2 204\r\n"), bytes("SSH-2.0-OpenSSH_9.2\r\n"));
        }

        @Override
        public String check(byte[] input) throws Exception {
            Outcomes cb = new Outcomes();
            Object request = construct(requestClass, new Class<?>[] {HttpProbe.class, int.class,
                    io.pathprobe.core.internal.ping.app.ApplicationProbe.Callback.class}, probe, 7, cb);
            loopField.set(request, loop()); // what begin() sets, without opening a connection
            int cut1 = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
            int cut2 = input.length == 0 ? 0 : cut1 + (input[input.length - 1] & 0xff) % (input.length - cut1 + 1);
            for (int[] part : new int[][] {{0, cut1}, {cut1, cut2}, {cut2, input.length}}) {
                if (!cb.outcomes.isEmpty()) {
                    break;
                }
                call(take, request, ByteBuffer.wrap(input, part[0], part[1] - part[0]), 2_000L);
            }
            return cb.checked(100, 999, "status ", "waiting for more");
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(InetAddress.getByName(literal).getAddress()); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Name dnsName(String s) {
        try {
            return Name.fromString(s);
        } catch (org.xbill.DNS.TextParseException e) {
            throw new AssertionError(e);
        }
    }
}
