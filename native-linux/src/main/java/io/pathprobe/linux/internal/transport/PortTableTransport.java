package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.codec.IcmpQuote;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.spi.DropReason;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * What the transports that send whole packets through a {@link RawSocketSet} and find an ICMP error's session by
 * the quoted source port share ({@link RawPortTransport}, {@link InConnectionTransport}): the tables of sessions
 * by local port and family, the raw ICMP and ICMPv6 sockets that read errors quoting the transport's protocol,
 * and the receive path up to the parsed quote.
 *
 * @param <T> a session as the receive path sees it
 */
abstract class PortTableTransport<T> extends LinuxTransport {
    final AtomicReferenceArray<@Nullable T> byPort4 = new AtomicReferenceArray<>(65536);
    final AtomicReferenceArray<@Nullable T> byPort6 = new AtomicReferenceArray<>(65536);
    final IntFunction<@Nullable T> lookup4 = byPort4::get;
    final IntFunction<@Nullable T> lookup6 = byPort6::get;
    /** Used on the I/O thread only. */
    final IcmpQuote quote = new IcmpQuote();

    PortTableTransport(LinuxTransportKind kind) {
        super(kind);
    }

    /** The shared sockets ({@link #openSockets}, in the subclass's constructor). */
    abstract RawSocketSet sockets();

    /**
     * An ICMP error parsed into {@link #quote}: hands it to the session whose probe it quotes and returns null, or
     * returns why not.
     */
    abstract @Nullable DropReason onQuote(ReceiveBuffer buffer, IntFunction<@Nullable T> byPort);

    /**
     * Opens the senders, one raw ICMP and one raw ICMPv6 socket reading the errors that quote {@code protocol}, and
     * {@code more} of each family (in the subclass's constructor, once its own fields are set: answers may arrive
     * at once).
     */
    final RawSocketSet openSockets(int protocol, RawSocketSet.Receivers more4, RawSocketSet.Receivers more6) {
        return RawSocketSet.open(this, opened -> {
            opened.add(RawSocket.open(this, Abi.AF_INET, Abi.IPPROTO_ICMP,
                    RawSocket.icmpFilter(IcmpEchoFormat.DEST_UNREACH, IcmpEchoFormat.TIME_EXCEEDED)
                            .and(RawSocket.quotedProtocolFilter(false, protocol, false)), this::onIcmp4));
            more4.open(opened);
        }, opened -> {
            opened.add(RawSocket.open(this, Abi.AF_INET6, Abi.IPPROTO_ICMPV6,
                    RawSocket.icmp6Filter(IcmpEchoFormat.DEST_UNREACH_V6, IcmpEchoFormat.TIME_EXCEEDED_V6,
                            IcmpEcho.PACKET_TOO_BIG_V6).and(RawSocket.quotedProtocolFilter(true, protocol, false)),
                    this::onIcmp6));
            more6.open(opened);
        });
    }

    /** The table of sessions of a family by local port. */
    final AtomicReferenceArray<@Nullable T> table(boolean ipv6) {
        return ipv6 ? byPort6 : byPort4;
    }

    /** On the I/O thread: reads every receive socket to the end. */
    final void drainAll() {
        sockets().drainAll();
    }

    // ---------------------------------------------------------------------------------------------
    // receive path (I/O thread)

    private @Nullable DropReason onIcmp4(ReceiveBuffer buffer, int length) {
        DropReason malformed = quote.parseV4(buffer.data(), length);
        return malformed != null ? malformed : onQuote(buffer, lookup4);
    }

    private @Nullable DropReason onIcmp6(ReceiveBuffer buffer, int length) {
        DropReason malformed = quote.parseV6(buffer.data(), length, buffer.name(), 0, buffer.replyTtl());
        return malformed != null ? malformed : onQuote(buffer, lookup6);
    }

    @Override
    final void closeShared() {
        sockets().close();
    }

    @Override
    final void disposeSharedIfReleased() {
        sockets().disposeIfReleased();
    }
}
