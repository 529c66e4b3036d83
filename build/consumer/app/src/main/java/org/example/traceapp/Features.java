package org.example.traceapp;

import io.pathprobe.probe.AddressText;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.PathProbeException;
import io.pathprobe.PathTracer;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.spi.AsnResolver;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What an application depending on pathprobe-core alone gets besides a trace: ping, multipath discovery
 * and enrichment (host names from a DNS server, AS numbers from an {@link AsnResolver}), each checked on
 * the lab path; and, with {@code --expect-no-bufferbloat}, that {@code testBufferbloat} without
 * pathprobe-bufferbloat refuses with a typed exception naming the artifact. Every check prints one line
 * and returns whether it passed.
 */
final class Features {
    /** The name the in-process DNS server gives every address (PTR). */
    static final String HOST_NAME = "hop.consumer.example";
    /** The AS the application's resolver gives every address. */
    static final long ASN = 64500;

    private Features() {
    }

    static boolean ping(PathTracer tracer, InetAddress destination) {
        PingTargetResult r = tracer.measure(PingRequest.builder().target(destination).count(3)
                .interval(Duration.ofMillis(200)).build()).first();
        boolean ok = r.statistics().sent() == 3 && r.statistics().received() == 3;
        System.out.println("ping: " + r.statistics().received() + " of " + r.statistics().sent() + " answered"
                + (ok ? ": OK" : ": FAILED"));
        return ok;
    }

    static boolean multipath(PathTracer tracer, InetAddress destination, List<String> expected) {
        MultipathResult r = tracer.measure(MultipathRequest.builder(destination).build());
        Set<String> seen = new HashSet<>();
        for (MultipathNode n : r.nodes()) {
            n.address().ifPresent(a -> seen.add(AddressText.of(a)));
        }
        Set<String> want = new HashSet<>(expected);
        want.remove("*");
        boolean ok = r.destinationReached() && !r.paths().isEmpty() && seen.containsAll(want);
        System.out.println("multipath: " + r.status() + ", " + r.paths().size() + " path(s), nodes " + seen
                + (ok ? ": OK" : ": FAILED, expected every one of " + want));
        return ok;
    }

    /** A trace enriched through an in-process DNS server on loopback and the application's AS resolver. */
    static boolean enrichment(InetAddress destination) throws Exception {
        try (PtrServer dns = new PtrServer();
             PathTracer tracer = PathTracer.builder().dnsServer(dns.address()).asnResolver(new FixedAsn())
                     .lookupTimeout(Duration.ofSeconds(5)).build()) {
            TraceResult r = tracer.trace(TraceRequest.builder(destination).enrich(EnrichMode.AWAIT).build());
            boolean ok = r.destinationReached();
            StringBuilder got = new StringBuilder();
            for (Hop h : r.hops()) {
                if (h.address().isEmpty()) {
                    continue;
                }
                Optional<String> name = h.hostname().value();
                Optional<Long> asn = h.asn().value().map(AsnInfo::number);
                got.append(' ').append(h.ttl()).append(':').append(name.orElse("?")).append('/')
                        .append(asn.map(n -> "AS" + n).orElse("?"));
                ok &= name.map(n -> n.startsWith(HOST_NAME)).orElse(false) && asn.equals(Optional.of(ASN));
            }
            System.out.println("enrichment:" + got + (ok ? ": OK" : ": FAILED, expected " + HOST_NAME + "/AS" + ASN
                    + " at every answering hop"));
            return ok;
        }
    }

    /**
     * Without pathprobe-bufferbloat: testBufferbloat must refuse at once with the typed exception that names
     * the artifact to add (never a NoClassDefFoundError, never a network attempt).
     */
    static boolean noBufferbloat(PathTracer tracer) {
        try {
            tracer.testBufferbloat(BufferbloatRequest.builder("https://127.0.0.1:9/.well-known/nq").quick().build());
            System.out.println("bufferbloat without pathprobe-bufferbloat: ran: FAILED");
            return false;
        } catch (PathProbeException e) {
            boolean ok = e.getClass().getSimpleName().equals("BufferbloatUnavailableException")
                    && String.valueOf(e.getMessage()).contains("pathprobe-bufferbloat");
            System.out.println("bufferbloat without pathprobe-bufferbloat: " + e.getClass().getName() + ": "
                    + e.getMessage() + (ok ? ": OK" : ": FAILED, expected BufferbloatUnavailableException naming the artifact"));
            return ok;
        }
    }

    /**
     * With pathprobe-core alone (none of its optional dependencies, no feature module): recording and replay (they
     * need pathprobe-evidence), a GeoIP database and a PeeringDB dump each fail with the typed exception the docs
     * name, naming the artifact to add, and a recording that fails leaves no file behind.
     */
    static boolean withoutOptionalJars() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("trace-app-");
        java.nio.file.Path recording = dir.resolve("run.ndjson");
        java.nio.file.Path mmdb = java.nio.file.Files.write(dir.resolve("city.mmdb"), new byte[] {1, 2, 3});
        java.nio.file.Path dump = java.nio.file.Files.writeString(dir.resolve("peeringdb.json"), "{}");
        boolean ok = refused("recording", () -> PathTracer.builder().offline().record(recording),
                "io.pathprobe.RecordingException", "io.pathprobe:pathprobe-evidence");
        ok &= !java.nio.file.Files.exists(recording);
        ok &= refused("replay", () -> {
            PathTracer.replay(dump);
            return null;
        }, "io.pathprobe.RecordingException", "io.pathprobe:pathprobe-evidence");
        ok &= refused("a GeoIP database", () -> PathTracer.builder().offline().geoDatabase(mmdb),
                "io.pathprobe.EnrichmentDataException", "com.maxmind.db:maxmind-db");
        ok &= refused("a PeeringDB dump", () -> PathTracer.builder().offline().peeringDbDump(dump),
                "io.pathprobe.EnrichmentDataException", "com.fasterxml.jackson.core:jackson-databind");
        java.nio.file.Files.delete(mmdb);
        java.nio.file.Files.delete(dump);
        java.nio.file.Files.delete(dir);
        return ok;
    }

    private interface Builds {
        io.pathprobe.PathTracerBuilder builder() throws Exception;
    }

    /** Whether {@code b}'s {@code build()} (or {@code b} itself) throws {@code type} naming {@code artifact}. */
    private static boolean refused(String what, Builds b, String type, String artifact) {
        try {
            io.pathprobe.PathTracerBuilder builder = b.builder();
            if (builder != null) {
                builder.build().close();
            }
            System.out.println(what + " with pathprobe-core alone: worked: FAILED, expected " + type);
            return false;
        } catch (Throwable e) {
            boolean ok = e.getClass().getName().equals(type) && String.valueOf(e.getMessage()).contains(artifact);
            System.out.println(what + " with pathprobe-core alone: " + e.getClass().getName() + ": " + e.getMessage()
                    + (ok ? ": OK" : ": FAILED, expected " + type + " naming " + artifact));
            return ok;
        }
    }

    /** Every address in AS 64500. */
    private static final class FixedAsn implements AsnResolver {
        @Override
        public String name() {
            return "consumer-fixed";
        }

        @Override
        public CompletableFuture<Answer> lookup(InetAddress address) {
            return CompletableFuture.completedFuture(Answer.found(AsnInfo.of(ASN), Duration.ofMinutes(1)));
        }
    }

    /** A DNS server on loopback that answers every PTR question with {@link #HOST_NAME}, anything else NXDOMAIN. */
    private static final class PtrServer implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread thread;

        PtrServer() throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(this::serve, "consumer-dns");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        private void serve() {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] answer = answer(buf, p.getLength());
                    if (answer != null) {
                        socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                    }
                } catch (Exception e) {
                    if (!socket.isClosed()) {
                        System.out.println("consumer DNS server: " + e);
                    }
                }
            }
        }

        private static byte[] answer(byte[] q, int length) {
            if (length < 12 || (q[2] & 0x80) != 0 || ((q[4] << 8) | (q[5] & 0xff)) != 1) {
                return null;
            }
            int i = 12;
            while (i < length && q[i] != 0) {
                i += (q[i] & 0xff) + 1;
            }
            int questionEnd = i + 5; // the root label, type, class
            if (questionEnd > length) {
                return null;
            }
            int type = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
            boolean ptr = type == 12;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(q[0]);
            out.write(q[1]);
            out.write(0x80 | (q[2] & 0x01)); // QR, opcode 0 (QUERY), RD as asked
            out.write(ptr ? 0x80 : 0x83); // RA; NOERROR or NXDOMAIN
            out.writeBytes(new byte[] {0, 1, 0, (byte) (ptr ? 1 : 0), 0, 0, 0, 0});
            out.write(q, 12, questionEnd - 12);
            if (ptr) {
                ByteArrayOutputStream name = new ByteArrayOutputStream();
                for (String label : HOST_NAME.split("\\.")) {
                    name.write(label.length());
                    name.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                name.write(0);
                out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 60, 0, (byte) name.size()});
                out.writeBytes(name.toByteArray());
            }
            return out.toByteArray();
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
