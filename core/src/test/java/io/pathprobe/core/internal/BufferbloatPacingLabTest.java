package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.pathprobe.PathTracer;
import io.pathprobe.PingProbe;
import io.pathprobe.PingRequest;
import io.pathprobe.PingResult;
import io.pathprobe.core.internal.bufferbloat.NettyLoops;
import io.pathprobe.core.internal.bufferbloat.NqConnection;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SwiftFTR regression test, done for real: a ping every 10 ms keeps its send schedule (95 % of the
 * sends within 1 ms of their absolute slots, none a whole interval late) while 16 HTTP/2
 * load connections (the client's own {@link NqConnection}s on its Netty load loops, TLS through
 * BoringSSL) download over a separate 20 Mbit/s path ({@link Lab.Builder#separateLoadPath}: the
 * bufferbloat labs' rate).
 *
 * <p>Why 20 Mbit/s and not the link's 100: in the lab the server, the client and the kernel's packet
 * processing for both share this machine's 2 vCPUs. At ~96 Mbit/s of TLS load the engine thread then
 * waits for a CPU now and then (measured: P99 3-4 ms, median 40-65 µs, 0 GCs), with the load
 * threads niced to 10 and the lab's server to 19; without load connections the same schedule measures
 * P99 0.36 ms. At 20 Mbit/s, over seven runs: median 84-99 µs, P99 0.58-1.85 ms (most under 1 ms: a
 * stall of 1-4 ms hits one or two sends in some 2 s runs), max 1.3-4.5 ms. So the bar is P95, not
 * P99: {@code PingLabTest}'s P99 bar holds without load, not reliably beside it on 2 vCPUs. The
 * tracer's first ping is a warm-up: it loads the reply path's
 * classes and the native binding on the engine thread (a 20 ms stall, ~10 MB of class loading).
 */
@LabTest
@Timeout(60)
class BufferbloatPacingLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(2).icmpUnlimited()
            .separateLoadPath(20_000_000, Duration.ofMillis(50)).inCurrentNamespace());

    private static URI url;

    @BeforeAll
    static void server() {
        url = LAB.lab().responsivenessServer(4443, true);
    }

    @Test
    void pingPacingKeepsItsScheduleWhile16LoadConnectionsRun() throws Exception {
        SslContext ssl = SslContextBuilder.forClient().sslProvider(io.pathprobe.core.internal.bufferbloat.Tls.provider())
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null).build();
        NqConnection.Endpoint ep = new NqConnection.Endpoint(url.resolve("/"),
                new InetSocketAddress(LAB.lab().destination(), url.getPort()), true);
        LongAdder bytes = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<NqConnection> connections = new ArrayList<>();
        try (NettyLoops loops = new NettyLoops();
                PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            for (int i = 0; i < 16; i++) {
                NqConnection c = NqConnection.open(loops.load(), loops.channelClass(), ep, ssl, 5000).get(10, TimeUnit.SECONDS);
                connections.add(c);
                c.download("/large", bytes, failure::set);
            }
            // the tracer's first ping loads the reply path's classes and the transport's native binding on the
            // engine thread (measured: ~10 MB of class loading, a 20 ms stall, then the schedule re-anchors):
            // a warm-up ping first, so the measured one shows the load's effect, not the JVM's first use
            tracer.ping(PingRequest.builder().target(LAB.lab().destination()).count(20).interval(Duration.ofMillis(10)).build());
            Thread.sleep(1000); // the 16 downloads reach their rate
            long before = bytes.sum();
            java.util.Map<String, Long> allocBefore = allocated();
            long gcBefore = gcCount();
            long gcTimeBefore = gcMillis();
            long t0 = System.nanoTime();
            PingResult r = tracer.ping(PingRequest.builder().target(LAB.lab().destination()).count(200)
                    .interval(Duration.ofMillis(10)).recentProbes(200).build());
            double mbps = (bytes.sum() - before) * 8 / ((System.nanoTime() - t0) / 1e9) / 1e6;
            long open = connections.stream().filter(NqConnection::isOpen).count();
            java.util.Map<String, Long> allocAfter = allocated();
            StringBuilder alloc = new StringBuilder();
            allocAfter.entrySet().stream().map(e -> java.util.Map.entry(e.getKey(), e.getValue() - allocBefore.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 100_000).sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> alloc.append(e.getKey()).append('=').append(e.getValue() / 1024).append("KiB "));
            System.out.println("allocated during the pings: " + alloc);
            System.out.printf(Locale.ROOT, "TLS %s: %d GCs, %d ms in GC during the pings%n",
                    io.pathprobe.core.internal.bufferbloat.Tls.provider(), gcCount() - gcBefore, gcMillis() - gcTimeBefore);

            List<PingProbe> probes = r.first().recent();
            long start = probes.stream().mapToLong(p -> p.sentAt().toNanos() - p.sequence() * 10_000_000L).min().orElseThrow();
            List<Long> deviation = new ArrayList<>();
            for (PingProbe p : probes) {
                deviation.add(Math.abs(p.sentAt().toNanos() - start - p.sequence() * 10_000_000L));
            }
            StringBuilder first = new StringBuilder();
            List<PingProbe> bySeq = probes.stream().sorted(java.util.Comparator.comparingLong(PingProbe::sequence)).toList();
            for (int i = 0; i < Math.min(8, bySeq.size()); i++) {
                first.append(bySeq.get(i).sequence()).append('@').append(String.format(Locale.ROOT, "%.2f",
                        (bySeq.get(i).sentAt().toNanos() - start - bySeq.get(i).sequence() * 10_000_000L) / 1e6)).append(' ');
            }
            System.out.println("first deviations (seq@ms): " + first);
            deviation.sort(null);
            long p95 = deviation.get((int) Math.ceil(0.95 * deviation.size()) - 1);
            long p99 = deviation.get((int) Math.ceil(0.99 * deviation.size()) - 1);
            long max = deviation.get(deviation.size() - 1);
            System.out.printf(Locale.ROOT, "send deviation with %d load connections at %.1f Mbit/s: p50 %.1f µs, p95 %.1f µs, "
                    + "p99 %.1f µs, max %.1f µs; RTT p50 %s%n", open, mbps, deviation.get(deviation.size() / 2) / 1e3,
                    p95 / 1e3, p99 / 1e3, max / 1e3, r.first().statistics().rtt().map(x -> x.p50()).orElse(null));
            assertThat(failure.get()).isNull();
            assertThat(open).isEqualTo(16);
            assertThat(mbps).isGreaterThan(15);
            assertThat(probes).hasSize(200);
            assertThat(r.first().statistics().received()).isEqualTo(200);
            // on schedule: 95 % of the sends within 1 ms of their slot, none a whole interval late (the SwiftFTR
            // failure: load work holding the sender; a stall past the interval would also re-anchor the schedule)
            assertThat(p95).isLessThan(1_000_000);
            assertThat(max).isLessThan(10_000_000);
        } finally {
            connections.forEach(NqConnection::close);
        }
    }

    static long gcCount() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).sum();
    }

    static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    static java.util.Map<String, Long> allocated() {
        Object t = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        java.lang.reflect.Method allocatedBytes;
        try {
            allocatedBytes = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            return m;
        }
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            long b;
            try {
                b = (Long) allocatedBytes.invoke(t, th.getId());
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (b > 0) {
                m.merge(th.getName().replaceAll("\\d+$", "N"), b, Long::sum);
            }
        }
        return m;
    }
}
