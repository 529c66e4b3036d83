package io.pathprobe.core.internal.enrich;

import io.pathprobe.core.internal.sim.UdpServerLoop;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * An in-process authoritative DNS server on 127.0.0.1 for the enrichment tests: a table of names to
 * behaviours (records with TTLs, NXDOMAIN with or without SOA, SERVFAIL, silence); unknown names are
 * NXDOMAIN with a SOA (minimum 30, TTL 60 → negative TTL 30). Counts queries per name.
 */
final class ZoneServer implements AutoCloseable {
    interface Rule {
        /** Fills {@code reply} (a copy of the query with QR set); returns false to stay silent. */
        boolean answer(Message query, Message reply);
    }

    static final Name ZONE = Name.fromConstantString("lab.example.");

    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    final AtomicInteger queries = new AtomicInteger();
    final Map<String, AtomicInteger> perName = new ConcurrentHashMap<>();

    ZoneServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::run, "test-zone-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    static String key(Name name, int type) {
        return name.toString().toLowerCase(Locale.ROOT) + "/" + Type.string(type);
    }

    int count(Name name, int type) {
        AtomicInteger n = perName.get(key(name, type));
        return n == null ? 0 : n.get();
    }

    /**
     * The count once it reaches {@code expected}, or what it is after 10 s (a liveness bound): a query to a
     * silent name is counted on the server's thread whenever it gets there, not before the client moves on.
     */
    int awaitCount(Name name, int type, int expected) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (count(name, type) < expected && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return count(name, type);
    }

    ZoneServer rule(Name name, int type, Rule r) {
        rules.put(key(name, type), r);
        return this;
    }

    ZoneServer ptr(Name reverse, String target, long ttl) {
        return rule(reverse, Type.PTR, (q, m) -> {
            m.addRecord(new PTRRecord(reverse, DClass.IN, ttl, Name.fromConstantString(target + ".")), Section.ANSWER);
            return true;
        });
    }

    ZoneServer txt(Name name, long ttl, String... texts) {
        return rule(name, Type.TXT, (q, m) -> {
            for (String t : texts) {
                m.addRecord(new TXTRecord(name, DClass.IN, ttl, t), Section.ANSWER);
            }
            return true;
        });
    }

    ZoneServer rcode(Name name, int type, int rcode) {
        return rule(name, type, (q, m) -> {
            m.getHeader().setRcode(rcode);
            return true;
        });
    }

    ZoneServer nxdomain(Name name, int type, long soaTtl, long soaMinimum) {
        return rule(name, type, (q, m) -> {
            m.getHeader().setRcode(Rcode.NXDOMAIN);
            m.addRecord(soa(soaTtl, soaMinimum), Section.AUTHORITY);
            return true;
        });
    }

    ZoneServer silent(Name name, int type) {
        return rule(name, type, (q, m) -> false);
    }

    static SOARecord soa(long ttl, long minimum) {
        return new SOARecord(ZONE, DClass.IN, ttl, Name.fromConstantString("ns.lab.example."),
                Name.fromConstantString("admin.lab.example."), 1, 3600, 600, 86400, minimum);
    }

    private void run() {
        UdpServerLoop.serve(socket, 65_535, queries, this::answer);
    }

    /** Answers one query by the rules (NXDOMAIN for a name without one); a malformed one is passed over. */
    private void answer(byte[] query, SocketAddress from) throws IOException {
        try {
            Message q = new Message(query);
            Record question = q.getQuestion();
            String k = key(question.getName(), question.getType());
            perName.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
            Message m = new Message(q.getHeader().getID());
            m.getHeader().setFlag(Flags.QR);
            m.getHeader().setFlag(Flags.AA);
            m.addRecord(question, Section.QUESTION);
            Rule r = rules.get(k);
            boolean send;
            if (r == null) {
                m.getHeader().setRcode(Rcode.NXDOMAIN);
                m.addRecord(soa(60, 30), Section.AUTHORITY);
                send = true;
            } else {
                send = r.answer(q, m);
            }
            if (send) {
                send(m.toWire(), from);
            }
        } catch (RuntimeException e) {
            // passed over, as an I/O failure is
        }
    }

    void send(byte[] wire, SocketAddress to) throws IOException {
        socket.send(new DatagramPacket(wire, wire.length, to));
    }

    static List<Record> none() {
        return List.of();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
