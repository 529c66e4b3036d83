package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Errno;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Posix;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a Linux transport can be used by this process now, and if not why: the kill switch, the
 * platform (Linux, libc bound), then a socket of the transport's kind opened, configured
 * and closed. Nothing is sent.
 */
public final class LinuxAvailability {
    private static final String PING_GROUP_RANGE = "/proc/sys/net/ipv4/ping_group_range";

    private LinuxAvailability() {}

    /** Whether {@code kind} can be used here now, and if not, why. Sends nothing. */
    public static Availability of(LinuxTransportKind kind) {
        String killSwitch = kind.killSwitchProperty();
        if (Boolean.parseBoolean(System.getProperty(killSwitch, "false"))) {
            return Availability.unavailable("disabled by system property " + killSwitch + "=true");
        }
        Availability platform = platformAvailability();
        if (!platform.isAvailable()) {
            return platform;
        }
        try {
            return probeSocket(kind);
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable(kind.providerName() + ": checking the socket failed: " + e, e);
        }
    }

    /** Throws {@link TransportException} with the reason when {@code kind} cannot be used here. */
    static void require(LinuxTransportKind kind) {
        Availability availability = of(kind);
        if (!availability.isAvailable()) {
            throw new TransportException(kind.providerName() + " is unavailable: " + availability.reason(),
                    availability.unavailabilityCause());
        }
    }

    private static Availability platformAvailability() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Availability.otherPlatform("not Linux (os.name=" + os + ")");
        }
        Throwable libc = Posix.loadFailure();
        if (libc != null) {
            return Availability.unavailable("could not bind libc through jffi: " + libc, libc);
        }
        return Availability.available();
    }

    private static Availability probeSocket(LinuxTransportKind kind) {
        if (kind == LinuxTransportKind.TCP_CONNECT) {
            return probeTcpSocket();
        }
        int fd;
        try {
            fd = Sockets.open(Abi.AF_INET, kind.socketType(), kind.ipv4Protocol());
        } catch (Sockets.SocketError e) {
            if (kind == LinuxTransportKind.ICMP_DGRAM && e.errno == Errno.EACCES) {
                String reason = pingGroupRangeReason(e.getMessage());
                String remedy = pingGroupRangeRemedy();
                return remedy == null ? Availability.unavailable(reason, e)
                        : Availability.unavailable(reason, remedy, e);
            }
            if (kind.socketType() == Abi.SOCK_RAW && (e.errno == Errno.EPERM || e.errno == Errno.EACCES)) {
                return Availability.unavailable("needs CAP_NET_RAW (" + e.getMessage() + ")", "CAP_NET_RAW", e);
            }
            return Availability.unavailable(e.getMessage(), e);
        }
        return closedAfter(fd, kind.socketType() != Abi.SOCK_RAW, false);
    }

    /** linux-tcp-connect: a TCP socket with the options every probe's socket sets. */
    private static Availability probeTcpSocket() {
        int fd;
        try {
            fd = Sockets.open(Abi.AF_INET, Abi.SOCK_STREAM, Abi.IPPROTO_TCP);
        } catch (Sockets.SocketError e) {
            return Availability.unavailable(e.getMessage(), e);
        }
        return closedAfter(fd, true, true);
    }

    /**
     * Sets on {@code fd} the options every session's socket gets (failing here rather than at the first session):
     * IP_RECVERR ({@code recverr}), for TCP connect sockets ({@code tcp}) a TTL and TCP_SYNCNT, and SO_TIMESTAMPNS;
     * then closes it. Available, or unavailable saying which option failed.
     */
    private static Availability closedAfter(int fd, boolean recverr, boolean tcp) {
        NativeMemory scratch = NativeMemory.allocate(16);
        try {
            Pointer p = scratch.pointer();
            if (recverr) {
                Sockets.setInt(fd, Abi.SOL_IP, Abi.IP_RECVERR, 1, p, "IP_RECVERR");
            }
            if (tcp) {
                Sockets.setInt(fd, Abi.SOL_IP, Abi.IP_TTL, 64, p, "IP_TTL");
                Sockets.setInt(fd, Abi.IPPROTO_TCP, Abi.TCP_SYNCNT, 1, p, "TCP_SYNCNT");
            }
            Sockets.setInt(fd, Abi.SOL_SOCKET, Abi.SO_TIMESTAMPNS, 1, p, "SO_TIMESTAMPNS");
            return Availability.available();
        } catch (Sockets.SocketError e) {
            return Availability.unavailable(e.getMessage(), e);
        } finally {
            Sockets.closeQuietly(fd);
            scratch.free();
        }
    }

    /**
     * The ping socket's gate as this process meets it: net.ipv4.ping_group_range (per network namespace), the
     * effective gid the kernel checks and the supplementary groups; whether one of them is in the range (null when
     * the range cannot be parsed).
     */
    record PingGroups(String range, long gid, List<Long> groups, @org.jspecify.annotations.Nullable Boolean included) {
        /** {@code "gid 65534 (no supplementary groups)"}. */
        String who() {
            return "gid " + gid + (groups.isEmpty() ? " (no supplementary groups)"
                    : " (and supplementary groups " + groups + ")");
        }
    }

    /** The range as the kernel holds it, and this process's groups. */
    static PingGroups pingGroups() throws IOException {
        // One read: a sysctl file answers only a read at offset 0 (Files.readString reads 1 byte first).
        String range = String.join(" ", Files.readAllLines(Path.of(PING_GROUP_RANGE))).trim().replaceAll("\\s+", " ");
        long gid = -1;
        List<Long> groups = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Gid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                gid = Long.parseLong(f[1]); // real, effective, saved, fs: the kernel checks the effective gid
            } else if (line.startsWith("Groups:")) {
                for (String g : line.substring(7).trim().split("\\s+")) {
                    if (!g.isEmpty()) {
                        groups.add(Long.parseLong(g));
                    }
                }
            }
        }
        Boolean included = null;
        String[] bounds = range.split(" ");
        if (bounds.length == 2) {
            try {
                long low = Long.parseLong(bounds[0]);
                long high = Long.parseLong(bounds[1]);
                boolean in = low <= gid && gid <= high;
                for (long g : groups) {
                    in |= low <= g && g <= high;
                }
                included = in;
            } catch (NumberFormatException ignored) {
                // unknown: reported as "excludes" with the raw text
            }
        }
        return new PingGroups(range, gid, List.copyOf(groups), included);
    }

    /**
     * What would let this process open a ping socket, where the sysctl is what refused it: {@code "gid 65534 in
     * net.ipv4.ping_group_range (now '1 0')"}; null when the range already includes its groups (something else
     * refused it) or cannot be read.
     */
    static @org.jspecify.annotations.Nullable String pingGroupRangeRemedy() {
        try {
            PingGroups g = pingGroups();
            return Boolean.TRUE.equals(g.included()) ? null
                    : "gid " + g.gid() + " in net.ipv4.ping_group_range (now '" + g.range() + "')";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Why a ping socket was refused: the kernel allows it only to a process whose effective gid or
     * one of whose supplementary groups lies in net.ipv4.ping_group_range (per network namespace).
     */
    static String pingGroupRangeReason(String failedCall) {
        PingGroups g;
        try {
            g = pingGroups();
        } catch (IOException | RuntimeException e) {
            return failedCall + "; " + PING_GROUP_RANGE + " cannot be read (" + e + ")";
        }
        if (Boolean.TRUE.equals(g.included())) {
            return "net.ipv4.ping_group_range is '" + g.range() + "', which includes " + g.who() + ", yet "
                    + failedCall + " (a security module?)";
        }
        return "net.ipv4.ping_group_range is '" + g.range() + "': excludes " + g.who();
    }
}
