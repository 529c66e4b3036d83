package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.core.internal.sim.RealTimeTracers;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * STUN messages (golden bytes), then the client against in-process servers on loopback, on fake
 * network time: retransmissions and timeouts happen only when the test moves the ticker, and
 * completions run on the loop's thread, so they have happened when
 * {@link FakeTicker#advance(UdpExchanges, Duration)} returns.
 */
class StunTest {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] TID = HEX.parseHex("000102030405060708090a0b");
    static final Duration RTO = Duration.ofMillis(50);
    final FakeTicker ticker = new FakeTicker();
    UdpExchanges loop;
    StunClient client;

    @BeforeEach
    void setUp() {
        loop = new UdpExchanges(Runnable::run, 16, ticker);
        client = new StunClient(loop);
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    // --- wire format, golden bytes ---

    @Test
    void bindingRequestGoldenBytes() {
        assertThat(HEX.formatHex(StunMessages.bindingRequest(TID))).isEqualTo("000100002112a442000102030405060708090a0b");
    }

    @Test
    void xorMappedIpv4Golden() throws Exception {
        // 192.0.2.1:32853 -> x-port a147, x-address e112a643 (as in RFC 5769's vectors)
        byte[] r = HEX.parseHex("0101000c2112a442000102030405060708090a0b" + "002000080001a147e112a643");
        StunMessages.Response m = StunMessages.read(ByteBuffer.wrap(r), TID);
        assertThat(m).isEqualTo(new StunMessages.Mapped(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), true));
        assertThat(StunTestServer.success(TID, new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), false))
                .isEqualTo(r);
    }

    @Test
    void xorMappedIpv6Golden() throws Exception {
        byte[] r = HEX.parseHex("010100182112a442000102030405060708090a0b" + "002000140002a147"
                + "0113a9fa1235547b041424344c5c6c7c");
        StunMessages.Response m = StunMessages.read(ByteBuffer.wrap(r), TID);
        assertThat(m).isEqualTo(new StunMessages.Mapped(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853), true));
    }

    @Test
    void legacyMappedAddressAndFingerprint() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 4000);
        byte[] legacy = StunTestServer.success(TID, a, true);
        assertThat(StunMessages.read(ByteBuffer.wrap(legacy), TID)).isEqualTo(new StunMessages.Mapped(a, false));
        byte[] fp = StunMessages.withFingerprint(StunTestServer.success(TID, a, false));
        assertThat(StunMessages.read(ByteBuffer.wrap(fp), TID)).isEqualTo(new StunMessages.Mapped(a, true));
        fp[fp.length - 1] ^= 1;
        assertThat(StunMessages.read(ByteBuffer.wrap(fp), TID)).isInstanceOf(StunMessages.Ignored.class);
    }

    @Test
    void errorResponse() throws Exception {
        byte[] e = StunTestServer.error(TID, 420, "Unknown Attribute");
        assertThat(StunMessages.read(ByteBuffer.wrap(e), TID)).isEqualTo(new StunMessages.Error(420, "Unknown Attribute"));
    }

    /**
     * Found by fuzzing (CoreParserMutationTest, stun): an ERROR-CODE of class 7 number 125 was read
     * as error 825, outside the 300..699 StunException promises (RFC 8489: class 3..6, number 0..99).
     */
    @Test
    void anErrorCodeOutsideRfc8489sRangeIsMalformed() throws Exception {
        // the input the mutator found: bytes 00 69 7f 7d, so class 0x7f & 7 = 7, number 0x7d = 125
        byte[] found = HEX.parseHex("011100102112a442000102030405060708090a0b0009000c00697f7d746e617574682121");
        assertThatThrownBy(() -> StunMessages.read(ByteBuffer.wrap(found), TID)).isInstanceOf(StunException.class)
                .hasMessageContaining("ERROR-CODE class 7 number 125");
        byte[] class7 = HEX.parseHex("011100082112a442000102030405060708090a0b0009000400000719");
        assertThatThrownBy(() -> StunMessages.read(ByteBuffer.wrap(class7), TID)).isInstanceOf(StunException.class)
                .hasMessageContaining("class 7");
        byte[] number100 = HEX.parseHex("011100082112a442000102030405060708090a0b0009000400000464");
        assertThatThrownBy(() -> StunMessages.read(ByteBuffer.wrap(number100), TID)).isInstanceOf(StunException.class)
                .hasMessageContaining("number 100");
        byte[] edge = HEX.parseHex("011100082112a442000102030405060708090a0b0009000400000663");
        assertThat(StunMessages.read(ByteBuffer.wrap(edge), TID)).isEqualTo(new StunMessages.Error(699, ""));
    }

    @Test
    void whatIsIgnoredAndWhatIsMalformed() throws Exception {
        byte[] ok = HEX.parseHex("0101000c2112a442000102030405060708090a0b002000080001a147e112a643");
        assertThat(StunMessages.read(ByteBuffer.wrap(HEX.parseHex("0101")), TID)).isInstanceOf(StunMessages.Ignored.class);
        byte[] badCookie = ok.clone();
        badCookie[4] = 0;
        assertThat(StunMessages.read(ByteBuffer.wrap(badCookie), TID)).isInstanceOf(StunMessages.Ignored.class);
        byte[] badLength = ok.clone();
        badLength[3] = 0x10;
        assertThat(StunMessages.read(ByteBuffer.wrap(badLength), TID)).isInstanceOf(StunMessages.Ignored.class);
        byte[] otherTid = ok.clone();
        otherTid[19] = 0x7f;
        assertThat(StunMessages.read(ByteBuffer.wrap(otherTid), TID))
                .isEqualTo(new StunMessages.Ignored("another transaction", false));
        byte[] request = StunMessages.bindingRequest(TID);
        assertThat(StunMessages.read(ByteBuffer.wrap(request), TID)).isInstanceOf(StunMessages.Ignored.class);
        // ours, but broken: typed failures
        byte[] cut = HEX.parseHex("0101000c2112a442000102030405060708090a0b002000100001a147e112a643");
        assertThatThrownBy(() -> StunMessages.read(ByteBuffer.wrap(cut), TID)).isInstanceOf(StunException.class)
                .hasMessageContaining("malformed STUN response");
        byte[] empty = HEX.parseHex("010100002112a442000102030405060708090a0b");
        assertThatThrownBy(() -> StunMessages.read(ByteBuffer.wrap(empty), TID))
                .hasMessageContaining("without XOR-MAPPED-ADDRESS");
        byte[] family = HEX.parseHex("0101000c2112a442000102030405060708090a0b002000080007a147e112a643");
        assertThatThrownBy(() -> StunMessages.read(ByteBuffer.wrap(family), TID)).hasMessageContaining("family");
    }

    @Test
    void retransmissionSchedule() {
        long ms = 1_000_000;
        assertThat(StunClient.schedule(500 * ms, 39_500 * ms)).containsExactly(500 * ms, 1500 * ms, 3500 * ms,
                7500 * ms, 15_500 * ms, 31_500 * ms);
        assertThat(StunClient.schedule(500 * ms, 3000 * ms)).containsExactly(500 * ms, 1500 * ms);
    }

    // --- against an in-process server ---

    StunMapping bind(StunTestServer s, Duration timeout) throws Exception {
        return client.bind(s.address(), RTO, timeout).get(10, TimeUnit.SECONDS);
    }

    /** The failure of a transaction that ends without fake time moving (an answer, an ICMP error). */
    StunException failure(InetSocketAddress server, Duration timeout) throws Exception {
        return failure(client.bind(server, RTO, timeout));
    }

    static StunException failure(CompletableFuture<StunMapping> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (StunException) e.getCause();
        }
        throw new AssertionError("no failure");
    }

    /**
     * Runs a transaction with a 300 ms timeout to 150 ms (3 requests), lets the loop read the server's
     * answers to the first two, then to 1 ns before the timeout, where it must still wait.
     */
    CompletableFuture<StunMapping> answeredButNotDone(StunTestServer s) throws Exception {
        CompletableFuture<StunMapping> f = client.bind(s.address(), RTO, Duration.ofMillis(300));
        ticker.advance(loop, Duration.ofMillis(150));
        assertThat(loop.datagramsSent()).isEqualTo(3);
        // the server answers each request before it reads the next: its answers to the first two are sent
        RealTimeTracers.await(() -> s.requests.get() == 3, "3 requests at the server");
        ticker.advance(loop, Duration.ofMillis(150).minusNanos(1));
        assertThat(f).isNotDone();
        return f;
    }

    @Test
    void answeredWithTheSourceAddress() throws Exception {
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(),
                (req, from) -> List.of(StunTestServer.success(StunTestServer.tid(req), from, false)))) {
            StunMapping p = bind(s, Duration.ofSeconds(2));
            assertThat(p.mapped()).isEqualTo(p.local());
            assertThat(p.address()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(p.behindNat()).isFalse();
            assertThat(p.server()).isEqualTo(s.address());
        }
        assertThat(loop.openSockets()).isZero();
    }

    @Test
    void aMappedAddressThatIsNotLocalMeansNat() throws Exception {
        InetSocketAddress pub = new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 61000);
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(),
                (req, from) -> List.of(StunTestServer.success(StunTestServer.tid(req), pub, true)))) {
            StunMapping p = bind(s, Duration.ofSeconds(2));
            assertThat(p.mapped()).isEqualTo(pub);
            assertThat(p.behindNat()).isTrue();
        }
    }

    @Test
    void ipv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            // ::1 available
        } catch (Exception e) {
            Assumptions.abort("no IPv6 loopback");
        }
        try (StunTestServer s = new StunTestServer(v6,
                (req, from) -> List.of(StunTestServer.success(StunTestServer.tid(req), from, false)))) {
            StunMapping p = bind(s, Duration.ofSeconds(2));
            assertThat(p.address()).isEqualTo(v6);
            assertThat(p.behindNat()).isFalse();
        }
    }

    @Test
    void garbageThenTheAnswerStillWorks() throws Exception {
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(), (req, from) -> {
            byte[] other = StunTestServer.success(HEX.parseHex("ffffffffffffffffffffffff"), from, false);
            return List.of(HEX.parseHex("deadbeef"), other, StunTestServer.success(StunTestServer.tid(req), from, false));
        })) {
            assertThat(bind(s, Duration.ofSeconds(2)).behindNat()).isFalse();
        }
    }

    @Test
    void onlyGarbageIsMalformedAtTheTimeout() throws Exception {
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(),
                (req, from) -> List.of(HEX.parseHex("00000000deadbeefdeadbeefdeadbeefdeadbeef00")))) {
            long t0 = ticker.read();
            CompletableFuture<StunMapping> f = answeredButNotDone(s);
            ticker.advance(loop, Duration.ofNanos(1));
            assertThat(f).as("failed at exactly the 300 ms timeout").isDone();
            assertThat(ticker.read() - t0).isEqualTo(Duration.ofMillis(300).toNanos());
            StunException e = failure(f);
            assertThat(e.kind()).isEqualTo(StunException.Kind.MALFORMED);
            assertThat(e).hasMessageContaining("malformed STUN response");
        }
        assertThat(loop.openSockets()).isZero();
    }

    @Test
    void wrongTransactionIdTimesOut() throws Exception {
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(),
                (req, from) -> List.of(StunTestServer.success(new byte[12], from, false)))) {
            CompletableFuture<StunMapping> f = answeredButNotDone(s);
            ticker.advance(loop, Duration.ofNanos(1));
            assertThat(failure(f).kind()).isEqualTo(StunException.Kind.TIMEOUT);
        }
    }

    @Test
    void silenceRetransmitsThenTimesOut() throws Exception {
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(), (req, from) -> List.of())) {
            long t0 = ticker.read();
            CompletableFuture<StunMapping> f = client.bind(s.address(), RTO, Duration.ofMillis(400));
            long sent = 0;
            for (long at : new long[] {50, 150, 350, 400}) { // requests at 0, 50, 150, 350 ms; the timeout at 400
                long now = TimeUnit.NANOSECONDS.toMillis(ticker.read() - t0);
                ticker.advance(loop, Duration.ofMillis(at - now).minusNanos(1));
                sent++;
                assertThat(loop.datagramsSent()).as("requests 1 ns before %d ms", at).isEqualTo(sent);
                assertThat(f).isNotDone();
                ticker.advance(loop, Duration.ofNanos(1));
            }
            assertThat(loop.datagramsSent()).isEqualTo(4);
            assertThat(f).as("failed at exactly the 400 ms timeout").isDone();
            StunException e = failure(f);
            assertThat(e.kind()).isEqualTo(StunException.Kind.TIMEOUT);
            assertThat(e).hasMessageContaining("(4 requests)");
            RealTimeTracers.await(() -> s.requests.get() == 4, "4 requests at the server");
        }
        assertThat(loop.openSockets()).isZero();
    }

    @Test
    void sameTransactionIdOnEveryRetransmission() throws Exception {
        java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger seen = new AtomicInteger();
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(), (req, from) -> {
            ids.add(HEX.formatHex(StunTestServer.tid(req)));
            seen.incrementAndGet();
            return List.of();
        })) {
            CompletableFuture<StunMapping> f = client.bind(s.address(), RTO, Duration.ofMillis(200));
            ticker.advance(loop, Duration.ofMillis(150));
            assertThat(loop.datagramsSent()).isEqualTo(3);
            ticker.advance(loop, Duration.ofMillis(50));
            assertThat(failure(f).kind()).isEqualTo(StunException.Kind.TIMEOUT);
            RealTimeTracers.await(() -> seen.get() == 3, "the 3 requests (0, 50, 150 ms) at the server");
            assertThat(ids).hasSize(1);
        }
    }

    @Test
    void errorResponseIsTyped() throws Exception {
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(),
                (req, from) -> List.of(StunTestServer.error(StunTestServer.tid(req), 500, "Server Error")))) {
            StunException e = failure(s.address(), Duration.ofSeconds(2));
            assertThat(e.kind()).isEqualTo(StunException.Kind.ERROR_RESPONSE);
            assertThat(e.errorCode()).contains(500);
            assertThat(e.reason()).isEqualTo("Server Error");
        }
    }

    @Test
    void nothingListeningFailsFast() throws Exception {
        InetSocketAddress dead;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            dead = (InetSocketAddress) d.getLocalSocketAddress();
        }
        StunException e = failure(dead, Duration.ofSeconds(3)); // fake time never moves: only the ICMP error ends it
        assertThat(e.kind()).isEqualTo(StunException.Kind.IO);
        assertThat(loop.openSockets()).isZero();
    }

    @Test
    void badServerAddressIsRefused() {
        assertThat(client.bind(InetSocketAddress.createUnresolved("stun.example", 3478), Duration.ofMillis(50),
                Duration.ofSeconds(1))).failsWithin(1, TimeUnit.SECONDS);
        assertThat(client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofMillis(50),
                Duration.ofSeconds(1))).failsWithin(1, TimeUnit.SECONDS);
    }
}
