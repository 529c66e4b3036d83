package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.core.internal.runtime.Ticker;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The stub resolver against in-process servers on loopback, on fake network time: a timeout fires
 * only when the test moves the ticker, and completions run on the loop's thread, so what a timeout
 * leads to (a retry, a failure) has happened when {@link FakeTicker#advance(UdpExchanges, Duration)} returns.
 */
class DnsClientTest {
    static final Name N = Name.fromConstantString("host.lab.example.");
    final FakeTicker ticker = new FakeTicker();
    ExecutorService exec;
    UdpExchanges loop;
    ZoneServer server;

    @BeforeEach
    void setUp() throws Exception {
        exec = Executors.newFixedThreadPool(2);
        loop = new UdpExchanges(Runnable::run, 16, ticker);
        server = new ZoneServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        server.close();
        exec.shutdownNow();
    }

    DnsClient client(int retries, Duration timeout) {
        return new DnsClient(DnsClient.Config.of(server.address(), timeout, retries), loop);
    }

    DnsClient.Result get(DnsClient c, Name n, int type) throws Exception {
        return c.query(n, type).get(5, TimeUnit.SECONDS);
    }

    Throwable failure(DnsClient c, Name n, int type) {
        return failure(c.query(n, type));
    }

    static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no failure");
    }

    @Test
    void foundCarriesTheSmallestTtl() throws Exception {
        server.txt(N, 300, "a").rule(N, Type.TXT, (q, m) -> {
            m.addRecord(new TXTRecord(N, DClass.IN, 300, "a"), Section.ANSWER);
            m.addRecord(new TXTRecord(N, DClass.IN, 120, "b"), Section.ANSWER);
            return true;
        });
        DnsClient.Result r = get(client(1, Duration.ofSeconds(2)), N, Type.TXT);
        assertThat(r.found()).isTrue();
        assertThat(r.records()).hasSize(2);
        assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(120));
        assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void nxdomainTakesTheSoaNegativeTtl() throws Exception {
        server.nxdomain(N, Type.TXT, 600, 45);
        DnsClient.Result r = get(client(1, Duration.ofSeconds(2)), N, Type.TXT);
        assertThat(r.found()).isFalse();
        assertThat(r.rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(45));
        server.nxdomain(N, Type.TXT, 20, 45);
        assertThat(get(client(1, Duration.ofSeconds(2)), N, Type.TXT).ttl()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void negativeTtlIsCappedAndDefaultsWithoutSoa() throws Exception {
        server.nxdomain(N, Type.TXT, 86400, 86400);
        assertThat(get(client(0, Duration.ofSeconds(2)), N, Type.TXT).ttl()).isEqualTo(Duration.ofMinutes(5));
        server.rcode(N, Type.TXT, Rcode.NXDOMAIN);
        assertThat(get(client(0, Duration.ofSeconds(2)), N, Type.TXT).ttl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void noDataIsNotFound() throws Exception {
        server.rule(N, Type.TXT, (q, m) -> {
            m.addRecord(ZoneServer.soa(300, 10), Section.AUTHORITY);
            return true;
        });
        DnsClient.Result r = get(client(0, Duration.ofSeconds(2)), N, Type.TXT);
        assertThat(r.found()).isFalse();
        assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void servfailAndRefusedFailWithoutRetryOnOneServer() {
        server.rcode(N, Type.TXT, Rcode.SERVFAIL);
        Throwable t = failure(client(2, Duration.ofSeconds(2)), N, Type.TXT);
        assertThat(t).isInstanceOf(DnsException.class).hasMessageContaining("SERVFAIL");
        assertThat(((DnsException) t).kind()).isEqualTo(DnsException.Kind.SERVER_FAILURE);
        assertThat(server.count(N, Type.TXT)).isEqualTo(1);
        server.rcode(N, Type.TXT, Rcode.REFUSED);
        assertThat(failure(client(0, Duration.ofSeconds(2)), N, Type.TXT)).hasMessageContaining("REFUSED");
    }

    @Test
    void timeoutRetriesThenFails() throws Exception {
        server.silent(N, Type.TXT);
        Duration timeout = Duration.ofMillis(200);
        DnsClient c = client(2, timeout);
        long t0 = ticker.read();
        CompletableFuture<DnsClient.Result> f = c.query(N, Type.TXT);
        for (int attempt = 1; attempt <= 3; attempt++) {
            long sentBefore = 3L * (attempt - 1);
            // an attempt's socket is connected on the loop after the last one failed: its first copy is
            // awaited (fake time stands still meanwhile, so no copy can be due)
            ticker.advance(loop, Duration.ofMillis(50).minusNanos(1));
            assertSent(c, sentBefore + 1, "attempt " + attempt + ": sent once before a quarter of its timeout");
            ticker.advance(loop, Duration.ofNanos(1));
            assertSent(c, sentBefore + 2, "attempt " + attempt + ": sent again at a quarter");
            ticker.advance(loop, Duration.ofMillis(50));
            assertSent(c, sentBefore + 3, "attempt " + attempt + ": and at half");
            ticker.advance(loop, Duration.ofMillis(100).minusNanos(1));
            assertSent(c, sentBefore + 3, "attempt " + attempt + " waits its whole timeout");
            assertThat(f).isNotDone();
            ticker.advance(loop, Duration.ofNanos(1));
        }
        assertThat(f).as("3 attempts of 200 ms: failed at exactly 600 ms").isDone();
        assertThat(ticker.read() - t0).isEqualTo(3 * timeout.toNanos());
        Throwable t = failure(f);
        assertThat(((DnsException) t).kind()).isEqualTo(DnsException.Kind.TIMEOUT);
        assertThat(c.queriesSent()).isEqualTo(9);
        assertThat(loop.datagramsSent()).isEqualTo(9);
        assertThat(server.awaitCount(N, Type.TXT, 9)).as("every datagram reached the server").isEqualTo(9);
        assertThat(loop.openSockets()).isZero();
    }

    /** Waits (in real time; fake time stands still) until {@code n} copies were sent, then checks no more were. */
    static void assertSent(DnsClient c, long n, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.queriesSent() < n && System.nanoTime() - end < 0) {
            Thread.sleep(1);
        }
        assertThat(c.queriesSent()).as(what).isEqualTo(n);
    }

    @Test
    void aLostQueryIsSentAgainWithinTheAttempt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        server.rule(N, Type.TXT, (q, m) -> {
            if (seen.incrementAndGet() == 1) {
                return false; // the first copy is "lost"
            }
            m.addRecord(new TXTRecord(N, DClass.IN, 300, "a"), Section.ANSWER);
            return true;
        });
        Duration timeout = Duration.ofSeconds(2);
        DnsClient c = client(0, timeout);
        long t0 = ticker.read();
        CompletableFuture<DnsClient.Result> f = c.query(N, Type.TXT);
        assertThat(server.awaitCount(N, Type.TXT, 1)).isEqualTo(1);
        assertThat(f).isNotDone();
        ticker.advance(loop, Duration.ofMillis(500));
        DnsClient.Result r = f.get(5, TimeUnit.SECONDS);
        assertThat(r.found()).as("answered on the same attempt, no retry").isTrue();
        assertThat(c.queriesSent()).isEqualTo(2);
        assertThat(ticker.read() - t0).isEqualTo(Duration.ofMillis(500).toNanos());
        assertThat(loop.openSockets()).isZero();
    }

    @Test
    void strayDatagramsAreIgnored() throws Exception {
        // a hand-driven server: a wrong id, garbage with the right id, another question, then the answer
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Thread responder = new Thread(() -> {
                try {
                    byte[] buf = new byte[1500];
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    raw.receive(p);
                    Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    int id = q.getHeader().getID();
                    Message wrong = new Message((id + 1) & 0xffff);
                    wrong.getHeader().setFlag(Flags.QR);
                    wrong.addRecord(q.getQuestion(), Section.QUESTION);
                    wrong.getHeader().setRcode(Rcode.SERVFAIL);
                    byte[] w = wrong.toWire();
                    raw.send(new java.net.DatagramPacket(w, w.length, p.getSocketAddress()));
                    byte[] junk = {(byte) (id >> 8), (byte) id, (byte) 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
                    raw.send(new java.net.DatagramPacket(junk, junk.length, p.getSocketAddress()));
                    Message other = new Message(id);
                    other.getHeader().setFlag(Flags.QR);
                    other.addRecord(org.xbill.DNS.Record.newRecord(Name.fromConstantString("x.example."), Type.TXT,
                            DClass.IN), Section.QUESTION);
                    byte[] o = other.toWire();
                    raw.send(new java.net.DatagramPacket(o, o.length, p.getSocketAddress()));
                    Message ok = new Message(id);
                    ok.getHeader().setFlag(Flags.QR);
                    ok.addRecord(q.getQuestion(), Section.QUESTION);
                    ok.addRecord(new TXTRecord(N, DClass.IN, 30, "ok"), Section.ANSWER);
                    byte[] a = ok.toWire();
                    raw.send(new java.net.DatagramPacket(a, a.length, p.getSocketAddress()));
                } catch (Exception e) {
                    // the test times out
                }
            });
            responder.start();
            DnsClient c = new DnsClient(DnsClient.Config.of((InetSocketAddress) raw.getLocalSocketAddress(),
                    Duration.ofSeconds(2), 0), loop);
            DnsClient.Result r = c.query(N, Type.TXT).get(5, TimeUnit.SECONDS);
            assertThat(r.found()).isTrue();
            assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(30));
            responder.join(2000);
        }
    }

    @Test
    void nothingListeningFailsFastAsIo() throws Exception {
        InetSocketAddress dead;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            dead = (InetSocketAddress) s.getLocalSocketAddress();
        }
        DnsClient c = new DnsClient(DnsClient.Config.of(dead, Duration.ofSeconds(3), 1), loop);
        Throwable t; // on fake time that never moves: no timeout can end it, only the ICMP error
        try {
            c.query(N, Type.TXT).get(10, TimeUnit.SECONDS);
            throw new AssertionError("answered");
        } catch (ExecutionException e) {
            t = e.getCause();
        }
        assertThat(t).isInstanceOf(DnsException.class);
        assertThat(((DnsException) t).kind()).isEqualTo(DnsException.Kind.IO);
        // the first hard error is decisive: the retry is not sent, the server is left out
        assertThat(c.queriesSent()).isEqualTo(1);
        assertThat(t).hasMessageContaining("no DNS server can be reached");
        // a later lookup fails at once, without a datagram, until the hold ends; then the server is asked again
        Throwable again = failure(c.query(Name.fromConstantString("other.lab.example."), Type.PTR));
        assertThat(again).isInstanceOf(DnsException.class).hasMessageContaining(dead.getAddress().getHostAddress());
        assertThat(c.queriesSent()).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(3)); // the per-query timeout: the hold
        failure(c.query(N, Type.TXT));
        assertThat(c.queriesSent()).isEqualTo(2);
    }

    @Test
    void aServerThatCannotBeReachedIsLeftOutWhileAnotherAnswers() throws Exception {
        InetSocketAddress dead;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            dead = (InetSocketAddress) s.getLocalSocketAddress();
        }
        server.txt(N, 50, "fine");
        DnsClient c = new DnsClient(new DnsClient.Config(List.of(dead, server.address()), Duration.ofSeconds(3), 1,
                DnsClient.Config.MAX_NEGATIVE_TTL, DnsClient.Config.DEFAULT_NEGATIVE_TTL), loop);
        assertThat(c.query(N, Type.TXT).get(10, TimeUnit.SECONDS).found()).isTrue();
        assertThat(c.queriesSent()).isEqualTo(2); // the dead server's refusal, then the good one
        assertThat(c.query(N, Type.TXT).get(10, TimeUnit.SECONDS).found()).isTrue();
        assertThat(c.queriesSent()).isEqualTo(3); // the dead one is not asked again
    }

    @Test
    void secondServerIsAskedAfterServfail() throws Exception {
        try (ZoneServer good = new ZoneServer()) {
            server.rcode(N, Type.TXT, Rcode.SERVFAIL);
            good.txt(N, 50, "fine");
            DnsClient c = new DnsClient(new DnsClient.Config(List.of(server.address(), good.address()),
                    Duration.ofSeconds(2), 1, DnsClient.Config.MAX_NEGATIVE_TTL, DnsClient.Config.DEFAULT_NEGATIVE_TTL), loop);
            assertThat(c.query(N, Type.TXT).get(5, TimeUnit.SECONDS).found()).isTrue();
        }
    }

    @Test
    void badConfigurationsAreTyped() {
        assertThatThrownBy(() -> DnsClient.Config.of(InetSocketAddress.createUnresolved("nowhere", 53),
                Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsClient.Config.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsClient.Config.of(server.address(), Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsClient.Config.of(server.address(), Duration.ofSeconds(1), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void completionsRunOnTheExecutorNotTheIoThread() throws Exception {
        server.txt(N, 30, "x");
        try (UdpExchanges pooled = new UdpExchanges(exec, 16, Ticker.SYSTEM)) {
            String thread = new DnsClient(DnsClient.Config.of(server.address(), Duration.ofSeconds(2), 0), pooled)
                    .query(N, Type.TXT).thenApply(r -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            assertThat(thread).doesNotStartWith("pathprobe-io");
        }
    }
}
