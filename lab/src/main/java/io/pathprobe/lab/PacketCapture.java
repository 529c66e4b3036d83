package io.pathprobe.lab;

import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Captures packets with {@code tcpdump} on one interface of one lab namespace while an action runs,
 * and parses them.
 *
 * <pre>{@code
 * PacketCapture.Capture c = PacketCapture.during(lab, 0, lab.hostInterface(), "udp or icmp",
 *         () -> Traceroute.run(lab, List.of("-U"), lab.destination()));
 * for (CapturedPacket p : c.packets()) { ... p.firstTransportBytes() ... }
 * }</pre>
 *
 * <p>tcpdump runs as {@code tcpdump -i <iface> -nn -U --immediate-mode -B 32768 -s 65535 -w - <filter>} in the
 * namespace; the capture starts once tcpdump reports it listens, the action runs, then after
 * {@link #SETTLE} (lab packets arrive within microseconds) tcpdump is asked for its count (SIGUSR1)
 * until two answers in a row agree, so that it has read what the kernel holds for it: stopped at
 * once, a tcpdump that had not had a CPU since the action (a busy machine) exits without reading
 * its ring, and a capture came back empty. Then it is stopped with SIGTERM, also when the action
 * throws, and the pcap it wrote to its standard output is parsed. Link types:
 * Ethernet (veths, lo), Linux cooked v1/v2 ({@code -i any}), raw IP.
 */
public final class PacketCapture {
    /** How long the capture goes on after the action returned, at least. */
    public static final Duration SETTLE = Duration.ofMillis(50);
    /** How long tcpdump may take to catch up with what it was given, at most. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
    private static final java.util.regex.Pattern CAPTURED = java.util.regex.Pattern.compile("(\\d+) packets? captured");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** tcpdump's capture buffer ({@code -B}), KiB. */
    static final int BUFFER_KIB = 32 * 1024;

    private PacketCapture() {}

    /** What the action does; it may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /**
     * The captured packets and the raw pcap.
     *
     * @param packets every IPv4/IPv6 packet, in capture order
     * @param pcap what tcpdump wrote (a pcap file), e.g. for {@link #tcpdumpText}
     */
    public record Capture(List<CapturedPacket> packets, byte[] pcap) {
        public Capture {
            packets = List.copyOf(packets);
        }
    }

    /**
     * Captures on {@code iface} in the namespace of the node at {@code ttl} (0: the host; see
     * {@link Lab#namespace(int)}) while {@code action} runs.
     *
     * @param filter a pcap filter expression ("" for everything)
     * @throws Exception what the action threw (tcpdump stopped first)
     * @throws LabException if tcpdump cannot run
     */
    public static Capture during(Lab lab, int ttl, String iface, String filter, Action action) throws Exception {
        return during(lab.namespace(ttl), iface, filter, action);
    }

    /**
     * {@link #during(Lab, int, String, String, Action)} in a namespace given by name ("" for this
     * process's own namespace), e.g. {@link Lab#namespace(int, int)} of a diamond's middle router.
     */
    public static Capture during(String namespace, String iface, String filter, Action action) throws Exception {
        List<String> cmd = Namespaces.in(namespace);
        // -B: in immediate mode libpcap uses a TPACKET_V2 ring of snaplen-sized frames, so its default 2 MiB holds
        // about 30 packets of 65,535 bytes and a burst beyond that was dropped (seen in the chaos suite); 32 MiB holds
        // ~500
        cmd.addAll(List.of("tcpdump", "-i", iface, "-nn", "-U", "--immediate-mode", "-B",
                Integer.toString(BUFFER_KIB), "-s",
                "65535", "-w", "-"));
        if (!filter.isBlank()) {
            cmd.add(filter);
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new LabException("cannot run tcpdump: " + e.getMessage() + " (install tcpdump)", e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), Exec.THREADS);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        StringBuilder stderr = new StringBuilder();
        CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                    if (line.contains("listening on")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            listening.complete(null);
        }, Exec.THREADS);
        try {
            listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!p.isAlive()) {
                throw new LabException("tcpdump on " + iface + " in "
                        + (namespace.isEmpty() ? "this namespace" : namespace)
                        + " exited: " + text(stderr));
            }
            action.run();
            Thread.sleep(SETTLE.toMillis());
            drain(p, stderr);
        } catch (TimeoutException e) {
            throw new LabException("tcpdump did not start listening within " + START_TIMEOUT + ": " + text(stderr), e);
        } finally {
            p.destroy(); // SIGTERM: tcpdump flushes and exits
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        byte[] pcap;
        try {
            pcap = out.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("cannot read tcpdump's output: " + e, e);
        }
        return new Capture(parsePcap(pcap), pcap);
    }

    /**
     * Waits until tcpdump has written what it captured: asks for its count (SIGUSR1, which it answers
     * on standard error with "N packets captured, ...") until two answers in a row are the same. Each
     * answer means tcpdump ran, and a tcpdump that runs reads its ring before it sleeps again; up to
     * {@link #DRAIN_LIMIT}, after which the capture is what it is.
     */
    private static void drain(Process p, StringBuilder stderr) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        long last = -1;
        int answers = countAnswers(stderr);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                return; // no kill(1): the settle time alone
            }
            while (countAnswers(stderr) == answers && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            answers = countAnswers(stderr);
            long captured = lastCount(stderr);
            if (captured == last) {
                return;
            }
            last = captured;
            Thread.sleep(20);
        }
    }

    private static int countAnswers(StringBuilder stderr) {
        synchronized (stderr) {
            java.util.regex.Matcher m = CAPTURED.matcher(stderr);
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }
    }

    private static long lastCount(StringBuilder stderr) {
        synchronized (stderr) {
            java.util.regex.Matcher m = CAPTURED.matcher(stderr);
            long last = -1;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last;
        }
    }

    /** What {@code tcpdump -nn <options> -r} prints for a capture (e.g. {@code -v}: "udp sum ok"). */
    public static String tcpdumpText(Capture capture, String... options) {
        Path file = null;
        try {
            file = Files.createTempFile("pathprobe-capture", ".pcap");
            Files.write(file, capture.pcap());
            List<String> cmd = new ArrayList<>(List.of("tcpdump", "-nn"));
            cmd.addAll(List.of(options));
            cmd.addAll(List.of("-r", file.toString()));
            Exec.Result r = Exec.run(cmd, null, Duration.ofSeconds(30));
            if (!r.ok()) {
                throw new LabException(Exec.failure("reading a capture", String.join(" ", cmd), r, null));
            }
            return r.stdout();
        } catch (IOException e) {
            throw new LabException("cannot write a capture file: " + e, e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temp file left behind
                }
            }
        }
    }

    /** Parses a pcap file (either byte order, micro- or nanosecond timestamps) into its IP packets. */
    public static List<CapturedPacket> parsePcap(byte[] pcap) {
        List<CapturedPacket> packets = new ArrayList<>();
        if (pcap.length < 24) {
            return packets;
        }
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
            throw new LabException("not a pcap file (magic " + Integer.toHexString(magic) + ")");
        }
        boolean nanos = magic == 0xA1B23C4D;
        int linkType = b.getInt(20);
        int at = 24;
        while (at + 16 <= pcap.length) {
            long sec = b.getInt(at) & 0xFFFF_FFFFL;
            long frac = b.getInt(at + 4) & 0xFFFF_FFFFL;
            int caplen = b.getInt(at + 8);
            at += 16;
            if (caplen < 0 || at + caplen > pcap.length) {
                break;
            }
            int ipAt = ipOffset(pcap, at, caplen, linkType);
            if (ipAt >= 0) {
                byte[] ip = java.util.Arrays.copyOfRange(pcap, at + ipAt, at + caplen);
                Instant time = Instant.ofEpochSecond(sec, nanos ? frac : frac * 1000);
                CapturedPacket.parse(time, ip).ifPresent(packets::add);
            }
            at += caplen;
        }
        return packets;
    }

    /** Where the IP packet starts in a frame of this link type; -1 if it is not IP. */
    private static int ipOffset(byte[] d, int at, int len, int linkType) {
        switch (linkType) {
            case 1 -> { // Ethernet, maybe 802.1Q tagged
                int off = 12;
                while (off + 2 <= len) {
                    int type = ((d[at + off] & 0xFF) << 8) | (d[at + off + 1] & 0xFF);
                    if (type == 0x8100 || type == 0x88A8) {
                        off += 4;
                        continue;
                    }
                    return type == 0x0800 || type == 0x86DD ? off + 2 : -1;
                }
                return -1;
            }
            case 113 -> { // Linux cooked v1
                return len >= 16 ? 16 : -1;
            }
            case 276 -> { // Linux cooked v2
                return len >= 20 ? 20 : -1;
            }
            case 101, 12, 228, 229 -> { // raw IP
                return 0;
            }
            default -> {
                return -1;
            }
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String text(StringBuilder sb) {
        synchronized (sb) {
            return sb.toString().strip();
        }
    }
}
