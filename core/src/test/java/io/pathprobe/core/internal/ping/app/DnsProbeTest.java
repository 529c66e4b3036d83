package io.pathprobe.core.internal.ping.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.ping.app.ProbeOutcome.Failure;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.Reply;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** {@link DnsProbe} against a responder on 127.0.0.1: nothing leaves the machine. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DnsProbeTest {
    private static final String NAME = "probe.lab.test.";
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /**
     * A bound only a hang can break, for outcomes on real time: the loop's timer ends a probe at
     * TIMEOUT, checked in rounds of a millisecond, and an answer read in the deadline's round still
     * counts, so an outcome comes after TIMEOUT plus however late the loop's thread runs, which a
     * loaded machine does not bound. Lower bounds stay exact: a timeout cannot fire before its
     * deadline, an answer the server delays cannot come back sooner.
     */
    private static final Duration LIVENESS = TIMEOUT.multipliedBy(10);

    private final AppProbeLoop loop = new AppProbeLoop();
    private TestDnsServer server;

    @AfterEach
    void tearDown() throws InterruptedException {
        loop.close();
        if (server != null) {
            server.close();
        }
    }

    /** The answer to {@code q}: same id and question, QR set, one A record unless {@code rcode} says otherwise. */
    static Message answer(Message q, int rcode) {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RD);
        r.getHeader().setFlag(Flags.RA);
        r.getHeader().setRcode(rcode);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        if (rcode == Rcode.NOERROR) {
            // only data in the answer, never contacted
            r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 60,
                    InetAddress.getLoopbackAddress()), Section.ANSWER);
        }
        return r;
    }

    private DnsProbe probe(TestDnsServer.Behaviour b) throws Exception {
        server = new TestDnsServer(b);
        return new DnsProbe(loop, DnsProbe.Config.a(server.address(), NAME, TIMEOUT));
    }

    private static ProbeOutcome run(DnsProbe probe, AppProbeLoop loop) throws InterruptedException {
        Outcomes o = new Outcomes(loop, 1);
        assertThat(probe.start(7, o)).isTrue();
        ProbeOutcome out = o.single();
        assertThat(out.sequence()).isEqualTo(7);
        return out;
    }

    @Test
    void anAnswerIsAReplyWithItsRoundTripTime() throws Exception {
        DnsProbe probe = probe((q, from, s) -> s.send(answer(q, Rcode.NOERROR), from));
        Reply r = (Reply) run(probe, loop);
        assertThat(r.code()).isEqualTo(Rcode.NOERROR);
        assertThat(r.detail()).isEqualTo("NOERROR, 1 answer");
        assertThat(r.rttNanos()).isPositive().isLessThan(LIVENESS.toNanos());
        assertThat(r.setupNanos()).isZero();
        assertThat(server.queries.get()).isEqualTo(1);
    }

    @Test
    void theQueryAsksWhatWasConfiguredWithARandomId() throws Exception {
        List<Message> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        server = new TestDnsServer((q, from, s) -> {
            seen.add(q);
            s.send(answer(q, Rcode.NOERROR), from);
        });
        DnsProbe probe = new DnsProbe(loop, new DnsProbe.Config(server.address(),
                Name.fromString("Probe.Lab.Test"), Type.AAAA, TIMEOUT));
        Outcomes o = new Outcomes(loop, 20);
        for (int i = 0; i < 20; i++) {
            assertThat(probe.start(i, o)).isTrue();
        }
        assertThat(o.await(10)).allSatisfy(out -> assertThat(out).isInstanceOf(Reply.class));
        assertThat(seen).allSatisfy(q -> {
            assertThat(q.getQuestion().getName()).isEqualTo(Name.fromString("probe.lab.test."));
            assertThat(q.getQuestion().getType()).isEqualTo(Type.AAAA);
            assertThat(q.getHeader().getFlag(Flags.RD)).isTrue();
        });
        assertThat(seen.stream().map(q -> q.getHeader().getID()).distinct().count())
                .as("ids of 20 queries (a collision among 20 has a chance of 0.3 %)").isGreaterThan(18);
    }

    @Test
    void nxdomainAndServfailAreRepliesWithTheirRcode() throws Exception {
        DnsProbe probe = probe((q, from, s) -> s.send(answer(q, Rcode.NXDOMAIN), from));
        Reply r = (Reply) run(probe, loop);
        assertThat(r.code()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.detail()).startsWith("NXDOMAIN");
        server.behaviour((q, from, s) -> s.send(answer(q, Rcode.SERVFAIL), from));
        assertThat(((Reply) run(probe, loop)).code()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void aDelayedAnswerTakesAtLeastTheDelay() throws Exception {
        DnsProbe probe = probe((q, from, s) -> s.sendLater(answer(q, Rcode.NOERROR), from, 150));
        Reply r = (Reply) run(probe, loop);
        assertThat(r.rttNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150))
                .isLessThan(LIVENESS.toNanos());
    }

    @Test
    void noAnswerIsATimeout() throws Exception {
        DnsProbe probe = probe((q, from, s) -> {});
        Failure f = (Failure) run(probe, loop);
        assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(f.elapsedNanos()).isGreaterThanOrEqualTo(TIMEOUT.toNanos()).isLessThan(LIVENESS.toNanos());
        assertThat(server.queries.get()).as("one query, no retry").isEqualTo(1);
    }

    @Test
    void answersWithAnotherIdOrQuestionAreIgnored() throws Exception {
        DnsProbe probe = probe((q, from, s) -> {
            Message wrongId = answer(q, Rcode.NOERROR);
            wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
            s.send(wrongId, from);
            Message wrongName = answer(q, Rcode.NOERROR);
            wrongName.removeAllRecords(Section.QUESTION);
            wrongName.addRecord(Record.newRecord(Name.fromString("other.lab.test."), Type.A, DClass.IN),
                    Section.QUESTION);
            s.send(wrongName, from);
            Message notAnAnswer = answer(q, Rcode.NOERROR);
            notAnAnswer.getHeader().unsetFlag(Flags.QR);
            s.send(notAnAnswer, from);
            s.send(new byte[] {1, 2, 3}, from);
        });
        Failure f = (Failure) run(probe, loop);
        assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(f.detail()).contains("4 datagrams not matching the query ignored");
    }

    @Test
    void aForgedAnswerFirstDoesNotStopTheRealOne() throws Exception {
        DnsProbe probe = probe((q, from, s) -> {
            Message forged = answer(q, Rcode.NXDOMAIN);
            forged.getHeader().setID((q.getHeader().getID() ^ 0x5a5a) & 0xffff);
            s.send(forged, from);
            s.sendLater(answer(q, Rcode.NOERROR), from, 50);
        });
        Reply r = (Reply) run(probe, loop);
        assertThat(r.code()).isEqualTo(Rcode.NOERROR);
        assertThat(r.rttNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void garbageWithTheQueryIdIsMalformed() throws Exception {
        DnsProbe probe = probe((q, from, s) -> {
            int id = q.getHeader().getID();
            // a header claiming one question, then nothing
            s.send(new byte[] {(byte) (id >>> 8), (byte) id, (byte) 0x81, (byte) 0x80, 0, 1, 0, 0, 0, 0, 0, 0}, from);
        });
        Failure f = (Failure) run(probe, loop);
        assertThat(f.kind()).isEqualTo(FailureKind.MALFORMED);
    }

    @Test
    void aClosedPortIsRefused() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        DnsProbe probe = new DnsProbe(loop, DnsProbe.Config.a(closed, NAME, TIMEOUT));
        Failure f = (Failure) run(probe, loop);
        assertThat(f.kind()).as(f.detail()).isEqualTo(FailureKind.REFUSED); // the ICMP error, not the timeout
        assertThat(f.elapsedNanos()).isLessThan(LIVENESS.toNanos());
    }

    @Test
    void aThousandConcurrentProbesUseNoMoreThreads() throws Exception {
        DnsProbe warm = probe((q, from, s) -> s.send(answer(q, Rcode.NOERROR), from));
        run(warm, loop); // warm up: classes loaded, the loop's thread running
        // the server holds every answer until the test has looked, so that all 1,000 are in flight at
        // once whatever the machine's speed; their timeout only bounds a hang
        java.util.Queue<Runnable> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
        server.behaviour((q, from, s) -> held.add(() -> {
            try {
                s.send(answer(q, Rcode.NOERROR), from);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        DnsProbe probe = new DnsProbe(loop, DnsProbe.Config.a(server.address(), NAME, Duration.ofSeconds(30)));
        int before = Outcomes.liveThreads();
        long startedBefore = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        Outcomes o = new Outcomes(loop, 1000);
        // a hundred at a time: a burst of 1,000 overflows the test server's receive buffer (about 270 datagrams at
        // the default 208 KB) whenever its thread is slow to read, and a query dropped there never comes back
        for (int i = 0; i < 1000; i++) {
            assertThat(probe.start(i, o)).isTrue();
            int queued = i + 1;
            if (queued % 100 == 0) {
                io.pathprobe.core.internal.sim.RealTimeTracers.await(() -> held.size() == queued,
                        queued + " queries at the server");
            }
        }
        int during = Outcomes.liveThreads();
        int inFlight = loop.admitted();
        long released = System.nanoTime();
        held.forEach(Runnable::run);
        List<ProbeOutcome> all = o.await(20);
        int after = Outcomes.liveThreads();
        long started = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount()
                - startedBefore;

        assertThat(inFlight).as("probes in flight at once").isEqualTo(1000);
        assertThat(all).hasSize(1000).allSatisfy(out -> {
            assertThat(out).isInstanceOf(Reply.class);
            Reply r = (Reply) out;
            assertThat(r.sentNanos() + r.rttNanos()).as("no answer arrives before it is sent").isGreaterThanOrEqualTo(released);
        });
        assertThat(during).as("threads during (before: %d)", before).isLessThanOrEqualTo(before + 1);
        assertThat(after).as("threads after (before: %d)", before).isLessThanOrEqualTo(before + 1);
        assertThat(started).as("threads started by 1,000 probes").isLessThanOrEqualTo(1);
        assertThat(Outcomes.appProbeThreads()).isEqualTo(1);
        assertThat(o.calls()).isEqualTo(1000);
        assertThat(loop.admitted()).isZero();
    }

    @Test
    void theLoopRefusesProbesBeyondItsLimit() throws Exception {
        try (AppProbeLoop small = new AppProbeLoop(3)) {
            server = new TestDnsServer((q, from, s) -> {});
            DnsProbe probe = new DnsProbe(small, DnsProbe.Config.a(server.address(), NAME, TIMEOUT));
            Outcomes o = new Outcomes(small, 3);
            for (int i = 0; i < 3; i++) {
                assertThat(probe.start(i, o)).isTrue();
            }
            assertThat(probe.start(3, o)).as("the fourth in flight").isFalse();
            assertThat(o.await(10)).hasSize(3);
            Thread.sleep(50); // admission is released just before the callback
            assertThat(probe.start(4, new Outcomes(small, 1))).as("room again").isTrue();
        }
    }
}
