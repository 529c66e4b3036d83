package io.pathprobe.windows.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportCounters;
import io.pathprobe.spi.TransportException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport end to end on Linux: send → the simulated ICMP API ({@link FakeIcmpApi}) writes the
 * reply buffer as Windows would and signals the request's event → a waiter wakes, parses, maps the
 * status → the listener gets the {@link ProbeResponse}. Plus what closing releases.
 */
class WindowsTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress TARGET = ip("198.18.5.9");
    private static final InetAddress ROUTER1 = ip("198.18.0.1");
    private static final InetAddress ROUTER2 = ip("198.18.1.1");
    private static final InetAddress TARGET6 = ip("2001:db8:5::9");

    private final List<WindowsTransport> opened = new ArrayList<>();
    private FakeIcmpApi api = FakeIcmpApi.loopback();

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A small lab: two routers, then the target (IPv4 and IPv6). */
    private static FakeIcmpApi.Answer lab(InetAddress destination, int ttl, byte[] data) {
        if (destination.equals(TARGET) || destination.equals(TARGET6)) {
            if (ttl == 1) {
                return FakeIcmpApi.Answer.status(IcmpStatus.IP_TTL_EXPIRED_TRANSIT,
                        destination.equals(TARGET) ? ROUTER1 : ip("2001:db8::1"));
            }
            if (ttl == 2) {
                return FakeIcmpApi.Answer.status(IcmpStatus.IP_TTL_EXPIRED_TRANSIT,
                        destination.equals(TARGET) ? ROUTER2 : ip("2001:db8:1::1"));
            }
            return new FakeIcmpApi.Answer(0, IcmpStatus.IP_SUCCESS, destination, 61, data, 0, false);
        }
        return FakeIcmpApi.Answer.silence();
    }

    private WindowsTransport open(int requestTimeoutMillis) {
        WindowsTransport t = WindowsTransport.open(api, requestTimeoutMillis, 2_000);
        opened.add(t);
        return t;
    }

    /** A transport (as {@link #open}) on a network that never answers. */
    private WindowsTransport openSilent(int requestTimeoutMillis) {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.silence());
        return open(requestTimeoutMillis);
    }

    @AfterEach
    void closeAndCheckNothingLeaked() {
        for (WindowsTransport t : opened) {
            t.close();
        }
        assertThat(api.violations()).as("misuse of the ICMP API").isEmpty();
        if (!opened.isEmpty()) {
            assertThat(api.openHandles()).as("handles left open after close()").isEmpty();
            assertThat(api.liveBlocks()).as("native blocks left allocated after close()").isZero();
            assertThat(api.handlesClosed()).isEqualTo(api.handlesOpened());
        }
    }

    /** Collects responses with the thread they came on. */
    static class Collector implements ResponseListener {
        final List<ProbeResponse> responses = new ArrayList<>();
        final List<String> threads = new ArrayList<>();

        @Override
        public synchronized void onResponse(ProbeResponse r) {
            responses.add(r);
            threads.add(Thread.currentThread().getName());
            notifyAll();
        }

        synchronized List<ProbeResponse> awaitCount(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (responses.size() < n && System.nanoTime() < deadline) {
                wait(50);
            }
            assertThat(responses).as("responses").hasSizeGreaterThanOrEqualTo(n);
            return List.copyOf(responses);
        }

        synchronized List<ProbeResponse> now() {
            return List.copyOf(responses);
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static SessionSpec icmp(InetAddress destination) {
        return SessionSpec.perProbe(ProbeProtocol.ICMP, destination, SessionSpec.DEFAULT_PORT);
    }

    @Test
    void anEchoReplyComesBackWithItsSequenceTtlAndLength() throws Exception {
        api.network(WindowsTransportTest::lab);
        WindowsTransport t = open(10_000);
        Collector c = new Collector();
        try (ProbeSession s = t.openSession(icmp(TARGET), c)) {
            long sent = s.send(ProbeSpec.of(7, 64));
            ProbeResponse r = c.awaitCount(1).get(0);
            assertThat(r.sequence()).isEqualTo(7);
            assertThat(r.kind()).isEqualTo(ResponseKind.ECHO_REPLY);
            assertThat(r.icmpType()).isZero();
            assertThat(r.icmpCode()).isZero();
            assertThat(r.responder()).isEqualTo(TARGET);
            assertThat(r.replyTtl()).as("Options.Ttl of the reply").isEqualTo(61);
            assertThat(r.replyLength()).as("8 + DataSize").isEqualTo(8 + 32);
            assertThat(r.receivedNanos()).isGreaterThanOrEqualTo(sent);
            assertThat(r.quotedTtl()).isEqualTo(ProbeResponse.UNKNOWN);
            assertThat(c.threads).allMatch(n -> n.startsWith("pathprobe-windows-icmp-echo-"));
        }
        FakeIcmpApi.Sent request = api.sent().get(0);
        assertThat(request.ttl()).as("IP_OPTION_INFORMATION.Ttl").isEqualTo(64);
        assertThat(request.destination()).isEqualTo(TARGET);
        assertThat(request.source()).as("source address 0: the stack chooses").isZero();
        assertThat(request.timeoutMillis()).isEqualTo(10_000);
        assertThat(request.data()).hasSize(32);
        assertThat(request.data()[0]).isZero();
        assertThat(request.data()[1]).isEqualTo((byte) 7);
        // Counted once the listener returned: wait for it (bounded).
        await(() -> t.counters().orElseThrow().delivered() == 1, "the delivery counted");
        TransportCounters counters = t.counters().orElseThrow();
        assertThat(counters.read()).isEqualTo(1);
        assertThat(counters.droppedTotal()).isZero();
    }

    @Test
    void aTraceSeesTheRoutersTimeExceededThenTheTarget() throws Exception {
        api.network(WindowsTransportTest::lab);
        WindowsTransport t = open(10_000);
        for (InetAddress target : List.of(TARGET, TARGET6)) {
            boolean v6 = target.equals(TARGET6);
            Collector c = new Collector();
            try (ProbeSession s = t.openSession(icmp(target), c)) {
                for (int ttl = 1; ttl <= 3; ttl++) {
                    s.send(ProbeSpec.of(100 + ttl, ttl));
                }
                List<ProbeResponse> rs = c.awaitCount(3);
                ProbeResponse hop1 = rs.stream().filter(r -> r.sequence() == 101).findFirst().orElseThrow();
                ProbeResponse hop2 = rs.stream().filter(r -> r.sequence() == 102).findFirst().orElseThrow();
                ProbeResponse hop3 = rs.stream().filter(r -> r.sequence() == 103).findFirst().orElseThrow();
                assertThat(hop1.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
                assertThat(hop1.icmpType()).isEqualTo(v6 ? 3 : 11);
                assertThat(hop1.icmpCode()).isZero();
                assertThat(hop1.responder()).isEqualTo(v6 ? ip("2001:db8::1") : ROUTER1);
                assertThat(hop2.responder()).isEqualTo(v6 ? ip("2001:db8:1::1") : ROUTER2);
                assertThat(hop3.kind()).isEqualTo(ResponseKind.ECHO_REPLY);
                assertThat(hop3.icmpType()).isEqualTo(v6 ? 129 : 0);
                assertThat(hop3.responder()).isEqualTo(target);
                if (v6) {
                    assertThat(hop3.replyTtl()).as("ICMPV6_ECHO_REPLY has no TTL").isEqualTo(ProbeResponse.UNKNOWN);
                    assertThat(hop3.replyLength()).as("the echoed request's size").isEqualTo(8 + 32);
                }
            }
        }
        assertThat(api.sent()).extracting(FakeIcmpApi.Sent::ttl).containsExactly(1, 2, 3, 1, 2, 3);
    }

    @Test
    void unreachableStatusesBecomeDestinationUnreachableOfTheirCode() throws Exception {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.status(
                d.equals(TARGET) ? IcmpStatus.IP_DEST_HOST_UNREACHABLE : IcmpStatus.IP_DEST_PORT_UNREACHABLE,
                d.equals(TARGET) ? ROUTER2 : TARGET6));
        WindowsTransport t = open(10_000);
        Collector c4 = new Collector();
        Collector c6 = new Collector();
        try (ProbeSession s4 = t.openSession(icmp(TARGET), c4); ProbeSession s6 = t.openSession(icmp(TARGET6), c6)) {
            s4.send(ProbeSpec.of(1, 30));
            s6.send(ProbeSpec.of(2, 30));
            ProbeResponse r4 = c4.awaitCount(1).get(0);
            ProbeResponse r6 = c6.awaitCount(1).get(0);
            assertThat(r4.kind()).isEqualTo(ResponseKind.DESTINATION_UNREACHABLE);
            assertThat(r4.icmpType()).isEqualTo(3);
            assertThat(r4.icmpCode()).isEqualTo(1);
            assertThat(r4.responder()).isEqualTo(ROUTER2);
            assertThat(r6.kind()).isEqualTo(ResponseKind.DESTINATION_UNREACHABLE);
            assertThat(r6.icmpType()).isEqualTo(1);
            assertThat(r6.icmpCode()).isEqualTo(4);
            assertThat(r6.portUnreachable()).isTrue();
            assertThat(r6.responder()).isEqualTo(TARGET6);
        }
    }

    @Test
    void aTimedOutRequestIsNoAnswerAndReleasesItsHandles() throws Exception {
        WindowsTransport t = openSilent(50);
        Collector c = new Collector();
        try (ProbeSession s = t.openSession(icmp(TARGET), c)) {
            s.send(ProbeSpec.of(1, 64));
            await(() -> t.noAnswerCount(IcmpStatus.IP_REQ_TIMED_OUT) == 1, "the request timing out");
            await(() -> api.liveBlocks() == 0, "the block released");
            assertThat(c.now()).isEmpty();
            assertThat(t.counters().orElseThrow().read()).as("a timeout reads nothing").isZero();
            // Left open: the session's ICMP handle and the waiter's wake event; the request's event is closed.
            assertThat(api.openHandles()).hasSize(2);
        }
    }

    @Test
    void otherStatusesAreCountedAndDroppedNotThrown() throws Exception {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.status(IcmpStatus.IP_PARAM_PROBLEM, ROUTER1));
        WindowsTransport t = open(10_000);
        Collector c = new Collector();
        try (ProbeSession s = t.openSession(icmp(TARGET), c)) {
            s.send(ProbeSpec.of(1, 64));
            await(() -> t.otherStatusCount(IcmpStatus.IP_PARAM_PROBLEM) == 1, "the status counted");
            await(() -> t.counters().orElseThrow().dropped(DropReason.MALFORMED) == 1, "the answer dropped");
            assertThat(c.now()).isEmpty();
            TransportCounters counters = t.counters().orElseThrow();
            assertThat(counters.read()).isEqualTo(counters.delivered() + counters.droppedTotal());
        }
    }

    @Test
    void anEchoReplyWhoseDataIsNotWhatWasSentIsUnrelated() throws Exception {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.echo(d, data).withData(new byte[data.length]));
        WindowsTransport t = open(10_000);
        Collector c = new Collector();
        try (ProbeSession s = t.openSession(icmp(TARGET), c)) {
            s.send(ProbeSpec.of(1, 64));
            await(() -> t.counters().orElseThrow().dropped(DropReason.UNRELATED) == 1, "the reply dropped");
            assertThat(c.now()).isEmpty();
        }
    }

    @Test
    void aRefusedSendIsASendFailureAndLeavesNothingBehind() throws Exception {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.sendFails(IcmpStatus.IP_DEST_HOST_UNREACHABLE));
        WindowsTransport t = open(10_000);
        try (ProbeSession s = t.openSession(icmp(TARGET), new Collector())) {
            SendFailedException e = catchThrowableOfType(SendFailedException.class, () -> s.send(ProbeSpec.of(1, 64)));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("IcmpSendEcho2Ex").contains("IP_DEST_HOST_UNREACHABLE (11003)");
            assertThat(e.noRoute()).isTrue();
            assertThat(api.liveBlocks()).isZero();
            assertThat(api.openHandles()).hasSize(2); // the session's handle, the waiter's wake event
        }
    }

    @Test
    void aSynchronousCompletionIsStillDeliveredOnAWaiter() throws Exception {
        api.completeSynchronously = true;
        api.network(WindowsTransportTest::lab);
        WindowsTransport t = open(10_000);
        Collector c = new Collector();
        try (ProbeSession s = t.openSession(icmp(TARGET), c)) {
            s.send(ProbeSpec.of(3, 1));
            ProbeResponse r = c.awaitCount(1).get(0);
            assertThat(r.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
            assertThat(c.threads.get(0)).startsWith("pathprobe-windows-icmp-echo-");
        }
    }

    @Test
    void closingTheTransportCancelsOutstandingRequestsAndClosesEveryHandle() throws Exception {
        WindowsTransport t = openSilent(60_000);
        Collector c = new Collector();
        ProbeSession s4 = t.openSession(icmp(TARGET), c);
        ProbeSession s6 = t.openSession(icmp(TARGET6), c);
        for (int i = 0; i < 5; i++) {
            s4.send(ProbeSpec.of(i, 64));
            s6.send(ProbeSpec.of(i, 64));
        }
        assertThat(api.liveBlocks()).isEqualTo(10);
        t.close();
        // Checked by closeAndCheckNothingLeaked too; said here where it is the point.
        assertThat(api.openHandles()).isEmpty();
        assertThat(api.liveBlocks()).isZero();
        assertThat(api.handlesClosed()).isEqualTo(api.handlesOpened());
        assertThat(t.noAnswerCount(Win32.ERROR_OPERATION_ABORTED)).isEqualTo(10);
        assertThat(t.abandonedCount()).isZero();
        assertThat(t.waiterCount()).isZero();
        assertThat(c.now()).isEmpty();
        assertThatThrownBy(() -> s4.send(ProbeSpec.of(9, 64))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t.openSession(icmp(TARGET), c)).isInstanceOf(TransportException.class);
    }

    @Test
    void requestsThatCloseDoesNotCancelAreKeptWithTheirEventsOpenUntilTheyComplete() throws Exception {
        // Wine: IcmpCloseHandle leaves the requests pending until their Timeout; a process that exits
        // with one pending on a closed event wedges the wineserver. Nothing may be closed or freed early.
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.silence());
        api.closeDoesNotCancel = true;
        // the requests' Timeout (5 s) far beyond the transport's stop wait (100 ms), even on a loaded machine
        WindowsTransport t = WindowsTransport.open(api, 5_000, 100);
        Collector c = new Collector();
        ProbeSession s = t.openSession(icmp(TARGET), c);
        for (int i = 0; i < 3; i++) {
            s.send(ProbeSpec.of(i, 64));
        }
        int heldBefore = AbandonedRequests.held();
        t.close();
        assertThat(t.abandonedCount()).isEqualTo(3);
        assertThat(t.waiterCount()).isZero();
        assertThat(AbandonedRequests.held()).isEqualTo(heldBefore + 3);
        assertThat(api.openHandles()).as("the abandoned requests' events stay open").hasSize(3);
        assertThat(api.liveBlocks()).as("and their blocks allocated").isEqualTo(3);
        // what the JVM's exit does: wait for them (here they time out after 5 s), then release them
        assertThat(AbandonedRequests.awaitAll(WAIT.toMillis())).isZero();
        assertThat(api.openHandles()).isEmpty();
        assertThat(api.liveBlocks()).isZero();
        assertThat(api.handlesClosed()).isEqualTo(api.handlesOpened());
        assertThat(api.violations()).as("no request completed on a closed event").isEmpty();
        assertThat(c.now()).isEmpty();
    }

    @Test
    void everyRequestIsIssuedFromTheOneIssuerThreadNotTheSendersWhichMayEndFirst() throws Exception {
        // Windows cancels the I/O a thread initiated when it exits, and Wine wedges; senders' threads may end
        WindowsTransport t = open(10_000);
        Collector c = new Collector();
        ProbeSession s = t.openSession(icmp(ip("127.0.0.1")), c);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int seq = i;
            Thread th = new Thread(() -> {
                try {
                    s.send(ProbeSpec.of(seq, 64));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "short-lived-sender-" + i);
            senders.add(th);
            th.start();
        }
        for (Thread th : senders) {
            th.join();
        }
        c.awaitCount(3);
        assertThat(api.issuingThreads()).containsExactly("pathprobe-windows-icmp-echo-issuer");
    }

    @Test
    void aMarkedSessionIsRefusedBeforeAnyHandleOpensForWindowsIgnoresTos() {
        WindowsTransport t = WindowsTransport.open(api);
        opened.add(t);
        assertThat(t.capabilities()).doesNotContain(TransportCapability.TRAFFIC_CLASS);
        long opened0 = api.handlesOpened();
        for (InetAddress target : List.of(TARGET, TARGET6)) {
            assertThatThrownBy(() -> t.openSession(icmp(target).withTrafficClass(46 << 2), new Collector()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no TRAFFIC_CLASS").hasMessageContaining("IP_OPTION_INFORMATION.Tos");
        }
        assertThat(api.handlesOpened()).as("nothing opened for the refused sessions").isEqualTo(opened0);
    }

    @Test
    void withoutIcmpv6TheTransportRefusesIpv6SessionsSayingWhy() {
        WindowsTransport t = WindowsTransport.open(api, "Icmp6CreateFile failed: ERROR_CALL_NOT_IMPLEMENTED (120)");
        opened.add(t);
        assertThat(t.capabilities()).contains(TransportCapability.IPV4).doesNotContain(TransportCapability.IPV6);
        long opened0 = api.handlesOpened();
        assertThatThrownBy(() -> t.openSession(icmp(TARGET6), new Collector()))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("does not probe IPv6 destinations here")
                .hasMessageContaining("ERROR_CALL_NOT_IMPLEMENTED (120)");
        assertThat(api.handlesOpened()).as("nothing opened for the refused session").isEqualTo(opened0);
    }

    @Test
    void closingASessionCancelsItsRequestsAtOnce() throws Exception {
        WindowsTransport t = openSilent(60_000);
        Collector c = new Collector();
        ProbeSession s = t.openSession(icmp(TARGET), c);
        for (int i = 0; i < 3; i++) {
            s.send(ProbeSpec.of(i, 64));
        }
        s.close();
        await(() -> api.liveBlocks() == 0, "the cancelled requests released");
        assertThat(api.openHandles()).as("only the waiter's wake event").hasSize(1);
        assertThat(t.noAnswerCount(Win32.ERROR_OPERATION_ABORTED)).isEqualTo(3);
    }

    @Test
    void moreThan63OutstandingRequestsAreWatchedByMoreWaitersWhichEndWhenIdle() throws Exception {
        // answers after 3 s: all 150 are outstanding at once even when sending is slow (a loaded machine, Wine)
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.echo(d, data).after(3_000));
        WindowsTransport t = open(10_000);
        Collector c = new Collector();
        try (ProbeSession s = t.openSession(icmp(TARGET), c)) {
            for (int i = 0; i < 150; i++) {
                s.send(ProbeSpec.of(i, 64));
            }
            int waiters = t.waiterCount();
            assertThat(waiters).as("63 requests per waiter").isGreaterThanOrEqualTo(3);
            List<ProbeResponse> rs = c.awaitCount(150);
            assertThat(rs).extracting(ProbeResponse::sequence).doesNotHaveDuplicates().hasSize(150);
            await(() -> t.waiterCount() == 1, "the extra waiters ending once idle");
        }
    }

    @Test
    void afterPendingAnswersWaitsForAnAnswerAlreadySignalledButNotYetDelivered() throws Exception {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.echo(d, data));
        WindowsTransport t = open(10_000);
        CountDownLatch blockerEntered = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        Collector subjectAnswers = new Collector();
        AtomicBoolean answerSeenByAction = new AtomicBoolean();
        CountDownLatch actionRan = new CountDownLatch(1);
        try (ProbeSession blocker = t.openSession(icmp(TARGET), r -> {
                    blockerEntered.countDown();
                    try {
                        unblock.await(10, TimeUnit.SECONDS); // holds the only waiter
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                ProbeSession subject = t.openSession(icmp(TARGET), subjectAnswers)) {
            blocker.send(ProbeSpec.of(1, 64));
            assertThat(blockerEntered.await(10, TimeUnit.SECONDS)).isTrue();
            subject.send(ProbeSpec.of(2, 64));
            await(() -> api.sent().size() == 2 && api.liveBlocks() == 2, "the subject's request sent");
            // Wait until the fake network has answered (its event is signalled), then ask.
            await(() -> signalled(subject), "the subject's answer arriving");
            subject.afterPendingAnswers(() -> {
                answerSeenByAction.set(!subjectAnswers.now().isEmpty());
                actionRan.countDown();
            });
            assertThat(actionRan.getCount()).as("the action waits for the held-up delivery").isEqualTo(1);
            unblock.countDown();
            assertThat(actionRan.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(answerSeenByAction.get()).isTrue();
        }
    }

    /** Whether one of the session's requests has its event signalled (a fake-only peek via afterPendingAnswers). */
    private static boolean signalled(ProbeSession session) {
        AtomicBoolean ranAtOnce = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        session.afterPendingAnswers(() -> ranAtOnce.set(Thread.currentThread() == caller));
        return !ranAtOnce.get();
    }

    @Test
    void unsupportedSpecsAreRefusedWithTheReason() {
        WindowsTransport t = open(10_000);
        assertThatThrownBy(() -> t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, TARGET, 1), new Collector()))
                .isInstanceOf(TransportException.class).hasMessageContaining("FIXED")
                .hasMessageContaining("Windows chooses");
        assertThatThrownBy(() -> t.openSession(SessionSpec.perProbe(ProbeProtocol.UDP, TARGET, 33434), new Collector()))
                .isInstanceOf(TransportException.class);
        assertThatThrownBy(() -> t.openSession(icmp(TARGET).withPayloadSize(65501), new Collector()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65500");
        api.icmpCreateFails = true;
        assertThatThrownBy(() -> t.openSession(icmp(TARGET), new Collector()))
                .isInstanceOf(TransportException.class).hasMessageContaining("IcmpCreateFile failed");
        api.icmpCreateFails = false;
    }

    @Test
    void payloadSizesFromZeroToTheLimitAreSent() throws Exception {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.echo(d, data));
        WindowsTransport t = open(10_000);
        for (int size : new int[] {0, 5, 1472}) {
            Collector c = new Collector();
            try (ProbeSession s = t.openSession(icmp(TARGET).withPayloadSize(size), c)) {
                s.send(ProbeSpec.of(1, 64));
                assertThat(c.awaitCount(1).get(0).replyLength()).isEqualTo(8 + size);
            }
        }
    }

    @Test
    void aListenerClosingItsOwnSessionOrTheTransportDoesNotDeadlock() throws Exception {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.echo(d, data));
        WindowsTransport t = open(10_000);
        CountDownLatch done = new CountDownLatch(1);
        ProbeSession[] self = new ProbeSession[1];
        self[0] = t.openSession(icmp(TARGET), r -> {
            self[0].close();
            t.close();
            done.countDown();
        });
        self[0].send(ProbeSpec.of(1, 64));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        await(() -> t.waiterCount() == 0, "the waiter ending after its listener returned");
        await(() -> api.openHandles().isEmpty(), "every handle closed");
    }

    @Test
    void sequencesBeyondTheRangeAndFlowsAreRefused() {
        WindowsTransport t = open(10_000);
        try (ProbeSession s = t.openSession(icmp(TARGET), new Collector())) {
            assertThat(s.maxSequence()).isEqualTo(65535);
            assertThat(s.maxFlow()).isZero();
            assertThatThrownBy(() -> s.send(ProbeSpec.of(65536, 1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.send(new ProbeSpec(1, 1, 1))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * A figure, not an assertion (the machine is shared): how long after Windows (here the fake)
     * signals a request's event the listener has the answer. The design blocks in
     * WaitForMultipleObjects, so this is a thread wake-up, not a polling interval.
     */
    @Test
    void reportsHowSoonAnAnswerReachesTheListenerAfterItsEventIsSignalled() throws Exception {
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.echo(d, data).after(1));
        WindowsTransport t = open(10_000);
        int n = 300;
        long[] delays = new long[n];
        long[] heard = new long[1];
        Collector c = new Collector() {
            @Override
            public synchronized void onResponse(ProbeResponse r) {
                heard[0] = System.nanoTime();
                super.onResponse(r);
            }
        };
        try (ProbeSession s = t.openSession(icmp(TARGET), c)) {
            for (int i = 0; i < n; i++) {
                s.send(ProbeSpec.of(i, 64));
                c.awaitCount(i + 1);
                synchronized (c) {
                    delays[i] = heard[0] - api.lastSignalNanos();
                }
            }
        }
        java.util.Arrays.sort(delays);
        System.out.printf("windows-icmp-echo (simulated ICMP API): event signalled -> listener: median %.1f us, "
                + "p99 %.1f us, max %.1f us over %d answers%n", delays[n / 2] / 1e3, delays[n * 99 / 100] / 1e3,
                delays[n - 1] / 1e3, n);
        assertThat(delays[0]).isPositive();
    }

    @Test
    void theRequestTimeoutComesFromItsPropertyAndABadValueSaysSo() throws Exception {
        String key = WindowsTransport.REQUEST_TIMEOUT_PROPERTY;
        assertThat(key).isEqualTo("pathprobe.transport.windows-icmp-echo.requestTimeoutMillis");
        api.network((d, ttl, data) -> FakeIcmpApi.Answer.echo(d, data));
        System.setProperty(key, "2500");
        try {
            WindowsTransport t = WindowsTransport.open(api);
            opened.add(t);
            assertThat(t.requestTimeoutMillis()).isEqualTo(2500);
            Collector c = new Collector();
            try (ProbeSession s = t.openSession(icmp(TARGET), c)) {
                s.send(ProbeSpec.of(1, 64));
                c.awaitCount(1);
            }
            assertThat(api.sent().get(0).timeoutMillis()).as("the Timeout handed to IcmpSendEcho2Ex").isEqualTo(2500);
            System.setProperty(key, "soon");
            assertThatThrownBy(() -> WindowsTransport.open(api)).isInstanceOf(TransportException.class)
                    .hasMessageContaining(key);
        } finally {
            System.clearProperty(key);
        }
        assertThat(WindowsTransport.requestTimeoutFromProperty()).isEqualTo(WindowsTransport.DEFAULT_REQUEST_TIMEOUT_MILLIS);
    }
}
