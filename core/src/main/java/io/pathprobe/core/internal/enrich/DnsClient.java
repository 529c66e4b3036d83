package io.pathprobe.core.internal.enrich;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An asynchronous stub resolver over UDP: dnsjava builds the queries and parses the answers; the I/O
 * is the enricher's {@link UdpExchanges} (the tracer's Netty I/O thread, one connected socket with a kernel-chosen port
 * and a random query id per attempt). dnsjava's own {@code SimpleResolver.sendAsync} is not used: its NIO
 * selector is one static thread per JVM shared with every other dnsjava user, with late timeout checks
 * (see {@code ping.app.DnsProbe}).
 *
 * <p>Outcomes of {@link #query}:
 * <ul>
 *   <li>NOERROR with records of the asked type in the answer section: found; the TTL is the smallest
 *       TTL of the answer section (the records and any CNAMEs leading to them).</li>
 *   <li>NXDOMAIN, or NOERROR without such records (no data): not found, with the negative TTL of RFC
 *       2308: min(SOA TTL, SOA minimum) of the authority section's SOA, capped at
 *       {@link Config#maxNegativeTtl}; {@link Config#defaultNegativeTtl} when there is no SOA.</li>
 *   <li>SERVFAIL, REFUSED, any other code, TC, timeout, I/O error: the future fails with a
 *       {@link DnsException}.</li>
 * </ul>
 * Retries: up to {@code 1 + retries} attempts, each with the per-query timeout, rotating over the
 * servers; a timeout or I/O error is retried, a failure code only when there is another server to ask.
 * A server that cannot be reached is left out for one per-query timeout (the lookups of one trace, started
 * together, fail together; later ones ask it again): one with no route from this host
 * at its first query (a route lookup, nothing sent), or whose query failed with a hard error (no route,
 * network or host unreachable, ICMP port unreachable: a {@link SocketException}). While every server is left
 * out, a query fails at once with a {@link DnsException.Kind#IO}, without a socket or a datagram: a lookup
 * that cannot succeed does not wait for its timeout.
 * Within an attempt the query is sent again, same id and socket, at a quarter and at half of its
 * timeout ({@link #RETRANSMIT_AT}): a datagram lost either way costs a quarter of the timeout, not the
 * lookup, and an answer to any copy ends the attempt (glibc's stub resolver instead waits its whole
 * timeout before the next attempt; a tracer's lookups are bounded by one timeout).
 * Datagrams that are not the answer (wrong id, no QR bit, another question, not DNS) are ignored.
 * Queries carry RD and EDNS(0) with a 1232-byte payload size.
 */
public final class DnsClient {
    /** When, as fractions of the attempt's timeout, the query of an attempt is sent again. */
    static final double[] RETRANSMIT_AT = {0.25, 0.5};
    /** The EDNS(0) UDP payload size we offer (the DNS flag day 2020 value). */
    static final int EDNS_PAYLOAD = 1232;

    /**
     * Where and how to ask.
     *
     * @param servers the servers, in order (at least one)
     * @param timeout per attempt
     * @param retries attempts after the first (0..10)
     * @param maxNegativeTtl the cap of negative TTLs
     * @param defaultNegativeTtl the negative TTL when an answer has no SOA
     */
    public record Config(List<InetSocketAddress> servers, Duration timeout, int retries, Duration maxNegativeTtl,
            Duration defaultNegativeTtl) {
        /** 5 minutes. */
        public static final Duration MAX_NEGATIVE_TTL = Duration.ofMinutes(5);
        /** 60 seconds. */
        public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(60);

        public Config {
            servers = List.copyOf(servers);
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(maxNegativeTtl, "maxNegativeTtl");
            Objects.requireNonNull(defaultNegativeTtl, "defaultNegativeTtl");
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("no DNS server");
            }
            for (InetSocketAddress s : servers) {
                if (s.isUnresolved()) {
                    throw new IllegalArgumentException("a DNS server must be an address: " + s);
                }
                if (s.getPort() == 0) {
                    throw new IllegalArgumentException("a DNS server needs a port: " + s);
                }
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("retries must be 0..10: " + retries);
            }
            if (maxNegativeTtl.isNegative() || defaultNegativeTtl.isNegative()) {
                throw new IllegalArgumentException("negative TTLs must not be negative");
            }
        }

        /** One server, the default negative TTLs. */
        public static Config of(InetSocketAddress server, Duration timeout, int retries) {
            return new Config(List.of(server), timeout, retries, MAX_NEGATIVE_TTL, DEFAULT_NEGATIVE_TTL);
        }

        /**
         * The system's servers as dnsjava's {@link ResolverConfig} reads them (resolv.conf on Linux);
         * reads local configuration only, sends nothing.
         *
         * @throws IllegalStateException if the system names no server
         */
        public static Config system(Duration timeout, int retries) {
            List<InetSocketAddress> servers = new ArrayList<>();
            for (InetSocketAddress s : ResolverConfig.getCurrentConfig().servers()) {
                if (!s.isUnresolved()) {
                    servers.add(s);
                }
            }
            if (servers.isEmpty()) {
                throw new IllegalStateException("the system names no DNS server");
            }
            return new Config(servers, timeout, retries, MAX_NEGATIVE_TTL, DEFAULT_NEGATIVE_TTL);
        }
    }

    /**
     * An answer.
     *
     * @param records the answer section's records of the asked type (empty: not found)
     * @param ttl how long the answer may be kept (positive: the smallest record TTL; negative: RFC 2308)
     * @param rcode the response code (NOERROR or NXDOMAIN)
     */
    public record Result(List<Record> records, Duration ttl, int rcode) {
        public Result {
            records = List.copyOf(records);
        }

        public boolean found() {
            return !records.isEmpty();
        }
    }

    private final Config config;
    private final UdpExchanges loop;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong queries = new AtomicLong();
    /** The servers left out, with when (on the loop's ticker) they may be asked again and why. */
    private final Map<InetSocketAddress, Unreachable> unreachable = new ConcurrentHashMap<>();

    /** Why a server is left out, and until when. */
    private record Unreachable(long untilNanos, String reason) {}

    /** Whether the servers' routes were looked up (at the first query, not when the tracer is built). */
    private volatile boolean routesChecked;

    DnsClient(Config config, UdpExchanges loop) {
        this.config = config;
        this.loop = loop;
    }

    /** Leaves out the servers this host has no route to; once, at the first query. */
    private void checkRoutes() {
        if (routesChecked) {
            return;
        }
        synchronized (unreachable) {
            if (!routesChecked) {
                for (InetSocketAddress s : config.servers()) {
                    String noRoute = noRoute(s);
                    if (noRoute != null) {
                        leaveOut(s, noRoute);
                    }
                }
                routesChecked = true;
            }
        }
    }

    /**
     * Why this host has no route to {@code server}, or null when it has one: a UDP socket's connect (a route
     * lookup in the kernel; nothing is sent). Only a {@link SocketException} counts (ENETUNREACH, EHOSTUNREACH).
     */
    private static @Nullable String noRoute(InetSocketAddress server) {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(server);
            return null;
        } catch (SocketException e) {
            return "no route to DNS server " + server.getAddress().getHostAddress() + ": " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            return null; // not a route's verdict: the query will say
        }
    }

    private void leaveOut(InetSocketAddress server, String reason) {
        unreachable.put(server, new Unreachable(loop.now() + config.timeout().toNanos(), reason));
    }

    /** Whether a query may be sent now: some server is not left out (their routes are looked up first). */
    public boolean mayAsk() {
        checkRoutes();
        return server(0) != null;
    }

    /** The server the {@code n}th attempt asks: the next one in rotation not left out; null if all are. */
    private @Nullable InetSocketAddress server(int n) {
        List<InetSocketAddress> servers = config.servers();
        long now = loop.now();
        for (int i = 0; i < servers.size(); i++) {
            InetSocketAddress s = servers.get((n + i) % servers.size());
            Unreachable u = unreachable.get(s);
            if (u == null || now - u.untilNanos() >= 0) {
                return s;
            }
        }
        return null;
    }

    /** Why no server can be asked now: the reasons the servers were left out. */
    private String noServer(Name name) {
        StringBuilder why = new StringBuilder("DNS query for " + name + " not sent: no DNS server can be reached (");
        String sep = "";
        for (InetSocketAddress s : config.servers()) {
            Unreachable u = unreachable.get(s);
            why.append(sep).append(u == null ? s + ": unreachable" : u.reason());
            sep = "; ";
        }
        return why.append(')').toString();
    }

    public Config config() {
        return config;
    }

    /** Query datagrams sent (every transmission of every attempt, over all servers). */
    public long queriesSent() {
        return queries.get();
    }

    /** Asks for {@code type} records of {@code name} (taken as absolute). Never blocks. */
    /**
     * Loads the classes a first query and its answer need (dnsjava's names, records and wire format: about
     * 160 classes in a fresh JVM) by writing a PTR query and reading a made-up answer to it, in memory;
     * nothing is sent. The tracer's {@code build()} runs it on a set-up thread when lookups are on (issue
     * 23), so a first enriched trace does not load them; what fails is ignored.
     */
    public static void loadClasses() {
        try {
            Name name = org.xbill.DNS.ReverseMap.fromAddress(new byte[] {(byte) 192, 0, 2, 1});
            Message q = Message.newQuery(Record.newRecord(name, Type.PTR, DClass.IN));
            q.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
            Message a = new Message(q.toWire());
            a.getHeader().setFlag(Flags.QR);
            a.addRecord(new org.xbill.DNS.PTRRecord(name, DClass.IN, 60, Name.fromConstantString("host.example.")),
                    Section.ANSWER);
            a.addRecord(new org.xbill.DNS.TXTRecord(name, DClass.IN, 60,
                    "64500 | 192.0.2.0/24 | ZZ | test | 2000-01-01"),
                    Section.ANSWER);
            Message parsed = new Message(ByteBuffer.wrap(a.toWire()));
            for (Record r : parsed.getSection(Section.ANSWER)) {
                r.rdataToString();
            }
            Rcode.string(parsed.getRcode());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    public CompletableFuture<Result> query(Name name, int type) {
        Name abs;
        try {
            abs = name.isAbsolute() ? name : Name.concatenate(name, Name.root);
        } catch (org.xbill.DNS.NameTooLongException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("name too long: " + name, e));
        }
        checkRoutes();
        return attempt(abs, type, 0);
    }

    private CompletableFuture<Result> attempt(Name name, int type, int n) {
        List<InetSocketAddress> servers = config.servers();
        InetSocketAddress server = server(n);
        if (server == null) {
            return CompletableFuture.failedFuture(new DnsException(DnsException.Kind.IO, noServer(name)));
        }
        CompletableFuture<Message> answer = loop.exchange(new Query(server, name, type, random.nextInt(0x10000),
                config.timeout().toNanos(), queries));
        return answer.handle((m, t) -> {
            if (t == null) {
                try {
                    return CompletableFuture.completedFuture(interpret(name, type, m));
                } catch (DnsException e) {
                    t = e;
                }
            }
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof SocketException) { // no route, unreachable, nothing listens: the server is out
                leaveOut(server, "DNS server " + server.getAddress().getHostAddress() + " unreachable: "
                        + cause.getMessage());
            }
            boolean more = n < config.retries();
            boolean retry = more && (!(cause instanceof DnsException d) || d.kind() == DnsException.Kind.TIMEOUT
                    || d.kind() == DnsException.Kind.IO || servers.size() > 1);
            if (retry) {
                return attempt(name, type, n + 1);
            }
            return CompletableFuture.<Result>failedFuture(cause instanceof DnsException ? cause
                    : new DnsException(DnsException.Kind.IO, "DNS query for " + name + " to " + server
                            + " failed: " + cause, cause));
        }).thenCompose(f -> f);
    }

    private Result interpret(Name name, int type, Message m) throws DnsException {
        int rcode = m.getRcode();
        if (m.getHeader().getFlag(Flags.TC)) {
            throw new DnsException(DnsException.Kind.TRUNCATED, "truncated answer for " + name + " (no TCP retry)");
        }
        if (rcode == Rcode.NOERROR) {
            List<Record> found = new ArrayList<>();
            long minTtl = Long.MAX_VALUE;
            for (Record r : m.getSection(Section.ANSWER)) {
                if (r.getType() == type) {
                    found.add(r);
                }
                if (r.getType() == type || r.getType() == Type.CNAME) {
                    minTtl = Math.min(minTtl, r.getTTL());
                }
            }
            if (!found.isEmpty()) {
                return new Result(found, Duration.ofSeconds(minTtl), rcode);
            }
            return new Result(List.of(), negativeTtl(m), rcode);
        }
        if (rcode == Rcode.NXDOMAIN) {
            return new Result(List.of(), negativeTtl(m), rcode);
        }
        throw new DnsException(DnsException.Kind.SERVER_FAILURE, "DNS server answered " + Rcode.string(rcode)
                + " for " + name + " " + Type.string(type));
    }

    private Duration negativeTtl(Message m) {
        Duration ttl = config.defaultNegativeTtl();
        for (Record r : m.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                ttl = Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum()));
                break;
            }
        }
        return ttl.compareTo(config.maxNegativeTtl()) > 0 ? config.maxNegativeTtl() : ttl;
    }

    /** The retransmission offsets of a query that times out after {@code timeoutNanos}: {@link #RETRANSMIT_AT}. */
    private static long[] retransmits(long timeoutNanos) {
        long[] at = new long[RETRANSMIT_AT.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = (long) (timeoutNanos * RETRANSMIT_AT[i]);
        }
        return at;
    }

    /** One attempt: one query, sent again at {@link #RETRANSMIT_AT} on the same socket, matched on id and question. */
    private static final class Query extends UdpExchanges.Scheduled<Message> {
        private final AtomicLong sent;
        private final Name name;
        private final int type;
        private final int id;
        private final byte[] wire;

        Query(InetSocketAddress server, Name name, int type, int id, long timeoutNanos, AtomicLong sent) {
            super(server, retransmits(timeoutNanos), timeoutNanos);
            this.sent = sent;
            this.name = name;
            this.type = type;
            this.id = id;
            Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
            q.getHeader().setID(id);
            q.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
            this.wire = q.toWire();
        }

        @Override
        public byte[] request() {
            sent.incrementAndGet();
            return wire;
        }

        @Override
        public @Nullable Message answer(ByteBuffer datagram) {
            if (datagram.remaining() < 12 || (datagram.getShort(0) & 0xffff) != id || (datagram.get(2) & 0x80) == 0) {
                return null;
            }
            Message m;
            try {
                m = new Message(datagram);
            } catch (IOException e) {
                return null; // not DNS: ignored, the query times out unless the real answer comes
            }
            Record q = m.getQuestion();
            if (q == null) {
                return m.getRcode() == Rcode.NOERROR ? null : m; // FORMERR and the like may omit the question
            }
            if (!q.getName().equals(name) || q.getType() != type || q.getDClass() != DClass.IN) {
                return null;
            }
            return m;
        }

        @Override
        public Exception timeout() {
            return new DnsException(DnsException.Kind.TIMEOUT, "no answer from " + target() + " for " + name + " "
                    + Type.string(type) + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos()) + " ms");
        }
    }
}
