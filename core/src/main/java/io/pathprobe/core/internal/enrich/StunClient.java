package io.pathprobe.core.internal.enrich;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A STUN client for one thing: this host's public address (RFC 8489 Binding request over UDP, no
 * authentication, IPv4 and IPv6).
 *
 * <p>One transaction per call, on its own connected socket (kernel-chosen port) on the enricher's
 * {@link UdpExchanges}: the request is sent at 0 and retransmitted with the same transaction id after RTO,
 * 3 RTO, 7 RTO, ... (RFC 8489 §6.2.1: the interval doubles, at most 7 transmissions), until the
 * overall timeout ends the transaction (RFC 8489's Rc=7, Rm=16 would wait 39.5 s at RTO 500 ms; the
 * timeout caps that).
 *
 * <p>Answers: a success response with our transaction id gives XOR-MAPPED-ADDRESS (legacy
 * MAPPED-ADDRESS if that is all there is); an error response fails with
 * {@link StunException.Kind#ERROR_RESPONSE} (code and reason); a response to our transaction that
 * cannot be read fails with {@link StunException.Kind#MALFORMED}. Anything else (not STUN, a wrong
 * length, a wrong FINGERPRINT, another transaction id) is ignored: the transaction goes on until its
 * timeout, which then says {@link StunException.Kind#MALFORMED} if malformed datagrams were ignored,
 * {@link StunException.Kind#TIMEOUT} otherwise. ICMP port unreachable fails at once
 * ({@link StunException.Kind#IO}). The socket is closed however the transaction ends.
 */
public final class StunClient {
    /** The standard STUN port. */
    public static final int PORT = 3478;
    /** RFC 8489's recommended initial RTO. */
    public static final Duration DEFAULT_RTO = Duration.ofMillis(500);
    /** The default overall timeout of a transaction. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /** RFC 8489's Rc: transmissions at most. */
    static final int MAX_TRANSMISSIONS = 7;

    private final UdpExchanges loop;
    private final SecureRandom random = new SecureRandom();

    StunClient(UdpExchanges loop) {
        this.loop = loop;
    }

    /**
     * Asks {@code server} for this host's address.
     *
     * @param rto the first retransmission interval (doubling after)
     * @param timeout the whole transaction at most
     */
    public CompletableFuture<StunMapping> bind(InetSocketAddress server, Duration rto, Duration timeout) {
        Objects.requireNonNull(server, "server");
        if (server.isUnresolved() || server.getPort() == 0) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("a STUN server must be an address with a port: " + server));
        }
        if (rto.isNegative() || rto.isZero() || timeout.isNegative() || timeout.isZero()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("rto and timeout must be positive"));
        }
        byte[] tid = new byte[12];
        random.nextBytes(tid);
        Transaction t = new Transaction(server, tid, rto.toNanos(), timeout.toNanos());
        return loop.exchange(t).handle((m, e) -> {
            if (e != null) {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                throw new CompletionException(c instanceof StunException ? c
                        : new StunException(StunException.Kind.IO, "STUN to " + server + " failed: " + c));
            }
            InetSocketAddress local = Objects.requireNonNullElse(t.local, new InetSocketAddress(0));
            return new StunMapping(m.address(), local, server, !isLocal(m.address().getAddress()));
        });
    }

    /** Whether {@code a} is an address of one of this host's interfaces. */
    static boolean isLocal(InetAddress a) {
        try {
            Enumeration<NetworkInterface> nis = NetworkInterface.getNetworkInterfaces();
            while (nis != null && nis.hasMoreElements()) {
                Enumeration<InetAddress> as = nis.nextElement().getInetAddresses();
                while (as.hasMoreElements()) {
                    InetAddress l = as.nextElement();
                    if (java.util.Arrays.equals(l.getAddress(), a.getAddress())) {
                        return true;
                    }
                }
            }
        } catch (SocketException e) {
            return false;
        }
        return false;
    }

    /** The retransmission offsets: RTO × (2^i − 1) for i = 1..6, before the timeout. */
    static long[] schedule(long rtoNanos, long timeoutNanos) {
        List<Long> at = new ArrayList<>();
        long t = 0;
        long interval = rtoNanos;
        for (int i = 1; i < MAX_TRANSMISSIONS; i++) {
            t += interval;
            interval *= 2;
            if (t >= timeoutNanos) {
                break;
            }
            at.add(t);
        }
        return at.stream().mapToLong(Long::longValue).toArray();
    }

    private static final class Transaction extends UdpExchanges.Scheduled<StunMessages.Mapped> {
        private final byte[] tid;
        private final byte[] request;
        private @Nullable InetSocketAddress local;
        private int malformed;
        private @Nullable String lastMalformed;

        Transaction(InetSocketAddress server, byte[] tid, long rtoNanos, long timeoutNanos) {
            super(server, schedule(rtoNanos, timeoutNanos), timeoutNanos);
            this.tid = tid;
            this.request = StunMessages.bindingRequest(tid);
        }

        @Override
        public byte[] request() {
            return request;
        }

        @Override
        public void bound(InetSocketAddress local) {
            this.local = local;
        }

        @Override
        public StunMessages.@Nullable Mapped answer(ByteBuffer datagram) throws StunException {
            StunMessages.Response r = StunMessages.read(datagram, tid);
            if (r instanceof StunMessages.Mapped m) {
                return m;
            }
            if (r instanceof StunMessages.Error e) {
                throw new StunException(StunException.Kind.ERROR_RESPONSE,
                        "STUN server " + target() + " answered error " + e.code() + " " + e.reason(),
                        e.code(), e.reason());
            }
            StunMessages.Ignored i = (StunMessages.Ignored) r;
            if (i.malformed()) {
                malformed++;
                lastMalformed = i.why();
            }
            return null;
        }

        @Override
        public Exception timeout() {
            long ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos());
            if (malformed > 0) {
                return new StunException(StunException.Kind.MALFORMED, "malformed STUN response from " + target() + " ("
                        + malformed + " ignored, last: " + lastMalformed + "), no valid answer within " + ms + " ms");
            }
            return new StunException(StunException.Kind.TIMEOUT, "no STUN answer from " + target() + " within " + ms
                    + " ms (" + (1 + retransmitNanos().length) + " requests)");
        }
    }
}
