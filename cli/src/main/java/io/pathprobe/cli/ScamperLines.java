package io.pathprobe.cli;

import io.pathprobe.json.ScamperJson;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code --format scamper}: what {@code scamper -O json -i TARGET...} prints, a {@code cycle-start} line, one
 * object per measurement ({@link ScamperJson}) and a {@code cycle-stop} line, with this host's name and, as each
 * object's {@code src}, the address this host sends from toward the destination.
 */
final class ScamperLines {
    private ScamperLines() {}

    /** {@return the cycle-start line, the objects and the cycle-stop line, one a line (no line feed at the end)} */
    static String lines(Instant start, Instant stop, List<String> objects) {
        return lines(start, stop, objects, io.pathprobe.evidence.Masking.NONE);
    }

    /** As {@link #lines(Instant, Instant, List)}; this host's name {@code masked} when the masking hides the source. */
    static String lines(Instant start, Instant stop, List<String> objects, io.pathprobe.evidence.Masking masking) {
        String host = masking.source() ? io.pathprobe.evidence.Masking.MASKED : hostname();
        StringBuilder b = new StringBuilder(ScamperJson.cycleStart(start, host)).append('\n');
        for (String o : objects) {
            b.append(o).append('\n');
        }
        return b.append(ScamperJson.cycleStop(stop, host)).toString();
    }

    /**
     * {@return the address this host's routes send from toward {@code destination}, or null when there is none (no
     * destination, no route)} A UDP socket connected to it asks the routing table and sends nothing. A fact of this
     * host: kept with a recording, and its replay prints the recorded one ({@link RecordOptions#host}).
     */
    static @Nullable InetAddress source(Optional<InetAddress> destination) {
        if (destination.isEmpty() || destination.get().isAnyLocalAddress()) {
            return null;
        }
        String source = RecordOptions.host("source " + destination.get().getHostAddress(), () -> {
            InetAddress a = routedSource(destination.get());
            return a == null ? "" : a.getHostAddress();
        });
        try {
            return source.isEmpty() ? null : InetAddress.getByName(source); // a literal: nothing is looked up
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** The source address the routing table gives toward {@code destination}, or null. */
    private static @Nullable InetAddress routedSource(InetAddress destination) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(destination, 9); // discard port; connect() sends no packet
            InetAddress a = s.getLocalAddress();
            return a == null || a.isAnyLocalAddress() ? null : a;
        } catch (IOException | RuntimeException e) {
            return null; // no route: src stays the unspecified address
        }
    }

    /**
     * {@return this host's name, as scamper's {@code gethostname()}: Linux's {@code /proc/sys/kernel/hostname},
     * else the {@code HOSTNAME} or {@code COMPUTERNAME} environment variable, else {@code localhost}} No name is
     * looked up. Kept with a recording, as {@link #source} is.
     */
    static String hostname() {
        return RecordOptions.host("hostname", ScamperLines::readHostname);
    }

    private static String readHostname() {
        try {
            Path p = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(p)) {
                String name = Files.readString(p, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the environment's
        }
        for (String v : List.of("HOSTNAME", "COMPUTERNAME")) {
            String name = System.getenv(v);
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
        }
        return "localhost";
    }
}
