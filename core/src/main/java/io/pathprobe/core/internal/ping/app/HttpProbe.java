package io.pathprobe.core.internal.ping.app;

import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 {@code GET} per probe, over a new TCP connection (and, for {@code https}, a new TLS
 * session), timed from the write of the request to the arrival of the first byte of the response.
 *
 * <p>Everything is non-blocking on the {@link AppProbeLoop}: connect, TLS handshake ({@link SSLEngine};
 * its delegated tasks run on the loop, so a handshake's crypto delays the loop's other probes by that
 * much), request, and reading the status line. Then the connection is closed: the body is not read,
 * redirects are not followed, and the status code is the {@code code} of the {@link
 * ProbeOutcome.Reply} (a 404 or a 503 is a reply).
 *
 * <p>What is measured: {@code sentNanos} is read just before the first write of the request (for https,
 * of its first encrypted record, after the handshake); the first byte's arrival is the start of the
 * selector round in which it was read (for https: the round in which the first TLS record carrying
 * response bytes was complete, TLS decrypts whole records; session tickets and other post-handshake
 * records are not response bytes). {@code setupNanos} is connect plus handshake, not part of the RTT.
 * The timeout covers the whole exchange, connect included.
 *
 * <p>The request: {@code GET <path?query> HTTP/1.1}, {@code Host}, {@code User-Agent: pathprobe},
 * {@code Accept: *}{@code /*}, {@code Connection: close}. The caller gives the address to connect to
 * (the engine resolves names off the loop); the URL gives the Host header, SNI and, for https, the name
 * the certificate is checked against (endpoint identification "HTTPS" with the given {@link SSLContext},
 * by default the JDK's: a certificate that does not verify is a {@link FailureKind#TLS TLS} failure).
 */
public final class HttpProbe extends AbstractProbe {
    /** At most this many bytes are read looking for the end of the status line. */
    static final int MAX_STATUS_LINE = 8192;

    /**
     * What to request and where.
     *
     * @param url an {@code http://} or {@code https://} URL with a host
     * @param address the address to connect to (the URL's host, resolved by the caller)
     * @param timeout for the whole exchange
     * @param sslContext for https; null: {@link SSLContext#getDefault()}
     */
    public record Config(URI url, InetAddress address, Duration timeout, @Nullable SSLContext sslContext) {
        public Config {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(timeout, "timeout");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("not an http or https URL: " + url);
            }
            if (url.getHost() == null) {
                throw new IllegalArgumentException("the URL has no host: " + url);
            }
            if (url.getPort() > 65535) {
                throw new IllegalArgumentException("port out of range: " + url);
            }
        }

        public boolean https() {
            return url.getScheme().equalsIgnoreCase("https");
        }

        /** The URL's port, or the scheme's. */
        public int port() {
            return url.getPort() >= 0 ? url.getPort() : https() ? 443 : 80;
        }

        /** The URL's host without the brackets of an IPv6 literal. */
        String host() {
            String h = url.getHost();
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }
    }

    private final Config config;
    private final InetSocketAddress remote;
    private final byte[] request;
    private final @Nullable SSLContext ssl;

    /**
     * @throws IllegalStateException for https without a context when the JDK has no default one
     */
    public HttpProbe(AppProbeLoop loop, Config config) {
        super(loop, config.timeout());
        this.config = config;
        this.remote = new InetSocketAddress(config.address(), config.port());
        String path = config.url().getRawPath() == null || config.url().getRawPath().isEmpty()
                ? "/" : config.url().getRawPath();
        if (config.url().getRawQuery() != null) {
            path += "?" + config.url().getRawQuery();
        }
        String host = config.url().getHost() + (config.url().getPort() >= 0 ? ":" + config.url().getPort() : "");
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nUser-Agent: pathprobe\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        if (config.https()) {
            try {
                this.ssl = config.sslContext() != null ? config.sslContext() : SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        } else {
            this.ssl = null;
        }
    }

    public Config config() {
        return config;
    }

    @Override
    AppProbeLoop.Exchange newExchange(int sequence, Callback cb) {
        return new Request(this, sequence, cb);
    }

    private enum State { CONNECTING, HANDSHAKING, SENDING, RECEIVING }

    private static final class Request extends AppProbeLoop.Exchange {
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
        private final HttpProbe probe;
        private State state = State.CONNECTING;
        private @Nullable SelectionKey selectionKey;
        private final ByteBuffer out;
        private @Nullable SSLEngine engine;
        private @Nullable ByteBuffer netOut;
        private @Nullable ByteBuffer netIn;
        private @Nullable ByteBuffer appIn;
        private long setupNanos;
        private long sentNanos;
        private long firstByteNanos = -1;
        private final ByteBuffer statusLine = ByteBuffer.allocate(MAX_STATUS_LINE);

        Request(HttpProbe probe, int sequence, Callback cb) {
            super(probe, sequence, cb);
            this.probe = probe;
            this.out = ByteBuffer.wrap(probe.request);
        }

        @Override
        void begin(AppProbeLoop loop, long now) throws IOException {
            SocketChannel ch = SocketChannel.open(probe.remote.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            selectionKey = ch.register(loop.selector(), 0, this);
            if (ch.connect(probe.remote)) {
                connected(loop, now);
            } else {
                interest(SelectionKey.OP_CONNECT);
            }
        }

        @Override
        void ready(AppProbeLoop loop, SelectionKey key, long arrived) throws IOException {
            if (state == State.CONNECTING) {
                if (!((SocketChannel) key.channel()).finishConnect()) {
                    return;
                }
                connected(loop, arrived);
            } else {
                pump(loop, arrived);
            }
        }

        private void connected(AppProbeLoop loop, long arrived) throws IOException {
            SSLContext ssl = probe.ssl;
            if (ssl == null) {
                setupNanos = loop.now() - startedNanos;
                state = State.SENDING;
            } else {
                SSLEngine e = ssl.createSSLEngine(probe.config.host(), probe.config.port());
                e.setUseClientMode(true);
                SSLParameters params = e.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isIpLiteral(probe.config.host())) {
                    params.setServerNames(List.of(new SNIHostName(probe.config.host())));
                }
                e.setSSLParameters(params);
                engine = e;
                netOut = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
                netIn = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
                appIn = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
                e.beginHandshake();
                state = State.HANDSHAKING;
            }
            pump(loop, arrived);
        }

        /** Drives the exchange until it must wait for the socket; {@code arrived}: this round's start. */
        private void pump(AppProbeLoop loop, long arrived) throws IOException {
            SocketChannel ch = (SocketChannel) Objects.requireNonNull(channel);
            while (!done) {
                switch (state) {
                    case HANDSHAKING -> {
                        if (!flushNetOut(ch)) {
                            return;
                        }
                        SSLEngine e = Objects.requireNonNull(engine);
                        HandshakeStatus hs = e.getHandshakeStatus();
                        switch (hs) {
                            case NEED_WRAP -> wrap(e, EMPTY);
                            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                                if (!unwrap(ch, e)) {
                                    interest(SelectionKey.OP_READ);
                                    return;
                                }
                            }
                            case NEED_TASK -> runTasks(e);
                            default -> { // FINISHED, NOT_HANDSHAKING
                                setupNanos = loop.now() - startedNanos;
                                state = State.SENDING;
                            }
                        }
                    }
                    case SENDING -> {
                        if (sentNanos == 0) {
                            if (engine != null) {
                                while (out.hasRemaining()) {
                                    wrap(engine, out);
                                }
                            }
                            sentNanos = loop.now();
                        }
                        boolean flushed = engine == null ? write(ch, out) : flushNetOut(ch);
                        if (!flushed) {
                            return;
                        }
                        state = State.RECEIVING;
                        interest(SelectionKey.OP_READ);
                        return; // nothing to read before the next round
                    }
                    case RECEIVING -> {
                        if (engine != null && Objects.requireNonNull(netOut).position() > 0) {
                            flushNetOut(ch); // the rest of a post-handshake message
                        }
                        if (!receive(loop, ch, arrived)) {
                            return;
                        }
                    }
                    default -> throw new IllegalStateException("ready while " + state);
                }
            }
        }

        /** Reads what is there; false when it must wait for more. */
        private boolean receive(AppProbeLoop loop, SocketChannel ch, long arrived) throws IOException {
            SSLEngine e = engine;
            if (e == null) {
                ByteBuffer buf = loop.scratch;
                buf.clear();
                int n = read(ch, buf);
                if (n <= 0) {
                    return false;
                }
                buf.flip();
                take(loop, buf, arrived);
                return true;
            }
            ByteBuffer in = Objects.requireNonNull(netIn);
            ByteBuffer app = Objects.requireNonNull(appIn);
            int n = read(ch, in);
            if (n < 0) {
                return false;
            }
            while (!done) {
                in.flip();
                SSLEngineResult r = e.unwrap(in, app);
                in.compact();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED && app.position() == 0) {
                    throw new EOFException("the server closed the TLS session before a response");
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks(e);
                }
                if (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    wrap(e, EMPTY); // a post-handshake message (key update); sent when the socket takes it
                    flushNetOut(ch);
                }
                if (app.position() > 0) {
                    app.flip();
                    take(loop, app, arrived);
                    app.clear();
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                        || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break;
                }
            }
            return n > 0;
        }

        /** Response bytes: times the first, completes at the end of the status line. */
        private void take(AppProbeLoop loop, ByteBuffer bytes, long arrived) {
            if (!bytes.hasRemaining()) {
                return;
            }
            if (firstByteNanos < 0) {
                firstByteNanos = arrived;
            }
            while (bytes.hasRemaining() && statusLine.hasRemaining()) {
                byte b = bytes.get();
                if (b == '\n') {
                    complete(loop);
                    return;
                }
                statusLine.put(b);
            }
            if (!statusLine.hasRemaining()) {
                loop.finish(this, failure(FailureKind.MALFORMED, arrived,
                        "no end of the status line in " + MAX_STATUS_LINE + " bytes"));
            }
        }

        private void complete(AppProbeLoop loop) {
            String line = new String(statusLine.array(), 0, statusLine.position(), StandardCharsets.ISO_8859_1).strip();
            // HTTP/1.1 404 Not Found
            int code = -1;
            if (line.startsWith("HTTP/") && line.length() >= 12 && line.charAt(8) == ' ') {
                try {
                    code = Integer.parseInt(line.substring(9, 12));
                } catch (NumberFormatException e) {
                    code = -1;
                }
            }
            if (code < 100 || code > 999) {
                loop.finish(this, failure(FailureKind.MALFORMED, firstByteNanos, "not an HTTP status line: "
                        + (line.length() > 80 ? line.substring(0, 80) + "..." : line)));
                return;
            }
            loop.finish(this, new ProbeOutcome.Reply(sequence, sentNanos, firstByteNanos - sentNanos, code, line,
                    setupNanos));
        }

        /** Reads; -1 at the end of the stream, which before a complete status line is an error. */
        private int read(SocketChannel ch, ByteBuffer buf) throws IOException {
            int n = ch.read(buf);
            if (n < 0) {
                throw firstByteNanos < 0
                        ? new EOFException("the server closed the connection before a response")
                        : new MalformedReply("the connection ended inside the status line");
            }
            return n;
        }

        /** Writes; false (and waits for OP_WRITE, and OP_READ once receiving) if the socket did not take all. */
        private boolean write(SocketChannel ch, ByteBuffer buf) throws IOException {
            ch.write(buf);
            if (buf.hasRemaining()) {
                interest(state == State.RECEIVING ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_WRITE);
                return false;
            }
            if (state == State.RECEIVING) {
                interest(SelectionKey.OP_READ);
            }
            return true;
        }

        private boolean flushNetOut(SocketChannel ch) throws IOException {
            ByteBuffer b = Objects.requireNonNull(netOut);
            b.flip();
            try {
                return write(ch, b);
            } finally {
                b.compact();
            }
        }

        private void wrap(SSLEngine e, ByteBuffer src) throws SSLException {
            SSLEngineResult r = e.wrap(src, Objects.requireNonNull(netOut));
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS engine closed while sending");
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                throw new SSLException("TLS output buffer overflow"); // a record is at most the packet size
            }
        }

        /** Unwraps handshake data; false if more must be read first. */
        private boolean unwrap(SocketChannel ch, SSLEngine e) throws IOException {
            ByteBuffer in = Objects.requireNonNull(netIn);
            while (true) {
                in.flip();
                SSLEngineResult r = e.unwrap(in, Objects.requireNonNull(appIn));
                in.compact();
                switch (r.getStatus()) {
                    case OK -> {
                        return true;
                    }
                    case BUFFER_UNDERFLOW -> {
                        if (read(ch, in) == 0) {
                            return false;
                        }
                    }
                    case CLOSED -> throw new SSLException("the server closed the TLS session in the handshake");
                    default -> throw new SSLException("TLS buffer overflow in the handshake");
                }
            }
        }

        private static void runTasks(SSLEngine e) {
            for (Runnable t; (t = e.getDelegatedTask()) != null; ) {
                t.run();
            }
        }

        private void interest(int ops) {
            Objects.requireNonNull(selectionKey).interestOps(ops);
        }

        @Override
        String timeoutDetail() {
            return super.timeoutDetail() + " (" + switch (state) {
                case CONNECTING -> "connecting";
                case HANDSHAKING -> "in the TLS handshake";
                case SENDING -> "sending the request";
                case RECEIVING -> firstByteNanos < 0 ? "waiting for the response" : "reading the status line";
            } + ")";
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** A reply that is not HTTP; classified {@link FailureKind#MALFORMED}. */
    static final class MalformedReply extends IOException {
        MalformedReply(String message) {
            super(message);
        }
    }
}
