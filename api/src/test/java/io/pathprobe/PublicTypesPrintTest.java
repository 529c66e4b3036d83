package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.bufferbloat.BufferbloatLoad;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCounters;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Text;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
/**
 * Every public value type prints as the field's tools print (ping, traceroute, mtr, scamper,
 * networkQuality): never a record's default {@code Name[field=…]}, an {@code Optional[…]} or an ISO
 * duration ({@code PT0.000097285S}).
 */
class PublicTypesPrintTest {
    /** What a default record toString, an Optional or a Duration would leave in the text. */
    private static final Pattern DEFAULTS = Pattern.compile("Optional(Int|Long|Double)?\\[|Optional\\.empty|\\bPT[0-9]"
            + "|\\b[A-Z]\\w*\\[\\w+=|@[0-9a-f]{5,}\\b");

    @Test
    void theSamplesPrintWithoutRecordDefaultsOptionalsOrIsoDurations() throws Exception {
        MultipathResult m = Samples.multipath();
        List<Object> all = new ArrayList<>(List.of(Samples.trace(), Samples.trace6(), Samples.ping(), m, m.request(),
                Samples.bufferbloat(), Samples.bufferbloat().request(), TraceRequest.of("198.18.0.9"),
                PingRequest.builder().target("198.18.0.9").build(), Samples.ISP, PathContext.OFF, TracerStats.NONE,
                EnrichmentStatistics.NONE, Lookup.found("core1.isp.lab.example"), Lookup.failed("timed out"),
                Lookup.notFound(), Lookup.pending(), Lookup.off(), new Responder(Samples.ip("198.18.0.10"), 2)));
        MtuResult mtu = Samples.mtu();
        all.add(mtu);
        all.addAll(mtu.hops());
        mtu.blackHole().ifPresent(all::add);
        all.add(MtuRequest.of("198.18.0.9"));
        all.addAll(m.nodes());
        all.addAll(m.links());
        all.addAll(m.diamonds());
        all.addAll(m.paths());
        m.paths().forEach(p -> all.addAll(p.hops()));
        Samples.ping().targets().forEach(t -> {
            all.add(t.statistics());
            t.statistics().rtt().ifPresent(all::add);
        });
        Samples.bufferbloat().download().ifPresent(all::add);
        Samples.bufferbloat().download().ifPresent(d -> all.add(d.load()));
        all.add(BufferbloatLoad.unknown(19e6));
        all.addAll(Samples.bufferbloat().samples());
        TraceAllRequest many = TraceAllRequest.builder(List.of("198.18.0.9", "198.18.0.10")).build();
        Hop known = new Hop(1, List.of(), List.of(new Responder(Samples.ip("198.18.0.10"), 0)),
                new HopStatistics(0, 0, 0, 0, 0, 0, java.util.Optional.empty(), 0));
        TraceAllResult traced = new TraceAllResult(List.of(Samples.trace()), TraceAllStatus.COMPLETED,
                java.time.Instant.EPOCH, java.time.Duration.ofMillis(1500), 40, 9, many);
        all.addAll(List.of(many, known, traced));
        all.addAll(MeasurementType.all());
        assertThat(MeasurementType.all()).extracting(Object::toString)
                .containsExactly("trace", "traceAll", "ping", "multipath", "bufferbloat", "monitor", "mtu", "compare");
        assertThat(known.fromStopSet()).isTrue();
        assertThat(known.toString()).isEqualTo(" 1  198.18.0.10  (stop set)");
        assertThat(traced.summary()).isEqualTo("1 targets: " + traced.reached()
                + " reached, 40 probes sent, 9 hops from the stop set, COMPLETED in 1500.0 ms");
        assertThat(many.toString()).startsWith("TraceAllRequest{2 targets (198.18.0.9, ...), automatic [ICMP, UDP]");
        for (Object o : all) {
            assertThat(o.toString()).as("%s", o.getClass().getName()).isNotBlank().doesNotContainPattern(DEFAULTS);
        }
    }

    @Test
    void aPathMtuDiscoveryPrintsAsTracepathDoes() {
        assertThat(Samples.mtu().toString()).isEqualTo(String.join(System.lineSeparator(),
                "pmtu to 198.19.0.1 via linux-udp-recverr, DESTINATION_REACHED, 21 probes, 2100.000 ms",
                " 1?: [LOCALHOST]                   pmtu 1500",
                " 1:  198.18.0.2                   0.081 ms",
                " 2:  198.18.0.6                   0.042 ms",
                " 3:  198.18.0.10                  0.028 ms",
                " 4:  198.18.0.10                  pmtu 1280",
                " 4:  198.18.0.14                  0.033 ms",
                " 5:  no reply",
                " 6:  198.19.0.1                   0.032 ms reached",
                "     black hole at hop 6: probes over 1200 bytes vanish after a silent hop, no ICMP",
                "     Resume: pmtu 1200 hops 6"));
    }

    @Test
    void statisticsPrintAsPingAndMtrDo() {
        RttStatistics r = new RttStatistics(ms(0.03), ms(0.024), ms(0.031), ms(0.04), ms(0.006));
        assertThat(r).hasToString("min/avg/max/mdev = 0.024/0.031/0.040/0.006 ms, last 0.030 ms");
        assertThat(new HopStatistics(3, 2, 1, 1, 0, 0, Optional.of(r), 1))
                .hasToString("3 sent, 2 received, 33.3% loss (1 forward, 0 backward), min/avg/max/mdev = "
                        + "0.024/0.031/0.040/0.006 ms, last 0.030 ms, 1 rate-limited");
        RttStatistics p = new RttStatistics(ms(0.04), ms(0.024), ms(0.031), ms(0.04), ms(0.005), Optional.of(new RttPercentiles(ms(0.03), ms(0.038), ms(0.039), ms(0.04), true)));
        assertThat(new PingStatistics(10, 9, 1, 0, 0, 0, 0, 0, 0.1, Optional.of(p), Optional.of(ms(0.004)), 0))
                .hasToString("10 sent, 9 received, 10.0% loss, min/avg/max/mdev = 0.024/0.031/0.040/0.005 ms, "
                        + "p50/p90/p95/p99 = 0.030/0.038/0.039/0.040 ms, last 0.040 ms, jitter 0.004 ms");
        assertThat(new PingStatistics(10, 4, 0, 0, 0, 0, 0, 0, 0.0, Optional.of(p), Optional.of(ms(0.004)), 6))
                .hasToString("10 sent, 4 received, 0.0% loss, min/avg/max/mdev = 0.024/0.031/0.040/0.005 ms, "
                        + "p50/p90/p95/p99 = 0.030/0.038/0.039/0.040 ms, last 0.040 ms, jitter 0.004 ms, "
                        + "6 rate-limited (not counted as loss)");
        assertThat(Samples.udpPing().first()).hasToString("198.18.0.10 : xmt/rcv/%loss = 3/2/33% [1 rate-limited, not "
                + "loss] [loss 0-33%: 1 may be refusals], min/avg/max = 1.000/2.000/3.000");
        assertThat(Samples.udpPing().first().statistics()).hasToString("4 sent, 2 received, 33.3% loss, min/avg/max/mdev"
                + " = 1.000/2.000/3.000/1.000 ms, p50/p90/p95/p99 = 1.000/3.000/3.000/3.000 ms, last 3.000 ms, jitter "
                + "0.125 ms, 1 rate-limited (not counted as loss), loss 0.0-33.3% (1 may be refusals)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PingStatistics(10, 4, 1, 0, 0, 0, 0, 0, 0.2,
                Optional.of(p), Optional.empty(), 5, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mayBeRefused 2");
        assertThat(new PingProbe(7, ms(1), ProbeStatus.RATE_LIMITED, Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty())).hasToString("#7 rate-limited");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PingStatistics(10, 4, 1, 0, 0, 0, 0, 0, 0.2,
                Optional.of(p), Optional.empty(), 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rateLimited 6");
    }

    @Test
    void multipathPartsPrintAsScamperListsThem() {
        MultipathResult m = Samples.multipath();
        assertThat(m.nodes().get(0)).hasToString("ttl 1  198.18.0.1  5 replies, flows 0 1 2 3 4, rtt 0.100/0.150/0.200 ms");
        assertThat(m.nodes().get(3)).hasToString("ttl 2  *  silent, flows 4");
        assertThat(m.links().get(0)).hasToString("ttl 1  198.18.0.1 → 198.18.1.1  (2 flows)");
        assertThat(m.diamonds().get(0)).hasToString("diamond after 198.18.0.1 (ttl 1): width 2 over 1 TTL, unmeshed, "
                + "per-flow, converges at 198.18.10.1 (ttl 3)");
        assertThat(m.paths().get(0).toString()).startsWith("198.18.0.1 → 198.18.1.1 → 198.18.10.1: 10 sent, 9 received, "
                + "10.0% loss (1 forward, 0 backward)").endsWith(", flows 0 2");
        assertThat(m.toString()).startsWith("multipath to 198.18.10.1, UDP via linux-udp-recverr: COMPLETED in 123.5 ms\n"
                + "ttl    nodes\n  1    198.18.0.1\n").contains("\n2 paths, 10 probes per hop:\n")
                .contains("\ncomplete, destination reached: 60 probes (40 to discover, 20 per path)").doesNotEndWith("\n");
        assertThat(m.toText(80)).isEqualTo(m.toText(80)).endsWith("note: a note\n");
    }

    @Test
    void lookupsAsAndContextPrintAsWords() {
        assertThat(Lookup.found("core1.isp.lab.example")).hasToString("core1.isp.lab.example");
        assertThat(Lookup.failed("timed out")).hasToString("failed: timed out");
        assertThat(Lookup.notFound()).hasToString("not found");
        assertThat(Lookup.off()).hasToString("off");
        assertThat(Samples.ISP.shortText()).isEqualTo("AS64500 LAB-ISP");
        assertThat(Samples.ISP.toString()).startsWith("AS64500 LAB-ISP [198.18.0.0/15");
        assertThat(AsnInfo.of(64501)).hasToString("AS64501");
        PublicAddress pa = new PublicAddress(Samples.ip("198.18.0.2"), 40000,
                new InetSocketAddress(Samples.ip("198.18.3.1"), 3478), Samples.ip("192.168.1.10"), true);
        assertThat(new PathContext(Lookup.found(pa), Lookup.found(Samples.ISP), Lookup.found(AsnInfo.of(64501))))
                .hasToString("public address: 198.18.0.2, AS64500 LAB-ISP (behind NAT: this host is 192.168.1.10); "
                        + "destination AS64501");
        assertThat(pa).hasToString("198.18.0.2:40000 (behind NAT: this host is 192.168.1.10; STUN server 198.18.3.1:3478)");
        // IPv6 with a port in brackets, as a URL writes it: the port cannot be read into the address
        assertThat(new PublicAddress(Samples.ip("2001:db8:1::7"), 40000, new InetSocketAddress(Samples.ip("2001:db8::53"), 3478),
                Samples.ip("2001:db8:1::7"), false))
                .hasToString("[2001:db8:1::7]:40000 (not behind NAT; STUN server [2001:db8::53]:3478)");
        assertThat(PathContext.OFF).hasToString("public address: off");
    }

    @Test
    void requestsWriteTheirTimesAsPeopleDo() {
        assertThat(TraceRequest.builder("198.18.0.9").probeTimeout(Duration.ofMillis(1500)).build().toString())
                .contains("timeout 1.5 s").doesNotContainPattern(DEFAULTS);
        assertThat(Text.duration(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Text.duration(Duration.ofMillis(250))).isEqualTo("250 ms");
        assertThat(Text.duration(Duration.ofNanos(500_000))).isEqualTo("0.5 ms");
        assertThat(Text.duration(Duration.ofMinutes(5))).isEqualTo("5 min");
        assertThat(Text.duration(Duration.ofSeconds(90))).isEqualTo("90 s");
        assertThat(Text.duration(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(Text.duration(Duration.ofHours(1))).isEqualTo("1 h");
        assertThat(Text.duration(Duration.ofDays(365))).isEqualTo("365 days");
        assertThat(Text.duration(Duration.ofSeconds(9_999_999_999_999L))).isEqualTo("9999999999999 s");
    }

    @Test
    void spiValuesPrintForTransportAuthors() {
        assertThat(new ProbeSpec(17, 3, 2)).hasToString("probe 17 ttl 3 flow 2");
        assertThat(new SessionSpec(ProbeProtocol.UDP, Samples.ip("198.18.0.9"), 33434, FlowPolicy.FIXED, 0, -1))
                .hasToString("UDP to 198.18.0.9 port 33434, FIXED flow 0, default payload");
        assertThat(new TransportCounters(120, 118, Map.of(DropReason.values()[0], 2L)).toString())
                .startsWith("read 120, delivered 118, dropped 2 (");
    }

    private static Duration ms(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }

    /**
     * What a Java default would leave in a text meant for people: {@link #DEFAULTS}, an address's
     * {@code InetAddress.toString()} ({@code /198.18.50.14}, {@code name/2001:db8:...}), a TTL range printed
     * as a negative number ({@code TTL -20}), a class name, a {@code null}.
     */
    static final Pattern LEAKS = Pattern.compile(DEFAULTS.pattern()
            + "|(?<![/:])/\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|(?<![/:])/[0-9a-f]{1,4}:[0-9a-f]{0,4}:"
            + "|\\bTTL -|\\b(?:java|javax|io\\.pathprobe)\\.[a-z]+\\.|\\bnull\\b");

    /**
     * Every public type of the exported packages whose text is its own (a record, or a class that writes its
     * toString), printed for representative instances, shows none of the {@link #LEAKS}. The instances: every
     * value reachable from the samples (the results of every kind and what they hold), every request with every
     * option set, and, for a record the samples do not reach, one made from typical component values, each
     * Optional present, each list of one (and again with every Optional empty).
     */
    @Test
    void everyPublicTypePrintsWithoutJavasDefaults() throws Exception {
        Map<Class<?>, List<Object>> instances = new java.util.LinkedHashMap<>();
        for (Object root : PrintSamples.roots()) {
            PrintSamples.collect(root, instances, new java.util.IdentityHashMap<>());
        }
        List<String> leaks = new ArrayList<>();
        List<String> unprinted = new ArrayList<>();
        for (Class<?> c : exportedTypes()) {
            if (!ownsItsText(c)) {
                continue;
            }
            List<Object> some = new ArrayList<>(instances.getOrDefault(c, List.of()));
            if (c.isRecord()) {
                some.addAll(PrintSamples.made(c, true));
                some.addAll(PrintSamples.made(c, false));
            }
            if (some.isEmpty()) {
                unprinted.add(c.getName());
            }
            for (Object o : some) {
                String text;
                try {
                    text = o.toString();
                } catch (RuntimeException e) {
                    leaks.add(c.getName() + ": toString threw " + e);
                    continue;
                }
                java.util.regex.Matcher m = LEAKS.matcher(text);
                if (m.find()) {
                    leaks.add(c.getName() + ": '" + m.group() + "' in: " + text.lines().filter(l -> LEAKS.matcher(l).find())
                            .findFirst().orElse(text));
                }
            }
        }
        assertThat(unprinted).as("public types with a text of their own that no instance here prints").isEmpty();
        assertThat(leaks).as("texts that show a Java default").isEmpty();
        assertThat(LEAKS.matcher("MtuHop tooBigFrom Optional[/198.18.50.14]").results().count()).isEqualTo(2);
        assertThat(LEAKS.matcher("ProbeOptions[TTL -20, wait PT1S] core1/2001:db8:0:0:0:0:0:1").results().count())
                .isEqualTo(3);
        assertThat(LEAKS.matcher("min/avg/max/mdev = 0.024/0.031/0.040/0.006 ms, 198.18.0.0/15 [2001:db8::1]:53, "
                + "https://127.0.0.1:4043/x").find()).isFalse();
    }

    /** A record, or a class that declares toString (not an exception, enum or interface: their text is Java's own). */
    private static boolean ownsItsText(Class<?> c) {
        if (c.isInterface() || c.isEnum() || Throwable.class.isAssignableFrom(c) || c.isAnnotation()) {
            return false;
        }
        if (c.isRecord()) {
            return true;
        }
        try {
            c.getDeclaredMethod("toString");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The public types of every package the api module exports (module-info), nested ones included. */
    static List<Class<?>> exportedTypes() throws Exception {
        Path root = Path.of(TraceResult.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        java.lang.module.ModuleDescriptor d = java.lang.module.ModuleFinder.of(root).findAll().iterator().next()
                .descriptor();
        List<Class<?>> out = new ArrayList<>();
        for (java.lang.module.ModuleDescriptor.Exports e : d.exports()) {
            if (e.isQualified()) {
                continue;
            }
            String pkg = e.source().replace('.', '/');
            try (Stream<Path> files = Files.list(root.resolve(pkg))) {
                for (Path f : files.filter(x -> x.toString().endsWith(".class")).sorted().toList()) {
                    String name = e.source() + "." + f.getFileName().toString().replace(".class", "");
                    if (name.endsWith("package-info") || name.endsWith("module-info")) {
                        continue;
                    }
                    Class<?> c = Class.forName(name, false, PublicTypesPrintTest.class.getClassLoader());
                    boolean visible = java.lang.reflect.Modifier.isPublic(c.getModifiers());
                    for (Class<?> outer = c.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
                        visible &= java.lang.reflect.Modifier.isPublic(outer.getModifiers());
                    }
                    if (visible && !c.isAnonymousClass() && !c.isLocalClass()) {
                        out.add(c);
                    }
                }
            }
        }
        assertThat(out).as("public types found").hasSizeGreaterThan(100);
        return out;
    }
}
