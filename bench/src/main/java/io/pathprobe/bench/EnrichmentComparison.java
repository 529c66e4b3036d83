package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.lab.HomeHop;
import io.pathprobe.lab.HomeOption;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.lab.server.DnsServer;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * What enrichment costs a trace, in the home lab ({@link Lab#home}: NAT, CGNAT, ISP
 * AS 64500, transit AS 64501, destination AS 64510, silent ISP and transit hops) against its real
 * dnsmasq and coturn, in one run, interleaved:
 *
 * <ul>
 *   <li><b>plain</b>: a warm offline tracer (no lookups), and a new offline tracer per trace (what
 *       the cold case is compared with: a new tracer's first trace opens its transport);</li>
 *   <li><b>cold</b>: a new tracer per trace (empty caches) with the lab's DNS and STUN servers,
 *       {@code EnrichMode.AWAIT}: the trace's time (not building and closing the tracer, printed
 *       apart);</li>
 *   <li><b>warm</b>: one enriched tracer whose caches hold every answer; the DNS server's query log
 *       is read after each of its traces (outside the timing): it must stay empty;</li>
 *   <li><b>DNS round trip</b>: one PTR query to the lab's dnsmasq with dnsjava's
 *       {@code SimpleResolver} (warm), and two in a row (what an AS lookup is: origin, then the AS
 *       name);</li>
 *   <li><b>traceroute</b>: Debian's {@code traceroute -n -I} on the same lab, for reference.</li>
 *   <li><b>unreachable resolver</b>: the command line ({@code java -jar cli/target/pathprobe.jar trace}) on a host
 *       whose resolv.conf names a resolver with no route ({@value #NO_ROUTE_RESOLVER}; a mount namespace per run
 *       binds such a file over /etc/resolv.conf), with names, with {@code -n}, and {@code traceroute -I} with
 *       names, taking turns: whole processes, medians and their ratios ({@code RESULT part=unreachable}).</li>
 * </ul>
 * Each run is also checked: every answering hop of every enriched trace named as the lab serves it.
 * Prints p10 / median / p90 and the median of the paired differences (enriched − plain of the same
 * iteration).
 *
 * <p>Run as root from the root namespace: it re-runs itself under {@code unshare --net} (a private
 * namespace with loopback only) and there builds the lab in its own namespace
 * ({@code inCurrentNamespace()}), so the query log is in the same JVM. Nothing is sent outside the
 * lab: every tracer names the lab's servers or is offline. Arguments: {@code [iterations=50]
 * [warm-up=200]}.
 */
public final class EnrichmentComparison {
    private EnrichmentComparison() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 50;
        int warmUp = args.length > 1 && !args[0].startsWith("--") ? Integer.parseInt(args[1]) : 200;
        if (args.length > 0 && args[0].equals("--unshared")) {
            unshared(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        if (!Lab.inRootNetworkNamespace()) {
            unshared(iterations, warmUp);
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("unshare", "--net", "--", "sh", "-c",
                "ip link set lo up && exec \"$0\" \"$@\""));
        cmd.addAll(Lab.javaCommand(EnrichmentComparison.class, "--unshared", String.valueOf(iterations),
                String.valueOf(warmUp)));
        int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (rc != 0) {
            System.exit(rc);
        }
    }

    private static void unshared(int iterations, int warmUp) throws Exception {
        if (Lab.inRootNetworkNamespace()) {
            throw new IllegalStateException("refusing to probe from the root network namespace");
        }
        try (Lab lab = Lab.home(HomeOption.SILENT_ISP_HOP, HomeOption.SILENT_TRANSIT_HOP)
                .icmpUnlimited("lookups are compared, over many traces of one lab")
                .inCurrentNamespace().dnsServer().stunServer().build()) {
            run(lab, iterations, warmUp);
        }
    }

    private static TraceRequest request(Lab lab) {
        return TraceRequest.builder(lab.destination()).protocol(ProbeProtocol.ICMP).build();
    }

    private static PathTracer enriched(Lab lab) {
        return PathTracer.builder().packetsPerSecond(0).dnsServer(lab.dnsServer().orElseThrow())
                .stunServer(lab.stunServer().orElseThrow()).teamCymruAsnLookups().build();
    }

    /** Whether every answering hop is named as the lab serves it and the public address found. */
    private static boolean named(Lab lab, TraceResult r) {
        if (r.publicAddress().isEmpty() || !r.publicAddress().get().address().equals(lab.publicAddress())) {
            return false;
        }
        for (HomeHop h : lab.homeHops()) {
            Optional<Hop> hop = r.hop(h.ttl());
            if (hop.isEmpty() || hop.get().segment().name().equals(h.segment().name()) == false) {
                return false;
            }
            if (!h.silent() && (!hop.get().hostname().value().equals(Optional.of(h.hostname()))
                    || hop.get().responders().get(0).asn().status() == LookupStatus.PENDING)) {
                return false;
            }
        }
        return true;
    }

    private static long timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }

    private static void run(Lab lab, int iterations, int warmUp) throws Exception {
        InetAddress dest = lab.destination();
        DnsServer dns = lab.dns().orElseThrow();
        InetSocketAddress dnsAddress = lab.dnsServer().orElseThrow();
        System.out.printf(Locale.ROOT, "home lab: %s; DNS %s, STUN %s; %d iterations after %d warm-up traces%n", lab,
                dnsAddress, lab.stunServer().orElseThrow(), iterations, warmUp);
        SimpleResolver resolver = new SimpleResolver(dnsAddress);
        resolver.setTimeout(Duration.ofSeconds(2));
        Message ptr = Message.newQuery(Record.newRecord(Name.fromString("1.0.19.198.in-addr.arpa."), Type.PTR,
                DClass.IN));
        Message origin = Message.newQuery(Record.newRecord(Name.fromString("1.0.19.198.origin.asn.cymru.com."),
                Type.TXT,
                DClass.IN));
        Message asName = Message.newQuery(Record.newRecord(Name.fromString("AS64510.asn.cymru.com."), Type.TXT,
                DClass.IN));

        long[] plain = new long[iterations];
        long[] plainNew = new long[iterations];
        long[] cold = new long[iterations];
        long[] coldOpenClose = new long[iterations];
        long[] warm = new long[iterations];
        long[] rtt = new long[iterations];
        long[] rtt2 = new long[iterations];
        long[] traceroute = new long[iterations];
        int wrong = 0;
        long warmQueries = 0;
        int coldQueriesPerTrace = -1;
        try (PathTracer p = PathTracer.builder().packetsPerSecond(0).offline().build(); PathTracer w = enriched(lab)) {
            // warm-up: the engine, the enrichment code (cold tracers), dnsjava
            for (int i = 0; i < warmUp; i++) {
                p.trace(request(lab));
            }
            for (int i = 0; i < Math.max(10, warmUp / 10); i++) {
                try (PathTracer c = enriched(lab)) {
                    c.trace(request(lab));
                }
                resolver.send(ptr);
            }
            for (int i = 0; i < warmUp; i++) {
                w.trace(request(lab));
            }
            for (int i = 0; i < 5; i++) {
                Traceroute.trace(LabRuns.concat(Traceroute.USERS_WAIT, List.of("-I")), dest);
            }
            for (int i = 0; i < iterations; i++) {
                // the order rotates so that no contender always follows the same one
                for (int k = 0; k < 6; k++) {
                    switch ((i + k) % 6) {
                        case 0 -> plain[i] = timed(() -> check(p.trace(request(lab)).destinationReached()));
                        case 1 -> {
                            long t0 = System.nanoTime();
                            PathTracer c = enriched(lab);
                            long t1 = System.nanoTime();
                            TraceResult[] r = new TraceResult[1];
                            if (i == 0) {
                                dns.clearQueries();
                            }
                            cold[i] = timed(() -> r[0] = c.trace(request(lab)));
                            long t2 = System.nanoTime();
                            c.close();
                            coldOpenClose[i] = (t1 - t0) + (System.nanoTime() - t2);
                            if (i == 0) {
                                coldQueriesPerTrace = dns.queries().size();
                            }
                            wrong += named(lab, r[0]) ? 0 : 1;
                        }
                        case 2 -> {
                            dns.clearQueries();
                            TraceResult[] r = new TraceResult[1];
                            warm[i] = timed(() -> r[0] = w.trace(request(lab)));
                            warmQueries += dns.queries().size();
                            wrong += named(lab, r[0]) ? 0 : 1;
                        }
                        case 4 -> {
                            try (PathTracer c = PathTracer.builder().packetsPerSecond(0).offline().build()) {
                                plainNew[i] = timed(() -> check(c.trace(request(lab)).destinationReached()));
                            }
                        }
                        case 3 -> {
                            rtt[i] = timed(() -> check(rcode(resolver, ptr) == Rcode.NOERROR));
                            rtt2[i] = timed(() -> check(rcode(resolver, origin) == Rcode.NOERROR
                                    && rcode(resolver, asName) == Rcode.NOERROR));
                        }
                        default -> {
                            Traceroute.Result[] r = new Traceroute.Result[1];
                            traceroute[i] = timed(() -> r[0] = Traceroute.trace(LabRuns.concat(Traceroute.USERS_WAIT,
                                    List.of("-I")), dest));
                            check(r[0].path().equals(lab.expectedPath()));
                        }
                    }
                }
            }
            System.out.println("warm tracer statistics: " + w.stats().enrichment());
        }
        double[] d = paired(cold, plainNew);
        double[] dw = paired(warm, plain);
        System.out.printf(Locale.ROOT,
                "%nICMP traces through the home lab (7 hops, 2 silent); ms as p10 / median / p90%n");
        row("plain (offline tracer)", plain);
        row("plain, new offline tracer each time", plainNew);
        row("enriched, cold cache (new tracer)", cold);
        row("  its tracer's build + close", coldOpenClose);
        row("enriched, warm cache (same tracer)", warm);
        row("DNS round trip (1 PTR, dnsjava)", rtt);
        row("2 DNS round trips in a row", rtt2);
        row("traceroute -n -I (process)", traceroute);
        System.out.printf(Locale.ROOT,
                "cold - plain, both new tracers: %.2f ms (difference of medians), paired median %.2f ms, "
                + "p90 %.2f ms%n", (median(cold) - median(plainNew)) / 1e6, d[1], d[2]);
        System.out.printf(Locale.ROOT,
                "warm - plain: %.3f ms (difference of medians), paired median %.3f ms, p90 %.3f ms "
                + "(target <= 1 ms)%n", (median(warm) - median(plain)) / 1e6, dw[1], dw[2]);
        System.out.printf(Locale.ROOT, "DNS queries: %d per cold trace; %d in all during %d warm traces (target 0)%n",
                coldQueriesPerTrace, warmQueries, iterations);
        System.out.printf(Locale.ROOT, "enriched traces not named as the lab serves them: %d of %d%n",
                wrong, 2 * iterations);
        System.out.printf(Locale.ROOT,
                "RESULT plain=%.2f plainNew=%.2f cold=%.2f warm=%.2f coldMinusPlain=%.2f warmMinusPlain=%.3f "
                + "dnsRtt=%.3f dnsRtt2=%.3f traceroute=%.2f warmQueries=%d wrong=%d n=%d%n", median(plain) / 1e6,
                median(plainNew) / 1e6, median(cold) / 1e6, median(warm) / 1e6, d[1], dw[1],
                median(rtt) / 1e6, median(rtt2) / 1e6,
                median(traceroute) / 1e6, warmQueries, wrong, iterations);
        faults(lab, Math.max(3, Math.min(7, iterations / 10)));
        unreachableResolver(lab, Math.max(3, Math.min(11, iterations / 5)));
    }

    /**
     * Enrichment's failure paths, timed ({@code EnrichmentLabTest}'s DNS-down and STUN cases; the
     * lookup timeout 1 s): a trace by a new enriched tracer while dnsmasq is stopped against a plain
     * trace of the same turn, and the time until the path context is enriched (the
     * {@code contextEnriched} event) and the trace's time with the lab's junk and silent STUN
     * servers. Every trace must still reach the destination.
     */
    private static void faults(Lab lab, int reps) {
        Duration lookupTimeout = Duration.ofSeconds(1);
        DnsServer dns = lab.dns().orElseThrow();
        long[] plain = new long[reps];
        long[] down = new long[reps];
        String[] stunNames = {"junk", "silent"};
        InetSocketAddress[] stun = {lab.junkStunServer().orElseThrow(), lab.silentStunServer().orElseThrow()};
        long[][] context = new long[2][reps];
        long[][] stunTrace = new long[2][reps];
        try (PathTracer p = PathTracer.builder().packetsPerSecond(0).offline().build()) {
            p.trace(request(lab));
            for (int i = 0; i < reps; i++) {
                plain[i] = timed(() -> check(p.trace(request(lab)).destinationReached()));
                try (PathTracer t = PathTracer.builder().packetsPerSecond(0).dnsServer(lab.dnsServer().orElseThrow())
                        .teamCymruAsnLookups().lookupTimeout(lookupTimeout).build()) {
                    dns.stop();
                    try {
                        down[i] = timed(() -> check(t.trace(request(lab)).destinationReached()));
                    } finally {
                        dns.start();
                    }
                }
                for (int k = 0; k < 2; k++) {
                    long[] contextAt = {0};
                    try (PathTracer t = PathTracer.builder().packetsPerSecond(0)
                            .dnsServer(lab.dnsServer().orElseThrow())
                            .stunServer(stun[k]).teamCymruAsnLookups().lookupTimeout(lookupTimeout).build()) {
                        long t0 = System.nanoTime();
                        TraceResult r = t.trace(request(lab).toBuilder()
                                .listener(new io.pathprobe.trace.TraceListener() {
                            @Override
                            public void contextEnriched(io.pathprobe.enrich.PathContext c) {
                                contextAt[0] = System.nanoTime();
                            }
                        }).build());
                        stunTrace[k][i] = System.nanoTime() - t0;
                        context[k][i] = contextAt[0] == 0 ? -1 : contextAt[0] - t0;
                        check(r.destinationReached());
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nfailure paths (lookup timeout %d ms), %d turns, ms as p10 / median / p90%n",
                lookupTimeout.toMillis(), reps);
        row("plain trace", plain);
        row("enriched trace, DNS down (new tracer)", down);
        for (int k = 0; k < 2; k++) {
            row("time to context, " + stunNames[k] + " STUN", context[k]);
            row("trace, " + stunNames[k] + " STUN (new tracer)", stunTrace[k]);
        }
        System.out.printf(Locale.ROOT, "RESULT part=dnsdown n=%d lookup_timeout_ms=%d down_ms=%.2f down_min_ms=%.2f "
                + "down_max_ms=%.2f plain_ms=%.2f%n", reps, lookupTimeout.toMillis(), median(down) / 1e6,
                Arrays.stream(down).min().orElse(0) / 1e6,
                Arrays.stream(down).max().orElse(0) / 1e6, median(plain) / 1e6);
        for (int k = 0; k < 2; k++) {
            // a trace may end before its context
            long[] events = Arrays.stream(context[k]).filter(x -> x >= 0).toArray();
            context[k] = events.length == 0 ? new long[] {0} : events;
            System.out.printf(Locale.ROOT, "RESULT part=stun server=%s n=%d context_ms=%.2f context_min_ms=%.2f "
                    + "context_max_ms=%.2f trace_ms=%.2f context_events=%d%n", stunNames[k], reps,
                    median(context[k]) / 1e6,
                    Arrays.stream(context[k]).min().orElse(0) / 1e6, Arrays.stream(context[k]).max().orElse(0) / 1e6,
                    median(stunTrace[k]) / 1e6, events.length);
        }
    }

    /** TEST-NET-1: no route from the bench's network namespace, which has only loopback and the lab. */
    static final String NO_ROUTE_RESOLVER = "192.0.2.53";

    /**
     * The command line with names, with {@code -n}, and traceroute with names, each a whole process on a host whose
     * resolver has no route: medians of {@code reps} turns (rotating order) and the ratios names / -n and names /
     * traceroute. Not run (one line says so) without the command line's jar.
     */
    private static void unreachableResolver(Lab lab, int reps) throws Exception {
        Path jar = Path.of("cli", "target", "pathprobe.jar");
        if (!Files.isRegularFile(jar)) {
            System.out.println("unreachable resolver: no " + jar + " (build the cli module), not run");
            return;
        }
        Path conf = Files.createTempFile("pathprobe-bench-resolv", ".conf");
        try {
            Files.writeString(conf, "nameserver " + NO_ROUTE_RESOLVER + "\n");
            String dest = lab.destination().getHostAddress();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<List<String>> commands = List.of(List.of(java, "-jar", jar.toString(), "trace", dest),
                    List.of(java, "-jar", jar.toString(), "trace", "-n", dest), List.of("traceroute", "-I", dest));
            String[] names = {"pathprobe trace (names)", "pathprobe trace -n", "traceroute -I (names)"};
            long[][] t = new long[commands.size()][reps];
            for (int i = 0; i < reps; i++) {
                for (int j = 0; j < commands.size(); j++) {
                    int k = (i + j) % commands.size();
                    t[k][i] = timedProcess(conf, commands.get(k));
                }
            }
            System.out.printf(Locale.ROOT, "%nresolver with no route (%s in resolv.conf), whole processes, %d turns, "
                    + "ms as p10 / median / p90%n", NO_ROUTE_RESOLVER, reps);
            for (int k = 0; k < names.length; k++) {
                row(names[k], t[k]);
            }
            System.out.printf(Locale.ROOT, "RESULT part=unreachable n=%d names_ms=%.2f numeric_ms=%.2f "
                    + "traceroute_ms=%.2f names_over_numeric=%.3f names_over_traceroute=%.3f%n", reps,
                    median(t[0]) / 1e6, median(t[1]) / 1e6, median(t[2]) / 1e6, median(t[0]) / median(t[1]),
                    median(t[0]) / median(t[2]));
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    /** Runs {@code command} with {@code conf} bound over /etc/resolv.conf (a mount namespace of its own). */
    private static long timedProcess(Path conf, List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--", "sh", "-c",
                "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", conf.toString()));
        cmd.addAll(command);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        int rc = p.waitFor();
        long took = System.nanoTime() - t0;
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + rc);
        }
        return took;
    }

    private static int rcode(SimpleResolver r, Message query) {
        try {
            return r.send(query.clone()).getRcode();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("unexpected result");
        }
    }

    private static void row(String what, long[] v) {
        System.out.printf(Locale.ROOT, "  %-38s %8.3f / %8.3f / %8.3f%n", what,
                Percentiles.nearestRank(v, 0.1) / 1e6, median(v) / 1e6,
                Percentiles.nearestRank(v, 0.9) / 1e6);
    }

    /** p10, median, p90 of a[i] - b[i], in ms. */
    private static double[] paired(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return new double[] {Percentiles.nearestRank(d, 0.1) / 1e6, median(d) / 1e6,
                Percentiles.nearestRank(d, 0.9) / 1e6};
    }

    /** Its rows' median: the nearest-rank one (the lower middle value of an even count). */
    private static double median(long[] v) {
        return Percentiles.nearestRank(v, 0.5);
    }
}
