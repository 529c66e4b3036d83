package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.TraceJson;
import io.pathprobe.lab.middlebox.Chaos;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 47, items 6 and 7: the command line on routers that keep <b>Linux's default ICMP limits</b>
 * (the lab's default: per source, 6 errors back to back, then one a second; not
 * {@code icmpUnlimited}), as routers are. Each trace is a fresh {@code pathprobe trace --json}
 * process, so each starts knowing nothing of what the ones before it spent, as another tracer's or
 * another user's traces would leave the routers:
 * <ul>
 *   <li>{@value #TRACES} traces back to back, no pause between them (each process starts when the one
 *       before it exited), per protocol (ICMP, {@code -P udp}, {@code -P tcp}): no trace claims
 *       forward or backward loss at any hop (the path loses nothing), and every router shows an
 *       address in every trace (a limited router answers at least once a second: a trace that
 *       waits for its refill sees it, as traceroute does);</li>
 *   <li>one trace right after {@link Chaos#drainIcmpBudgets()} emptied every router's and the
 *       destination's bucket: the same.</li>
 * </ul>
 * A chain of {@value #HOPS} hops ({@value #HOPS} - 1 routers) keeps the run short; the benchmark
 * ({@code build/bench ratelimit}) runs the 28-router chain beside traceroute and mtr and owns every
 * time figure. Only liveness is bounded here (60 s a process). Each protocol gets a lab of its own,
 * so every run starts on full buckets.
 */
@LabTest
class CliBackToBackLabTest {
    static final int HOPS = 8;
    static final int TRACES = Integer.getInteger("pathprobe.backToBackTraces", 10);

    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.OFF);

    /** One fresh {@code pathprobe trace --json} process, as root. */
    private static Run trace(String destination, String protocol) {
        return CLI.run("trace", "--json", "-P", protocol, destination);
    }

    /** What is wrong with one trace's output ("" if nothing): unparseable, a loss claim, a router without an address. */
    private static String judge(String label, Run run, int hops) {
        TraceJson t;
        try {
            t = TraceJson.parse(run.out());
        } catch (RuntimeException e) {
            return label + ": exit " + run.exitCode() + ", no trace document (" + e.getMessage() + ")\nstdout: " + run.out()
                    + "\nstderr: " + run.err();
        }
        List<String> wrong = new ArrayList<>();
        t.hops().stream().filter(h -> h.lossClaimed() > 0).forEach(h -> wrong.add("loss claimed at " + h));
        List<Integer> silent = t.routersWithoutAddress(hops);
        if (!silent.isEmpty()) {
            wrong.add("routers without an address at TTL " + silent);
        }
        return wrong.isEmpty() ? "" : label + " (exit " + run.exitCode() + "): " + String.join("; ", wrong) + "\n" + t;
    }

    private static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.stream().sorted().toList().get((values.size() - 1) / 2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"icmp", "udp", "tcp"})
    void backToBackFreshTracesClaimNoLossAndShowEveryRouter(String protocol) throws Exception {
        try (Lab lab = Lab.chain(HOPS).inCurrentNamespace().build()) {
            String dest = lab.destination().getHostAddress();
            List<String> wrong = new ArrayList<>();
            int claims = 0;
            int routerTracesWithoutAddress = 0;
            int reached = 0;
            List<Double> processMs = new ArrayList<>();
            for (int i = 1; i <= TRACES; i++) {
                long t0 = System.nanoTime();
                Run run = trace(dest, protocol);
                processMs.add((System.nanoTime() - t0) / 1e6);
                String verdict = judge(protocol + " trace " + i + " of " + TRACES, run, lab.hops());
                try {
                    TraceJson t = TraceJson.parse(run.out());
                    claims += t.lossClaimed();
                    routerTracesWithoutAddress += t.routersWithoutAddress(lab.hops()).size();
                    reached += t.destinationReached() ? 1 : 0;
                } catch (RuntimeException unparseable) {
                    // judged above
                }
                if (!verdict.isEmpty()) {
                    wrong.add(verdict);
                }
            }
            String summary = String.format(Locale.ROOT, "%s: %d back-to-back CLI traces over %d routers with Linux's "
                    + "default limits: %d with something wrong, %d losses claimed, %d router-traces without an address, "
                    + "%d reached the destination, median process %.0f ms", protocol, TRACES, lab.hops() - 1, wrong.size(),
                    claims, routerTracesWithoutAddress, reached, median(processMs));
            System.out.println(summary);
            wrong.stream().limit(3).forEach(System.out::println);
            assertThat(wrong.size()).as("traces that claimed loss or showed a router without an address. %s%s", summary,
                    wrong.isEmpty() ? "" : "\nthe first of them: " + wrong.get(0)).isZero();
        }
    }

    /**
     * The unprivileged user's short path: a destination 4 hops away whose Port Unreachables another prober
     * keeps spending (a sender in this JVM, 50 a second to a closed port: Linux gives this host one a second),
     * traced with UDP as nobody, asked to confirm over TCP ({@code --tcp-confirm}). The trace cannot hear the
     * destination over UDP; a TCP probe to the same port number confirms it (no ICMP limit applies to a RST), the
     * result counts it and its note says what it showed, and nothing is claimed lost.
     */
    @org.junit.jupiter.api.Test
    void anUnprivilegedUdpTraceConfirmsADrainedDestinationOverTcp() throws Exception {
        try (Lab lab = Lab.chain(4).inCurrentNamespace().build();
                CliRuns.Nobody nobody = CliRuns.Nobody.start();
                java.net.DatagramSocket drainer = new java.net.DatagramSocket()) {
            java.util.concurrent.atomic.AtomicBoolean on = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread spender = new Thread(() -> {
                byte[] b = new byte[1];
                while (on.get()) {
                    try {
                        drainer.send(new java.net.DatagramPacket(b, 1, lab.destination(), 40000));
                        Thread.sleep(20);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            spender.start();
            Thread.sleep(300); // the destination's burst spent
            String out = CLI.asNobody(nobody, "trace", "--json", "-P", "udp", "--tcp-confirm",
                    lab.destination().getHostAddress()).out();
            on.set(false);
            spender.join();
            TraceJson t = TraceJson.parse(out);
            System.out.println("unprivileged UDP trace, the destination's Port Unreachables spent throughout: " + t);
            assertThat(t.destinationReached()).as(out).isTrue();
            assertThat(t.lossClaimed()).as(out).isZero();
            // the drainer is a thread of this JVM: on a starved machine it can pause past the kernel's refill, and a
            // Port Unreachable then reaches the trace, which needs no confirmation (seen once beside a CPU hog)
            org.junit.jupiter.api.Assumptions.assumeTrue(t.tcpConfirmations() > 0 || out.contains("(tcpConfirmation)"),
                    "the drain did not hold: the destination answered over UDP and nothing was confirmed");
            assertThat(out).contains("(tcpConfirmation) asked the destination", "it answered at TTL");
            assertThat(t.tcpConfirmations()).as(out).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"icmp", "udp", "tcp"})
    void aTraceRightAfterAnotherTracersBurstClaimsNoLossAndShowsEveryRouter(String protocol) throws Exception {
        try (Lab lab = Lab.chain(HOPS).inCurrentNamespace().build(); Chaos chaos = Chaos.on(lab)) {
            Chaos.IcmpDrain drain = chaos.drainIcmpBudgets();
            assertThat(drain.drained()).as("every bucket drained first: %s", drain).isTrue();
            Run run = trace(lab.destination().getHostAddress(), protocol);
            String verdict = judge(protocol + " trace after a drain (" + drain + ")", run, lab.hops());
            System.out.println(verdict.isEmpty() ? protocol + " trace after a drain: no loss claimed, every router shown"
                    : verdict);
            assertThat(verdict.isEmpty()).as("a loss claimed or a router without an address: %s", verdict).isTrue();
        }
    }
}
