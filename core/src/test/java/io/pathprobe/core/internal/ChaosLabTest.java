package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.PacketCapture;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.lab.middlebox.HostileRouter;
import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chaos suite (issue 11, hardening): trace (ICMP), ping (ICMP) and multipath discovery (UDP)
 * through a 5-hop lab while {@link Chaos} injects one fault at a time: random loss of 10, 30 and 60 %
 * at router 2, every answer duplicated, answers reordered, kernel ICMP rate limits at router 2, a
 * hostile router 1 forging wrong answers to every probe, a routing loop and a link removed while the
 * measurement runs. Every measurement runs under tcpdump on the host's interface, and every test
 * asserts the same invariants:
 * <ul>
 *   <li>no answer attributed to the wrong probe: every answered probe (hop, ping probe, multipath
 *       node) is backed by a captured answer, with a right checksum, from that address, that quotes
 *       (or, for an echo reply, carries) the identifiers of a probe sent with that TTL before it
 *       arrived; no more answered probes per (TTL, address) than such distinct probes
 *       ({@link ChaosEvidence}); nothing attributed to the forger's addresses (its seven kinds, the
 *       rewritten probe number of issue 21 included; every transport: {@link ForgedQuoteLabTest});</li>
 *   <li>accounting that adds up: sent = received + lost + abandoned (pending) at every hop, in the
 *       ping statistics and on every multipath path; probes counted = probes on the wire;</li>
 *   <li>no hang: the result is there within the deadline plus a grace;</li>
 *   <li>a truthful status: destination reached only with a captured answer from it; a routing loop
 *       or a link down mid-measurement gives a partial result that says so.</li>
 * </ul>
 * Per scenario it prints what was injected (drops, copies, delayed packets, suppressed ICMP, forged
 * packets, errors after the change) and how many answers were attributed wrongly (asserted 0). One
 * more test ends all three by their deadline while probes are pending.
 */
@LabTest
@TestMethodOrder(MethodOrderer.MethodName.class)
class ChaosLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(5).icmpUnlimited("faults are injected one at a time and counted probe for probe").inCurrentNamespace());

    /** The deadline every measurement is given, and the grace after it before it counts as hung. */
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int ROUTER = 2;
    private static final int CUT = 3;
    private static final List<String> REPORT = Collections.synchronizedList(new ArrayList<>());

    enum Fault { LOSS_10, LOSS_30, LOSS_60, DUPLICATE, REORDER, RATE_LIMIT, HOSTILE, ROUTE_CHANGE, LINK_DOWN }

    private static Lab lab() {
        return LAB.lab();
    }

    @AfterAll
    static void report() {
        System.out.println("chaos suite: measurement fault | status | injected | attributed wrongly");
        REPORT.forEach(System.out::println);
    }

    /** What a fault put in, read after the measurement. */
    private record Injection(Chaos chaos, Fault fault, Optional<HostileRouter> hostile) {
        boolean midMeasurement() {
            return fault == Fault.ROUTE_CHANGE || fault == Fault.LINK_DOWN;
        }

        /** Applies the mid-measurement change (the others are in place before the measurement starts). */
        void change() {
            if (fault == Fault.ROUTE_CHANGE) {
                // router CUT sends the destination's traffic back to router CUT-1, which sends it forward: a loop
                chaos.replaceRoute(CUT, "198.19.0.0/16 via " + previousRouterDownlink().getHostAddress());
            } else if (fault == Fault.LINK_DOWN) {
                chaos.linkDown(CUT);
            }
        }

        String injected(ChaosEvidence e) {
            return switch (fault) {
                case LOSS_10, LOSS_30, LOSS_60 -> chaos.lost() + " dropped";
                case DUPLICATE -> chaos.duplicated() + " duplicated";
                case REORDER -> chaos.delayed() + " delayed, " + e.reordered() + " answers overtaken";
                case RATE_LIMIT -> chaos.rateLimited() + " ICMP suppressed";
                case HOSTILE -> hostile.orElseThrow().forged().size() + " forged (" + forgedByKind() + ")";
                case ROUTE_CHANGE, LINK_DOWN -> changeErrors(e) + " errors after the change";
            };
        }

        /** The answers the change caused: network unreachable (link down), Time Exceeded from the loop for probes beyond it. */
        long changeErrors(ChaosEvidence e) {
            return fault == Fault.LINK_DOWN ? e.answers().stream().filter(a -> a.icmpType().orElse(-1) == 3).count()
                    : e.answers().stream().filter(a -> a.icmpType().orElse(-1) == 11 && e.probes().stream()
                            .anyMatch(p -> p.ttl() > CUT && !a.time().isBefore(p.time()) && ChaosEvidence.answers(a, p)))
                            .count();
        }

        private String forgedByKind() {
            return hostile.orElseThrow().forged().stream()
                    .collect(Collectors.groupingBy(HostileRouter.Forged::kind, TreeMap::new, Collectors.counting()))
                    .toString();
        }
    }

    /** Router CUT-1's address on the link toward router CUT: one below router CUT's (the link's .1 and .2). */
    private static InetAddress previousRouterDownlink() {
        byte[] b = lab().expectedResponder(CUT).orElseThrow().getAddress();
        b[3]--;
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Injection inject(Chaos chaos, Fault fault) {
        HostileRouter hostile = null;
        switch (fault) {
            case LOSS_10 -> chaos.loss(ROUTER, 10);
            case LOSS_30 -> chaos.loss(ROUTER, 30);
            case LOSS_60 -> chaos.loss(ROUTER, 60);
            case DUPLICATE -> chaos.duplicateReplies();
            case REORDER -> chaos.reorderReplies(50, 8_000);
            case RATE_LIMIT -> chaos.icmpRateLimit(ROUTER, Duration.ofMillis(1000), 1, 1);
            case HOSTILE -> hostile = chaos.hostileRouter(1, "1234567");
            default -> { }
        }
        return new Injection(chaos, fault, Optional.ofNullable(hostile));
    }

    /** Waits for the measurement, failing if it is not done by its deadline plus the grace. */
    private static <T> T awaitNoHang(CompletableFuture<T> result, String what) throws Exception {
        try {
            return result.get(DEADLINE.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            return fail(what + " hung: no result " + GRACE.toSeconds() + " s after its " + DEADLINE.toSeconds() + " s deadline");
        }
    }

    /** Runs the measurement under tcpdump on the host's interface, with the fault, and its change once {@code started} completes. */
    private static <T> Run<T> run(Fault fault, Function<CompletableFuture<Void>, CompletableFuture<T>> measurement)
            throws Exception {
        List<Object> out = new ArrayList<>();
        try (Chaos chaos = Chaos.on(lab())) {
            Injection injection = inject(chaos, fault);
            PacketCapture.Capture capture = PacketCapture.during(lab(), 0, lab().hostInterface(), "icmp or udp or tcp", () -> {
                CompletableFuture<Void> started = new CompletableFuture<>();
                CompletableFuture<T> result = measurement.apply(started);
                if (injection.midMeasurement()) {
                    // the change happens while the measurement runs: after its first answer, before its end
                    CompletableFuture.anyOf(started, result).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(result).as("the measurement must still run when the change comes").isNotDone();
                    injection.change();
                }
                out.add(awaitNoHang(result, fault.toString()));
            });
            injection.hostile().ifPresent(HostileRouter::close);
            ChaosEvidence evidence = new ChaosEvidence(capture.packets(), lab().hostAddress());
            @SuppressWarnings("unchecked")
            T value = (T) out.get(0);
            return new Run<>(value, evidence, injection.injected(evidence), injection.hostile().map(HostileRouter::forged)
                    .orElse(List.of()), injection.midMeasurement() ? injection.changeErrors(evidence) : 0);
        }
    }

    private record Run<T>(T result, ChaosEvidence evidence, String injected, List<HostileRouter.Forged> forged,
            long changeErrors) {}

    /**
     * When router 4 drops everything it forwards (the destination never answers), a deadline shorter
     * than the probe timeout ends each of the three measurements on time with DEADLINE status and
     * consistent counters (pending probes included): no hang, no result that claims to be complete.
     */
    @org.junit.jupiter.api.Test
    void deadlineEndsEachMeasurementWhileProbesArePending() throws Exception {
        Duration deadline = Duration.ofMillis(800);
        try (Chaos chaos = Chaos.on(lab()); PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            // the transports opened first (a cold open can take most of a short deadline: the trace would end
            // DEADLINE_EXCEEDED before it began, with no hops, which is true but tests nothing here)
            tracer.trace(TraceRequest.builder(lab().destination()).protocol(ProbeProtocol.ICMP).maxTtl(1).build());
            tracer.measure(MultipathRequest.builder(lab().destination()).maxTtl(1).pathProbes(0).build());
            chaos.loss(lab().hops() - 1, 100);
            // a probe timeout beyond the deadline: lost probes are still pending when it comes
            List<TraceResult> traced = new ArrayList<>();
            PacketCapture.Capture capture = PacketCapture.during(lab(), 0, lab().hostInterface(), "icmp", () -> traced.add(
                    awaitNoHang(tracer.traceAsync(TraceRequest.builder(lab().destination()).protocol(ProbeProtocol.ICMP)
                            .maxTtl(10).probesPerTtl(3).probeTimeout(Duration.ofSeconds(5)).adaptiveWait(false)
                            .deadline(deadline).build()), "trace")));
            TraceResult t = traced.get(0);
            int[] attribution = traceAttribution(t, new ChaosEvidence(capture.packets(), lab().hostAddress()));
            System.out.println("deadline: " + t);
            assertThat(t.status()).isEqualTo(TraceStatus.DEADLINE_EXCEEDED);
            assertThat(t.hops()).as("it ran: the deadline came while probes were pending").isNotEmpty();
            for (Hop h : t.hops()) {
                assertThat(h.statistics().sent()).isEqualTo(h.statistics().received() + h.statistics().lost()
                        + h.statistics().abandoned() + h.statistics().rateLimited());
            }
            PingResult p = awaitNoHang(tracer.start(PingRequest.builder().target(lab().destination()).kind(PingKind.ICMP)
                    .untilCancelled().interval(Duration.ofMillis(20)).probeTimeout(Duration.ofSeconds(5)).deadline(deadline)
                    .build()).result(), "ping");
            PingStatistics s = p.first().statistics();
            assertThat(p.status()).isEqualTo(PingStatus.DEADLINE_EXCEEDED);
            assertThat(s.sent()).isPositive().isEqualTo(s.received() + s.lost() + s.pending());
            assertThat(s.received()).isZero();
            assertThat(s.pending()).as("the probes of the last 5 s are pending when the deadline comes").isPositive();
            // path probes every 50 ms, 50 of them: seconds of work for an 800 ms deadline
            MultipathResult m = awaitNoHang(tracer.measureAsync(MultipathRequest.builder(lab().destination()).maxTtl(10)
                    .probeTimeout(Duration.ofSeconds(5)).pathProbes(50).pathInterval(Duration.ofMillis(50)).deadline(deadline)
                    .build()), "multipath");
            assertThat(m.status()).isEqualTo(MultipathStatus.DEADLINE_EXCEEDED);
            for (MultipathPath path : m.paths()) {
                for (PathHop h : path.hops()) {
                    assertThat(h.statistics().sent()).isEqualTo(h.statistics().received() + h.statistics().lost()
                            + h.statistics().abandoned() + h.statistics().rateLimited());
                }
            }
            REPORT.add(String.format(Locale.ROOT, "deadline 800 ms, 100 %% loss at router 4 | trace %s in %d ms, ping %s in %d ms "
                    + "(%d sent, %d pending), multipath %s in %d ms | %d dropped | trace %d", t.status(), t.duration().toMillis(),
                    p.status(), p.duration().toMillis(), s.sent(), s.pending(), m.status(), m.duration().toMillis(), chaos.lost(),
                    attribution[0]));
            assertThat(attribution[0]).as("trace answers attributed to the wrong probe").isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // trace

    @ParameterizedTest
    @EnumSource(Fault.class)
    void trace(Fault fault) throws Exception {
        boolean mid = fault == Fault.ROUTE_CHANGE || fault == Fault.LINK_DOWN;
        Run<TraceResult> run;
        // mid-measurement changes need a trace slow enough to change under it: 40 probes/s
        try (PathTracer tracer = (mid ? PathTracer.builder().packetsPerSecond(40).burst(1)
                : PathTracer.builder().packetsPerSecond(0)).offline().build()) {
            run = run(fault, started -> tracer.traceAsync(TraceRequest.builder(lab().destination())
                    .protocol(ProbeProtocol.ICMP).maxTtl(10).probeTimeout(Duration.ofMillis(fault == Fault.REORDER ? 3000 : 500))
                    // reordered answers wait tens of ms in the slow class, against RTTs of 20 µs: adaptive wait (10 times
                    // a later hop's RTT, Linux traceroute's rule) would give them up, and the destination's TTL-5 probes
                    // with them (seen: destination "at TTL 6"); here they are waited for up to the probe timeout
                    .adaptiveWait(fault != Fault.REORDER)
                    .deadline(DEADLINE).listener(new TraceListener() {
                        @Override
                        public void probeCompleted(ProbeResult probe) {
                            if (probe.answered()) {
                                started.complete(null);
                            }
                        }
                    }).build()));
        }
        TraceResult r = run.result();
        ChaosEvidence e = run.evidence();
        System.out.println(fault + ": " + r);

        // accounting: at every hop sent = received + lost + abandoned + rate-limited, matching the probes'
        // outcomes; probes = wire
        int sent = 0;
        for (Hop h : r.hops()) {
            HopStatistics s = h.statistics();
            assertThat(s.sent()).as("hop %d: sent = received + lost + abandoned + rate-limited", h.ttl())
                    .isEqualTo(s.received() + s.lost() + s.abandoned() + s.rateLimited());
            assertThat(s.rateLimited()).as("hop %d rate-limited", h.ttl())
                    .isEqualTo(count(h, p -> p.status() == ProbeStatus.RATE_LIMITED));
            assertThat(s.received()).as("hop %d received", h.ttl()).isEqualTo(count(h, ProbeResult::answered));
            assertThat(s.lost()).as("hop %d lost", h.ttl()).isEqualTo(count(h, p -> p.status() == ProbeStatus.TIMEOUT));
            assertThat(s.sent()).as("hop %d sent", h.ttl()).isEqualTo(count(h, p -> p.status() != ProbeStatus.SEND_FAILED));
            sent += s.sent();
        }
        // the hops beyond the end of the path are left out of the result, with the probes sent to them
        int lastTtl = r.hops().isEmpty() ? 0 : r.hops().get(r.hops().size() - 1).ttl();
        long beyond = e.probes().stream().filter(p -> p.ttl() > lastTtl).count();
        if (sent != e.probes().size() - beyond) {
            System.out.println("wire probes (ttl/seq): " + e.probes().stream().map(p -> p.ttl() + "/"
                    + (((p.firstTransportBytes()[6] & 0xff) << 8) | (p.firstTransportBytes()[7] & 0xff))).toList());
        }
        assertThat(sent).as("probes counted = echo requests on the wire up to the last hop").isEqualTo(e.probes().size() - beyond);

        // attribution
        int[] attribution = traceAttribution(r, e);
        int wrong = attribution[0];
        int forgedAttributed = attribution[1];

        // truthful status
        boolean destinationAnswered = !e.echoReplySequences(lab().destination()).isEmpty();
        if (r.status() == TraceStatus.DESTINATION_REACHED || r.destinationReached()) {
            assertThat(destinationAnswered).as("destination reached needs an echo reply from it").isTrue();
            if (!fault.name().startsWith("LOSS")) { // under loss every probe to TTL 5 may be lost, and TTL 6 reach it
                assertThat(r.destinationHop().orElseThrow().ttl()).isEqualTo(lab().hops());
            }
        }
        switch (fault) {
            case ROUTE_CHANGE, LINK_DOWN -> {
                assertThat(run.changeErrors()).as("the change came while the trace ran").isPositive();
                if (!destinationAnswered) {
                    assertThat(r.destinationReached()).isFalse();
                    assertThat(r.status()).as("a trace whose path broke").isEqualTo(
                            fault == Fault.LINK_DOWN ? TraceStatus.UNREACHABLE : TraceStatus.MAX_HOPS_EXCEEDED);
                }
            }
            default -> {
                // forged answers may not end a trace, and loss of 60 % in 3 attempts still reaches it (p = 0.78^... per round)
                if (fault != Fault.LOSS_60) {
                    assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
                }
                assertThat(r.status()).isIn(TraceStatus.DESTINATION_REACHED, TraceStatus.MAX_HOPS_EXCEEDED);
            }
        }
        checkForged(run, forgedAttributed);
        // a dropped probe whose round went on, at a router whose budget may have been spent, is rate-limited:
        // no loss claimed without the evidence (issue 47); it is still accounted for
        checkLoss(fault, run, r.hops().stream().mapToInt(h -> h.statistics().lost()).sum(),
                r.hops().stream().mapToInt(h -> h.statistics().abandoned() + h.statistics().rateLimited()).sum() + beyond);
        if (fault == Fault.RATE_LIMIT) {
            HopStatistics s = r.hop(ROUTER).orElseThrow().statistics();
            assertThat(s.backwardLost()).as("rate-limited answers are backward losses").isEqualTo(s.lost());
        }
        REPORT.add(String.format(Locale.ROOT, "trace %s | %s, %d probes (+%d beyond the last hop) | %s | %d (forged attributed: %d; %d corrupt answers ignored)",
                fault, r.status(), sent, beyond, run.injected(), wrong, forgedAttributed, e.corruptAnswers()));
        assertThat(wrong).as("answers attributed to the wrong probe").isZero();
    }

    /** Answered probes of a trace not backed by the capture, and answered probes attributed to a forged address. */
    private static int[] traceAttribution(TraceResult r, ChaosEvidence e) {
        int wrong = 0;
        int forgedAttributed = 0;
        for (Hop h : r.hops()) {
            Map<InetAddress, Long> answered = h.probes().stream().filter(ProbeResult::answered)
                    .collect(Collectors.groupingBy(p -> p.responder().orElseThrow(), Collectors.counting()));
            for (Map.Entry<InetAddress, Long> a : answered.entrySet()) {
                int backed = e.answeredProbes(h.ttl(), a.getKey()).size();
                wrong += (int) Math.max(0, a.getValue() - backed);
                if (isForged(a.getKey())) {
                    forgedAttributed += a.getValue().intValue();
                }
            }
        }
        return new int[] {wrong, forgedAttributed};
    }

    private static int count(Hop h, java.util.function.Predicate<ProbeResult> p) {
        return (int) h.probes().stream().filter(p).count();
    }

    private static boolean isForged(InetAddress a) {
        return a.getHostAddress().startsWith(HostileRouter.PREFIX + ".");
    }

    /**
     * No forgery is ever attributed (issue 21): kinds 1, 3, 4 and 5 quote nothing any probe was; kind 2
     * (the next probe's number, IP ID + 1) and kind 6 (the previous probe's number, the rest as sent,
     * checksum included) in 28 bytes disagree with the IP ID the raw transports key per session; kind 7
     * (the same, quoted whole) with the compensation word and the checksum over the quoted bytes.
     */
    private static void checkForged(Run<?> run, int forgedAttributed) {
        if (run.forged().isEmpty()) {
            return;
        }
        assertThat(run.forged()).extracting(HostileRouter.Forged::kind).contains(1, 2, 3, 4, 5, 6, 7);
        assertThat(forgedAttributed).as("forged answers attributed").isZero();
    }

    /** Under loss every lost probe was dropped, and every dropped probe is lost, abandoned or (trace) rate-limited. */
    private static void checkLoss(Fault fault, Run<?> run, long lost, long abandoned) {
        if (fault != Fault.LOSS_10 && fault != Fault.LOSS_30 && fault != Fault.LOSS_60) {
            return;
        }
        long dropped = Long.parseLong(run.injected().split(" ")[0]);
        assertThat(lost).as("lost probes <= dropped").isLessThanOrEqualTo(dropped);
        assertThat(lost + abandoned).as("dropped <= lost + abandoned (+ rate-limited, + probes beyond the last hop)")
                .isGreaterThanOrEqualTo(dropped);
    }

    // ---------------------------------------------------------------------------------------------
    // ping

    @ParameterizedTest
    @EnumSource(Fault.class)
    void ping(Fault fault) throws Exception {
        int count = 50;
        // with the rate limit the probes expire at the rate-limited router: its Time Exceeded are the answers
        int ttl = fault == Fault.RATE_LIMIT ? ROUTER : 64;
        Run<PingResult> run;
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            AtomicInteger received = new AtomicInteger();
            run = run(fault, started -> tracer.start(PingRequest.builder().target(lab().destination())
                    .kind(PingKind.ICMP).count(count).interval(Duration.ofMillis(20)).ttl(ttl)
                    .probeTimeout(Duration.ofMillis(3000)).deadline(DEADLINE).listener(new PingListener() {
                        @Override
                        public void probeCompleted(int index, String target, PingProbe probe) {
                            if (probe.received() && received.incrementAndGet() == 10) {
                                started.complete(null);
                            }
                        }
                    }).build()).result());
        }
        PingResult r = run.result();
        ChaosEvidence e = run.evidence();
        PingStatistics s = r.first().statistics();
        System.out.println(fault + ": " + s);

        // accounting
        assertThat(r.status()).isEqualTo(PingStatus.COMPLETED);
        assertThat(s.sent()).isEqualTo(count).isEqualTo(e.probes().size());
        assertThat(s.sent()).as("sent = received + lost + pending").isEqualTo(s.received() + s.lost() + s.pending());
        assertThat(s.pending()).isZero();
        assertThat(s.late()).isLessThanOrEqualTo(s.lost());

        // attribution: every decided probe against the capture
        int wrong = 0;
        int forgedAttributed = 0;
        List<PingProbe> probes = r.first().recent();
        assertThat(probes).hasSize(count);
        for (PingProbe p : probes) {
            int wire = (int) (p.sequence() % 65536);
            if (p.status() == ProbeStatus.REPLY || p.status() == ProbeStatus.UNREACHABLE) {
                InetAddress from = p.responder().orElseThrow();
                if (!e.answersSequence(from, wire, p.status() == ProbeStatus.REPLY)) {
                    wrong++;
                }
                if (isForged(from)) {
                    forgedAttributed++;
                }
            }
        }
        // truthful: received is exactly the distinct echo replies from the destination on the wire
        // truthful: received + late is exactly the distinct echo replies from the destination on the wire (a reply
        // is late when it came after the timeout, or after an error that quoted its probe and decided it first)
        assertThat(s.received() + s.late()).as("received + late = distinct echo replies captured")
                .isEqualTo(e.echoReplySequences(lab().destination()).size());
        assertThat(s.errors()).as("errors = probes an error decided").isEqualTo(
                probes.stream().filter(p -> p.status() == ProbeStatus.UNREACHABLE).count());
        long copies = e.echoReplies(lab().destination()) - e.echoReplySequences(lab().destination()).size();
        assertThat(s.duplicates()).as("duplicates = extra copies captured").isBetween(Math.max(0, copies - 1), copies);
        switch (fault) {
            case DUPLICATE -> assertThat(s.duplicates()).isGreaterThanOrEqualTo(count - 1);
            case RATE_LIMIT -> {
                assertThat(s.received()).isZero();
                assertThat(s.lost()).isEqualTo(count);
                assertThat(s.errors()).as("Time Exceeded that got through").isEqualTo(e.errorsFrom(lab().expectedResponder(ROUTER).orElseThrow()));
            }
            case ROUTE_CHANGE, LINK_DOWN -> {
                assertThat(s.received()).isGreaterThanOrEqualTo(10).isLessThan(count);
                assertThat(s.errors()).as("errors once the path broke").isPositive();
            }
            case HOSTILE -> {
                // A Time Exceeded quoting the next probe's 8 bytes exactly (kind 2: under Paris every probe has the
                // flow's checksum) once decided that probe when the forger, delayed by a busy machine, answered after
                // it left (3 of 250 once): the IP ID keyed per session now tells it apart. No error may count.
                assertThat(s.errors()).as("errors from forged quotes").isEqualTo(forgedAttributed).isZero();
                assertThat(s.received() + s.late()).isEqualTo(count);
            }
            default -> { }
        }
        checkForged(run, forgedAttributed);
        checkLoss(fault, run, s.lost(), s.pending());
        REPORT.add(String.format(Locale.ROOT, "ping %s | %s, %d/%d received, %d dup, %d errors | %s | %d (forged attributed: %d)",
                fault, r.status(), s.received(), s.sent(), s.duplicates(), s.errors(), run.injected(), wrong, forgedAttributed));
        assertThat(wrong).as("answers attributed to the wrong probe").isZero();
    }

    // ---------------------------------------------------------------------------------------------
    // multipath

    @ParameterizedTest
    @EnumSource(Fault.class)
    void multipath(Fault fault) throws Exception {
        boolean mid = fault == Fault.ROUTE_CHANGE || fault == Fault.LINK_DOWN;
        Run<MultipathResult> run;
        try (PathTracer tracer = (mid ? PathTracer.builder().packetsPerSecond(100).burst(1)
                : PathTracer.builder().packetsPerSecond(0)).offline().build()) {
            run = run(fault, started -> tracer.measureAsync(MultipathRequest.builder(lab().destination())
                    .maxTtl(10).pathProbes(3).pathInterval(Duration.ofMillis(5))
                    .probeTimeout(Duration.ofMillis(fault == Fault.REORDER ? 3000 : 500))
                    .deadline(DEADLINE).listener(new MultipathListener() {
                        @Override
                        public void nodeFound(MultipathNode node) {
                            if (!node.silent()) {
                                started.complete(null);
                            }
                        }
                    }).build()));
        }
        MultipathResult r = run.result();
        ChaosEvidence e = run.evidence();
        System.out.printf(Locale.ROOT, "%s: %s, %d probes, destination reached %s, nodes %s, notes %s%n", fault, r.status(),
                r.probes(), r.destinationReached(), r.nodes().stream().map(n -> n.ttl() + ":" + n.address().map(
                        InetAddress::getHostAddress).orElse("*") + "x" + n.replies()).toList(), r.notes());

        // accounting
        if (r.probes() != e.probes().size()) {
            System.out.println(r.transport() + " wire probes (ttl/dport/checksum/ipid): " + e.probes().stream().map(p -> p.ttl() + "/"
                    + p.destinationPort().orElse(-1) + "/" + p.transportChecksum().orElse(-1) + "/" + p.ipId().orElse(-1)).toList()
                    + "; paths " + r.paths());
        }
        assertThat(r.probes()).as("probes counted = probes on the wire").isEqualTo(e.probes().size());
        for (MultipathPath path : r.paths()) {
            for (PathHop h : path.hops()) {
                HopStatistics s = h.statistics();
                assertThat(s.sent()).as("path hop %d: sent = received + lost + abandoned + rate-limited", h.ttl())
                        .isEqualTo(s.received() + s.lost() + s.abandoned() + s.rateLimited());
            }
        }
        // attribution: every node is backed by answers to probes of its TTL, at least one per reply counted
        int wrong = 0;
        int forgedAttributed = 0;
        for (MultipathNode n : r.nodes()) {
            if (n.address().isEmpty()) {
                continue;
            }
            int backed = e.answeredProbes(n.ttl(), n.address().get()).size();
            if (backed == 0 || n.replies() > backed) {
                wrong += Math.max(1, n.replies() - backed);
            }
            if (isForged(n.address().get())) {
                forgedAttributed += n.replies();
            }
        }
        // truthful status
        if (r.destinationReached()) {
            assertThat(e.answers().stream().anyMatch(a -> a.source().equals(lab().destination())))
                    .as("destination reached needs an answer from it").isTrue();
        }
        switch (fault) {
            case ROUTE_CHANGE, LINK_DOWN -> {
                assertThat(run.changeErrors()).as("the change came while the discovery ran").isPositive();
                if (e.answers().stream().noneMatch(a -> a.source().equals(lab().destination()))) {
                    assertThat(r.destinationReached()).isFalse();
                }
            }
            default -> {
                if (fault == Fault.LOSS_60) {
                    // under 60 % loss each wave waits out its misses (500 ms each, lost or not yet known): on a busy
                    // machine the discovery may meet its deadline first (62 probes in 15 s on CI's run of
                    // 2026-11-28) and end with what it has, which the checks above and below hold for
                    assertThat(r.status()).isIn(MultipathStatus.COMPLETED, MultipathStatus.PROBE_BUDGET,
                            MultipathStatus.DEADLINE_EXCEEDED);
                } else {
                    assertThat(r.status()).isIn(MultipathStatus.COMPLETED, MultipathStatus.PROBE_BUDGET);
                    assertThat(r.destinationReached()).isTrue();
                }
                for (int ttl = 1; ttl <= lab().hops(); ttl++) {
                    int t = ttl;
                    assertThat(r.nodes().stream().filter(n -> n.ttl() == t && n.address().isPresent())
                            .map(n -> n.address().get())).as("TTL %d", t)
                            .allMatch(a -> a.equals(lab().expectedResponder(t).orElseThrow()) || isForged(a));
                }
            }
        }
        checkForged(run, forgedAttributed);
        REPORT.add(String.format(Locale.ROOT, "multipath %s | %s, destination %s, %d probes | %s | %d (forged attributed: %d)",
                fault, r.status(), r.destinationReached() ? "reached" : "not reached", r.probes(), run.injected(), wrong,
                forgedAttributed));
        assertThat(wrong).as("answers attributed to the wrong probe").isZero();
    }
}
