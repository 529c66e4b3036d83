package io.pathprobe.bufferbloat.internal;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The TCP congestion control a connection's socket runs ({@code getsockopt(IPPROTO_TCP, TCP_CONGESTION)},
 * Linux), read through Netty's raw socket option on an epoll channel. The machine's default is not the
 * answer: a route can set another ({@code ip route ... congctl}), and a program can set its own per socket.
 */
public final class TcpCongestion {
    /**
     * The header pathprobe's responsiveness server names its sending socket's congestion control in on {@code /large}.
     */
    public static final String HEADER = "tcp-congestion-control";

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_CONGESTION = 13;
    /** TCP_CA_NAME_MAX in the kernel's headers. */
    private static final int NAME_MAX = 16;
    private static final RawUnixChannelOption OPTION = new RawUnixChannelOption("TCP_CONGESTION", IPPROTO_TCP,
            TCP_CONGESTION, NAME_MAX);

    private TcpCongestion() {}

    /**
     * The congestion control of the TCP socket under {@code channel} (an HTTP/2 stream's connection too);
     * empty where the socket is not an epoll one (NIO, another OS), is closed, or the kernel does not say.
     */
    public static Optional<String> of(Channel channel) {
        Channel c = channel;
        while (c.parent() != null && !(c instanceof EpollSocketChannel)) {
            c = c.parent();
        }
        if (!(c instanceof EpollSocketChannel) || !c.isActive()) {
            return Optional.empty();
        }
        try {
            ByteBuffer b = c.config().getOption(OPTION);
            return b == null ? Optional.empty() : name(b);
        } catch (RuntimeException e) {
            return Optional.empty(); // closed under us, or the option refused
        }
    }

    /**
     * The name in a {@code TCP_CONGESTION} buffer (NUL-terminated, at most 16 bytes); empty when blank or not a plain
     * name.
     */
    static Optional<String> name(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        StringBuilder s = new StringBuilder();
        while (d.hasRemaining() && s.length() < NAME_MAX) {
            byte x = d.get();
            if (x == 0) {
                break;
            }
            s.append((char) (x & 0xff));
        }
        return valid(s.toString()) ? Optional.of(s.toString()) : Optional.empty();
    }

    /** Whether {@code name} looks like a congestion control's name (what a header from a server may carry). */
    public static boolean valid(String name) {
        if (name.isEmpty() || name.length() > NAME_MAX) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-')) {
                return false;
            }
        }
        return true;
    }
}
