package io.pathprobe.lab;

import io.pathprobe.lab.namespace.Exec;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tcpdump -nn -vv -x -l} on one interface of a lab namespace, and its output parsed into
 * packets: what tcpdump said about each (its header and decode lines, checksum verdicts included)
 * and the IP packet's bytes (from the {@code -x} hex dump).
 */
final class Capture implements AutoCloseable {
    private static final Pattern PACKET_START = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ ");
    private static final Pattern HEX_LINE = Pattern.compile("^\\s+0x[0-9a-f]{4}:\\s+([0-9a-f ]+)$");

    /** One captured packet: tcpdump's text about it, and its bytes from the IP header on. */
    record Packet(String text, byte[] bytes) {
        int u8(int offset) {
            return bytes[offset] & 0xff;
        }

        int u16(int offset) {
            return u8(offset) << 8 | u8(offset + 1);
        }

        int ihl() {
            return (u8(0) & 0x0f) * 4;
        }

        int ttl() {
            return u8(8);
        }

        int protocol() {
            return u8(9);
        }

        int id() {
            return u16(4);
        }

        String source() {
            return address(12);
        }

        String destination() {
            return address(16);
        }

        String address(int offset) {
            return u8(offset) + "." + u8(offset + 1) + "." + u8(offset + 2) + "." + u8(offset + 3);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final Process process;
    private final Path output;
    private final StringBuffer stderr = new StringBuffer();

    private Capture(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts tcpdump on {@code iface} in {@code ns} (UDP and ICMP) and returns once it is listening. */
    static Capture start(String ns, String iface) throws IOException, InterruptedException {
        // into a file: a pipe's reader races with the JDK closing the pipe when tcpdump exits
        Path output = Files.createTempFile("pathprobe-capture-", ".txt");
        Process p;
        try {
            p = NatTopology.in(ns, "tcpdump", "-i", iface, "-nn", "-vv", "-x", "-l", "icmp or udp")
                    .redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            Files.deleteIfExists(output);
            throw e;
        }
        Capture c = new Capture(p, output);
        CountDownLatch listening = new CountDownLatch(1);
        Exec.THREADS.execute(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    c.stderr.append(line).append('\n');
                    if (line.contains("listening on")) {
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                // tcpdump is gone
            }
        });
        if (!listening.await(10, TimeUnit.SECONDS)) {
            c.close();
            throw new IllegalStateException("tcpdump did not start: " + c.stderr);
        }
        return c;
    }

    /** Stops tcpdump (after a moment for the last packets) and returns what it captured. */
    List<Packet> stop() throws Exception {
        Thread.sleep(300);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("tcpdump does not stop");
        }
        return parse(Files.readString(output));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            // a temporary file
        }
    }

    static List<Packet> parse(String output) {
        List<Packet> packets = new ArrayList<>();
        StringBuilder text = null;
        ByteArrayOutputStream bytes = null;
        for (String line : output.split("\\R")) {
            if (PACKET_START.matcher(line).find()) {
                if (text != null) {
                    packets.add(new Packet(text.toString().strip(), bytes.toByteArray()));
                }
                text = new StringBuilder(line).append('\n');
                bytes = new ByteArrayOutputStream();
                continue;
            }
            if (text == null) {
                continue;
            }
            Matcher hex = HEX_LINE.matcher(line);
            if (hex.matches()) {
                String digits = hex.group(1).replace(" ", "");
                for (int i = 0; i + 1 < digits.length(); i += 2) {
                    bytes.write(Integer.parseInt(digits.substring(i, i + 2), 16));
                }
            } else {
                text.append(line).append('\n');
            }
        }
        if (text != null) {
            packets.add(new Packet(text.toString().strip(), bytes.toByteArray()));
        }
        return packets;
    }

    /** The Internet checksum over {@code len} bytes from {@code offset}: 0 when a checksum in them is right. */
    static int checksum(byte[] b, int offset, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b[offset + i] & 0xff;
            int lo = i + 1 < len ? b[offset + i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return ~sum & 0xffff;
    }
}
